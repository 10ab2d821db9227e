"""A deliberately broken API, mounted only by the test that proves the fuzzer can fail.

Each operation has one defect the fuzzer must report (or, for ``/fine``, none).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from ninja import Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from jingban.api import JingbanAPI, TokenAuth
from jingban.core.api_errors import errors
from jingban.registry.models import Person


class ThingOut(Schema):
    id: int
    name: str


class NotEnforced(HttpBearer):
    """Declares a bearer token, lets everyone in."""

    def __call__(self, request: HttpRequest) -> Any:
        return True

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return True


api = JingbanAPI(title="broken", version="0", urls_namespace="broken-api", auth=TokenAuth())


@api.get("/fine", response=ThingOut)
def fine(request: HttpRequest) -> dict[str, Any]:
    return {"id": 1, "name": "fine"}


@api.get("/crash", response=ThingOut)
def crash(request: HttpRequest) -> dict[str, Any]:
    raise RuntimeError("deliberate crash")


@api.get("/wrong-shape", response=ThingOut)
def wrong_shape(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"id": "one", "name": "wrong"})  # bypasses ninja's output validation


@api.get("/undocumented", response=ThingOut)
def undocumented(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"id": 1, "name": "accepted"}, status=202)


@api.get("/refused", response={200: ThingOut, **errors(403)})
def refused(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"code": "forbidden", "message": "no", "fields": {}}, status=403)


@api.get("/search", response=ThingOut)
def search(request: HttpRequest, q: str = "") -> dict[str, Any]:
    # No null-character guard here: PostgreSQL refuses the query.
    return {"id": Person.objects.filter(name=q).count(), "name": q}


@api.get("/open", response=ThingOut, auth=NotEnforced())
def open_to_all(request: HttpRequest) -> dict[str, Any]:
    return {"id": 1, "name": "open"}


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"code": "unauthenticated", "message": "Sign in.", "fields": {}}
    return api.create_response(request, body, status=401)


# Under /api/, like the real API: the NUL-in-query guard for pages does not stand in front of it.
urlpatterns = [path("api/broken/", api.urls)]
