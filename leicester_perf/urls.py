from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from leicester_perf import views
from targets.urls import reporting_urlpatterns

admin.site.site_header = "leicester_perf administration"
admin.site.site_title = "leicester_perf"
admin.site.index_title = "Plans, targets and actuals"

# Every refusal is logged (docs/security.md).
handler403 = "leicester_perf.security.permission_denied"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("start/", views.start, name="start"),
    path("admin/", admin.site.urls),
    *reporting_urlpatterns,
    path("api/v1/", include("targets.api_urls")),
    path("indicators/", include("targets.urls")),
    path("partners/", include("partners.urls")),
    path("", include("plans.urls")),
]
