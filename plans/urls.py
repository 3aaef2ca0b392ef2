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
    path("plans/<slug:slug>/milestones/", views.MilestonesView.as_view(), name="plan-milestones"),
    path(
        "plans/<slug:slug>/themes/<int:pk>/", views.ThemeDetailView.as_view(), name="theme-detail"
    ),
    path(
        "portfolio-holders/",
        views.PortfolioHolderListView.as_view(),
        name="portfolio-holder-list",
    ),
    path(
        "portfolio-holders/<int:pk>/",
        views.PortfolioHolderDetailView.as_view(),
        name="portfolio-holder-detail",
    ),
    path("activities/<int:pk>/", views.ActivityProgressView.as_view(), name="activity-progress"),
    path("worklist/activities/", views.ActivityWorklistView.as_view(), name="activity-worklist"),
    path(
        "sign-off/progress/<int:pk>/approve/",
        views.approve_activity_update,
        name="approve-activity-update",
    ),
    path(
        "sign-off/progress/<int:pk>/return/",
        views.return_activity_update,
        name="return-activity-update",
    ),
]
