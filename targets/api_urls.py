from django.urls import path

from targets import api

app_name = "api"

urlpatterns = [
    path("plans/", api.plan_list, name="plan-list"),
    path("plans/<slug:slug>/", api.plan_detail, name="plan-detail"),
    path("indicators/", api.indicator_list, name="indicator-list"),
    path("indicators/<slug:slug>/", api.indicator_detail, name="indicator-detail"),
]
