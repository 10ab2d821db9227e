"""Per-request preferences: language and the large-font 关怀 (care) mode.

Chinese is the default for everyone; the browser's Accept-Language is deliberately ignored so a
public-sector screen never switches language by accident. A signed-in user's own choice wins,
then the choice stored in a cookie (for the login page), then the site default.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

CARE_COOKIE = "jingban_care"
_SUPPORTED = {code for code, _ in settings.LANGUAGES}


def preferred_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in _SUPPORTED:
        return str(user.language)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in _SUPPORTED:
        return cookie
    return str(settings.LANGUAGE_CODE)


def care_mode(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return bool(user.care_mode)
    return request.COOKIES.get(CARE_COOKIE) == "1"


class PreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = preferred_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.care_mode = care_mode(request)  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
