"""URL configuration: each installed app's routes (declared in its ``plugin`` module), the API
under /api/v1 and the reference-data admin."""

from django.urls import include, path, re_path

from jingban.api import api, unknown_path
from jingban.core import plugins
from jingban.core.admin_site import site as admin_site

urlpatterns = [
    *[path(routes.prefix, include(routes.module)) for routes in plugins.routes()],
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", unknown_path, name="api_unknown_path"),
    path("admin/", admin_site.urls),
]
