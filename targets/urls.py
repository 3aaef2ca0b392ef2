from django.urls import path

from targets import views

app_name = "targets"

urlpatterns = [
    path("<slug:slug>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path("<slug:slug>/values/", views.ActualEntryView.as_view(), name="actual-entry"),
    path("<slug:slug>/history/", views.IndicatorHistoryView.as_view(), name="indicator-history"),
]

# The reporting cycle, at the top level of the site.
reporting_urlpatterns = [
    path("worklist/", views.WorklistView.as_view(), name="worklist"),
    path("sign-off/", views.SignOffView.as_view(), name="sign-off"),
    path("sign-off/<int:pk>/approve/", views.approve_actual, name="approve-actual"),
    path("sign-off/<int:pk>/return/", views.return_actual, name="return-actual"),
]
