from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan-list"),
    path("plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<slug:slug>/report/", views.PlanReportView.as_view(), name="plan-report"),
    path(
        "plans/<slug:slug>/assessment/",
        views.PlanAssessmentView.as_view(),
        name="plan-assessment",
    ),
]
