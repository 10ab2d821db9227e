"""/api/v1: django-ninja, OpenAPI at /api/v1/openapi.json; the routers come from the apps.

Authentication by session (with CSRF on unsafe methods) or by a bearer token. Every error has
one shape, ``{"code", "message", "fields"}``, in the user's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.openapi.views import openapi_view
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from jingban.core import plugins
from jingban.core.api_errors import ErrorOut
from jingban.core.errors import DomainError, ValidationFailed
from jingban.core.middleware import preferred_language
from jingban.core.security import api_error
from jingban.core.services.accounts import user_for_token

logger = logging.getLogger(__name__)


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


NULL_CHARACTER = _("Null characters are not allowed.")


def _null_characters(data: object, path: str = "") -> list[str]:
    """Where ``data`` (parsed JSON) holds a string with U+0000, which PostgreSQL cannot store."""
    if isinstance(data, str):
        return [path or "__all__"] if "\x00" in data else []
    if isinstance(data, dict):
        items: list[tuple[object, object]] = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return []
    found = []
    for key, value in items:
        key_text = str(key)
        found += _null_characters(key_text, path)  # a key is a name the caller chose, too
        found += _null_characters(value, f"{path}.{key_text}" if path else key_text)
    return found


class StrictParser(Parser):
    """JSON bodies and query strings, refusing the null character (400 ``invalid``)."""

    def _refuse_null_characters(self, data: object) -> None:
        where = _null_characters(data)
        if where:
            raise ValidationFailed(fields={name: [NULL_CHARACTER] for name in where})

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        self._refuse_null_characters(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        self._refuse_null_characters(result)
        return result


# Statuses the API layer itself answers, whatever the operation does.
_AUTH_ERRORS = {401: "Not signed in, or the API token is not valid"}
_INPUT_ERRORS = {422: "The parameters or the body do not match this schema"}
_PARSE_ERRORS = {400: "The body is not valid JSON, or a value holds a null character"}
_UNSAFE_ERRORS = {403: "Signed in by session without a valid CSRF token"}


class JingbanAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Ninja's schema, plus the error responses every operation may get from this layer."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            ErrorOut.__name__,
            ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"),
        )
        content = {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ErrorOut.__name__}"}}
        }
        for path_item in schema["paths"].values():
            for method, operation in path_item.items():
                parameters = operation.get("parameters") or []
                added = dict(_AUTH_ERRORS)
                if parameters or "requestBody" in operation:
                    added.update(_INPUT_ERRORS)
                if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
                    added.update(_PARSE_ERRORS)
                if method.lower() not in {"get", "head", "options"}:
                    added.update(_UNSAFE_ERRORS)
                responses = operation["responses"]
                for status, description in added.items():
                    if status not in responses and str(status) not in responses:
                        responses[status] = {"description": description, "content": content}
        return schema


def _docs_for_signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja's ``docs_decorator`` wraps both the schema and its page: the page (Swagger UI)
    needs a signed-in user; the schema stays public, like any OpenAPI description."""
    if getattr(view, "func", None) is not openapi_view:
        return view

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


api = JingbanAPI(
    title="jingban API",
    version="1",
    description="经办 — public medical insurance and long-term care administration.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=_docs_for_signed_in,
    parser=StrictParser(),
)
# Each installed app's routers, declared in its ``plugin`` module.
for declared in plugins.api_routers():
    api.add_router(declared.prefix, plugins.load(declared.router))


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


# Ninja's own refusals, with a translated message instead of its English one.
_HTTP_ERRORS = {
    400: ("invalid", _("The request body is not valid JSON.")),
    403: ("forbidden", _("The CSRF token is missing or wrong. Reload the page and try again.")),
    404: ("not_found", _("Not found.")),
    405: ("method_not_allowed", _("This method is not allowed here.")),
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, DomainError):  # raised while parsing the body (null character)
        return _domain_error(request, exc.__cause__)
    code, message = _HTTP_ERRORS.get(exc.status_code, ("error", exc.message))
    return _error(request, exc.status_code, code, message)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything an operation did not expect: the error shape, never a traceback."""
    if isinstance(exc, RequestDataTooBig):  # a body without Content-Length, read past the cap
        return api_error(request, 413)
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.error("database unavailable during %s %s: %s", request.method, request.path, exc)
        return api_error(request, 503)
    logger.exception("unexpected error in %s %s", request.method, request.path)
    return api_error(request, 500)


@csrf_exempt  # it changes nothing, and must answer JSON even to a POST without a token
def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any path under /api/v1/ that names no operation (``/persons/x``, an id that is not a
    number): the API's own 404 in JSON, never the HTML page."""
    return _error(request, 404, "not_found", _("Not found."))
