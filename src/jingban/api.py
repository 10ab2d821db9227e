"""/api/v1: django-ninja, OpenAPI at /api/v1/openapi.json.

Authentication by session (with CSRF on unsafe methods) or by a bearer token. Every error has
one shape, ``{"code", "message", "fields"}``, in the user's language.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from jingban.core.api import router as core_router
from jingban.core.errors import DomainError
from jingban.core.middleware import preferred_language
from jingban.core.services.accounts import user_for_token
from jingban.registry.api import router as registry_router


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        translation.activate(preferred_language(request))
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request.user
        return None


api = NinjaAPI(
    title="jingban API",
    version="1",
    description="经办 — public medical insurance and long-term care administration.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("", core_router)
api.add_router("/persons", registry_router)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    message: object,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": str(message), "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


_PYDANTIC_MESSAGES = {
    "missing": _("This field is required."),
    "date_from_datetime_parsing": _("Enter a valid date (YYYY-MM-DD)."),
    "date_parsing": _("Enter a valid date (YYYY-MM-DD)."),
    "date_type": _("Enter a valid date (YYYY-MM-DD)."),
    "string_type": _("Enter text."),
    "string_too_long": _("The value is too long."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "bool_parsing": _("Enter true or false."),
    "enum": _("Choose one of the allowed values."),
    "literal_error": _("Choose one of the allowed values."),
    "json_invalid": _("The request body is not valid JSON."),
}


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in {"body", "query", "path", "payload"}
        ]
        name = ".".join(location) or "__all__"
        message = _PYDANTIC_MESSAGES.get(error.get("type", ""), _("The value is not valid."))
        fields.setdefault(name, []).append(str(message))
    return _error(
        request,
        422,
        "invalid",
        _("Some fields are not valid. Please correct them and try again."),
        fields,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", _("Sign in or send a valid API token."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.status_code, "error"
    )
    return _error(request, exc.status_code, code, exc.message)
