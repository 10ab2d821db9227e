"""Who calls an API operation: the user of the bearer token, refused (403) without the
capability the operation needs, before any lookup."""

from __future__ import annotations

from django.http import HttpRequest

from jingban.core.errors import Forbidden
from jingban.core.models import User


def api_user(request: HttpRequest, capability: str | None = None) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    if capability is not None and not user.can(capability):
        raise Forbidden()
    return user
