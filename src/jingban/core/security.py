"""Middleware that hardens every response (ADR 0009).

- ``EdgeMiddleware`` (outermost): forwarded headers are believed only from trusted proxies; a
  page's query string holding a NUL byte is refused with 400; no server name or version in
  ``Server:``.
- ``ApiErrorMiddleware``: every error under ``/api/`` is JSON in the one error shape, including
  the ones Django or ninja produce as HTML or plain text (405, 413, 500) and 503 when the
  database cannot be reached.
- ``NoStoreMiddleware``: ``Cache-Control: no-store`` on every response Django itself produces
  (pages and API; static files, served before it by WhiteNoise, stay cacheable).
- ``IdleTimeoutMiddleware``: a session unused for ``JINGBAN_SESSION_IDLE_MINUTES`` is signed out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib.auth import logout
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.defaults import bad_request

from jingban.core.network import client_address, from_trusted_proxy

logger = logging.getLogger(__name__)

GetResponse = Callable[[HttpRequest], HttpResponse]
API_PREFIX = "/api/"
SERVER_NAME = "jingban"  # replaces whatever the WSGI server would announce, where it lets us


class NulInQuery(Exception):
    """The query string holds U+0000, which no field accepts and PostgreSQL cannot store."""


class EdgeMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not from_trusted_proxy(request):
            # SECURE_PROXY_SSL_HEADER would otherwise believe any client that sends it.
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        if not request.path.startswith(API_PREFIX) and _has_nul(request):
            # The API's parser answers these itself, as a JSON 400 naming the field.
            response: HttpResponse = bad_request(request, NulInQuery())
        else:
            response = self.get_response(request)
        response["Server"] = SERVER_NAME
        return response


def _has_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in query or "\x00" in unquote_plus(query)


class NoStoreMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Pages and API answers may hold personal data: no browser or proxy keeps a copy.
        response["Cache-Control"] = "no-store, private"
        response["Pragma"] = "no-cache"
        return response


IDLE_KEY = "jingban_last_seen"
# The last-seen time is written at most this often, so an active session costs one session
# write per minute, not one per request; the timeout is therefore exact to within a minute.
TOUCH_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last = request.session.get(IDLE_KEY)
            if isinstance(last, int) and now - last > settings.SESSION_IDLE_SECONDS:
                from jingban.core.services.accounts import record_sign_out

                record_sign_out(user, address=client_address(request), idle=True)
                logout(request)
            elif not isinstance(last, int) or now - last >= TOUCH_SECONDS:
                request.session[IDLE_KEY] = now
        return self.get_response(request)


_API_ERRORS: dict[int, tuple[str, object]] = {
    400: ("invalid", _("The request is not valid.")),
    401: ("unauthenticated", _("Sign in or send a valid API token.")),
    403: ("forbidden", _("You may not do this.")),
    404: ("not_found", _("Not found.")),
    405: ("method_not_allowed", _("This method is not allowed here.")),
    413: ("too_large", _("The request body is too large.")),
    500: ("server_error", _("Something went wrong on our side. It has been recorded.")),
    503: ("unavailable", _("The service is unavailable for a moment. Please try again later.")),
}


def api_error(request: HttpRequest, status: int) -> JsonResponse:
    """The one error shape for ``status``, in the caller's language where it can be known."""
    code, message = _API_ERRORS.get(status, ("error", _("The request failed.")))
    try:
        from jingban.core.middleware import preferred_language

        language = preferred_language(request)
    except Exception:
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        body = {"code": code, "message": str(message), "fields": {}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def database_reachable() -> bool:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return False
    return True


class ApiErrorMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        length = request.META.get("CONTENT_LENGTH", "")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length.isdigit() and limit is not None and int(length) > limit:
            return api_error(request, 413)
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        status = response.status_code
        if status >= 500 and not database_reachable():
            status = 503
        replaced = api_error(request, status)
        if "Allow" in response:
            replaced["Allow"] = response["Allow"]
        return replaced
