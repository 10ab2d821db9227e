"""Home page by role: the panels the installed apps declare, each a real list from the user's
own scope with its count, shown to users who hold the panel's capability."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from jingban.core import plugins
from jingban.core.models import User
from jingban.core.views.access import AuthedRequest, requires


def greeting_name(user: User) -> str:
    """The name the home page greets the user by: their display name, else their full name;
    never the login name, which is an account's identifier, not what a person is called."""
    return (user.display_name or user.get_full_name()).strip()


@requires()
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    panels: list[SafeString] = []
    for panel in plugins.home_panels():
        if panel.capability is not None and not user.can(panel.capability):
            continue
        context = panel.context_for(user)
        if context is None:
            continue
        # The first panel's count is the page's headline figure (``data-testid="home-count"``).
        html = render_to_string(panel.template, {**context, "primary": not panels}, request=request)
        panels.append(mark_safe(html))  # noqa: S308 - rendered by our own template
    context = {
        "role_label": user.role_label,
        "panels": panels,
        "greeting_name": greeting_name(user),
    }
    return render(request, "core/home.html", context)
