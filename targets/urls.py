from django.urls import path

from targets import views

app_name = "targets"

urlpatterns = [
    path("<slug:slug>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
]
