"""URL configuration: pages per app and the API under /api/v1."""

from django.urls import include, path

from jingban.api import api

urlpatterns = [
    path("", include("jingban.core.urls")),
    path("persons/", include("jingban.registry.urls")),
    path("api/v1/", api.urls),
]
