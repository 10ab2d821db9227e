"""Navigation by role: the entries the installed apps declare, each shown only to users who
hold its capability."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from jingban.core import plugins


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str


def navigation_for(user: object) -> list[NavItem]:
    can = getattr(user, "can", None)
    return [
        NavItem(entry.label, reverse(entry.url_name))
        for entry in plugins.navigation()
        if entry.capability is None or (can is not None and can(entry.capability))
    ]
