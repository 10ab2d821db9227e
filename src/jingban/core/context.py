"""Template context shared by every page: navigation for the user's role (with the section the
page belongs to), preferences."""

from __future__ import annotations

from django.http import HttpRequest

from jingban.core import plugins
from jingban.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    nav_items = (
        navigation_for(user, request.path, match.namespace if match is not None else None)
        if user is not None and user.is_authenticated
        else []
    )
    return {
        "nav_items": nav_items,
        "nav_current": next((item for item in nav_items if item.current), None),
        "header_templates": plugins.header_templates(),
        "care_mode": getattr(request, "care_mode", False),
    }
