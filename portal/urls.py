"""Project URLconf: wires every app's URLs (the one place allowed to import them all)."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from health_check.views import HealthCheckView

from portal.views import accounts

SERVICE_CHECKS = [
    "health_check.checks.Database",
    "health_check.checks.Cache",
    ("portal.health.FileStorage", {"alias": "default"}),
    ("portal.health.FileStorage", {"alias": "reports"}),
]

urlpatterns = [
    path("", accounts.home, name="home"),
    path("favicon.ico", accounts.favicon, name="favicon"),
    path("langue/", accounts.set_language, name="set_language"),
    path("compte/", include("django.contrib.auth.urls")),
    path("", include("portal.app_urls")),
    path("diagnostics/", include("diagnostics.urls")),
    path("experts/", include("experts.urls")),
    path("regions/", include("regions.urls")),
    path("admin/", admin.site.urls),
    # The REST API: the kit's schema and documentation, then each app's endpoints (<app>/api/urls.py).
    path("api/v1/", include("portal.api.urls")),
    path("api/v1/", include("diagnostics.api.urls")),
    path("api/v1/", include("experts.api.urls")),
    path("api/v1/", include("regions.api.urls")),
    # Health: /sante/service/ is what a load balancer probes (this process can reach its database,
    # cache and file storage); /sante/ adds the files of recent reports, for the operators' monitoring.
    path(
        "sante/service/",
        login_not_required(HealthCheckView.as_view(checks=SERVICE_CHECKS)),
        name="health_service",
    ),
    path(
        "sante/",
        login_not_required(HealthCheckView.as_view(checks=[*SERVICE_CHECKS, "diagnostics.health.ReportFiles"])),
        name="health",
    ),
]

# Under /api/, an address that matches nothing (or a server error) answers JSON, like the API itself.
handler404 = "portal.api.errors.page_not_found"
handler500 = "portal.api.errors.server_error"
