"""How views ask for access: a capability or a 403; an object out of scope is a 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from jingban.core.errors import Forbidden, NotFound
from jingban.core.models import User


class AuthedRequest(HttpRequest):
    """A request behind ``requires``: the user is signed in."""

    user: User
    htmx: Any


View = Callable[..., HttpResponse]


def requires(capability: str | None = None) -> Callable[[View], View]:
    """Sign-in required; with a capability, users without it get 403. Domain NotFound and
    Forbidden raised inside the view become 404 and 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if capability is not None and not request.user.can(capability):  # type: ignore[union-attr]
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None
            except Forbidden:
                raise PermissionDenied from None

        return login_required(wrapped)

    return decorate
