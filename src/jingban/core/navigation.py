"""Navigation by role: the entries the installed apps declare, each shown only to users who
hold its capability, and which of them is the section the current page belongs to.

The current section is found from the request path: the entry whose URL is the longest prefix
of the path (the home page's ``/`` only for itself), so a detail page at
``/persons/7/households/`` belongs to 参保人员 at ``/persons/`` and ``/tokens/all/`` to the
administrators' token list rather than to ``/tokens/``. A page whose path shares no prefix with
any entry falls back to the URL namespace of the view that served it, when exactly one visible
entry is in that namespace: an app may put its detail pages under another prefix than its list.
The base template marks that entry ``aria-current="page"`` and starts the breadcrumbs with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.functional import Promise

from jingban.core import plugins


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    namespace: str = ""
    current: bool = False


def navigation_for(
    user: object, path: str | None = None, namespace: str | None = None
) -> list[NavItem]:
    """The entries ``user`` may see; the one ``path`` (or ``namespace``) belongs to is marked."""
    can = getattr(user, "can", None)
    items = [
        NavItem(entry.label, reverse(entry.url_name), entry.url_name.rpartition(":")[0])
        for entry in plugins.navigation()
        if entry.capability is None or (can is not None and can(entry.capability))
    ]
    current = current_section(items, path, namespace)
    return [replace(item, current=item is current) for item in items]


def current_section(
    items: list[NavItem], path: str | None, namespace: str | None = None
) -> NavItem | None:
    """The entry whose URL is the longest prefix of ``path``; else the only one in
    ``namespace``; else None."""
    if path:
        matching = [
            item
            for item in items
            if item.url == path or (item.url != "/" and path.startswith(item.url))
        ]
        if matching:
            return max(matching, key=lambda item: len(item.url))
    if namespace:
        same = [item for item in items if item.namespace == namespace]
        if len(same) == 1:
            return same[0]
    return None
