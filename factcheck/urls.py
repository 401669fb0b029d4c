from django.contrib import admin
from django.urls import include, path

from factcheck import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The desk last: its addresses are the site's own (/, /claims/7/, /search/).
    path("", include("claims.urls")),
]

# JSON for API clients, a plain page for everyone else; both name the request id.
handler400 = "factcheck.error_pages.bad_request"
handler403 = "factcheck.error_pages.permission_denied"
handler404 = "factcheck.error_pages.page_not_found"
handler500 = "factcheck.error_pages.server_error"
