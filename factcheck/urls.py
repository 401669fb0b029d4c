from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from factcheck import health

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# JSON for API clients, Django's pages for everyone else.
handler500 = "factcheck.views.server_error"
