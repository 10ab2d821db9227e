"""Template context shared by every page: navigation for the user's role, preferences."""

from __future__ import annotations

from django.http import HttpRequest

from jingban.core import plugins
from jingban.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation_for(user) if user is not None and user.is_authenticated else [],
        "header_templates": plugins.header_templates(),
        "care_mode": getattr(request, "care_mode", False),
    }
