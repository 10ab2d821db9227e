"""URL configuration: pages per app and the API under /api/v1."""

from django.urls import include, path, re_path

from jingban.api import api, unknown_path
from jingban.core.admin_site import site as admin_site

urlpatterns = [
    path("", include("jingban.core.urls")),
    path("persons/", include("jingban.registry.urls")),
    path("jobs/", include("jingban.jobs.urls")),
    path("policies/", include("jingban.packs.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", unknown_path, name="api_unknown_path"),
    path("admin/", admin_site.urls),
]
