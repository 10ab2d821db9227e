"""``{% export_links "registry:person_export" %}``: the CSV and xlsx links of a list, for users
who may download it, carrying the list's current filters (its query string without the page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from jingban.core.exports import EXPORT_CAPABILITY

register = template.Library()


@register.inclusion_tag("core/includes/export_links_body.html", takes_context=True)
def export_links(context: dict[str, Any], route: str) -> dict[str, object]:
    """``route`` names the export routes without their format: ``<route>_csv``, ``<route>_xlsx``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if (
        request is None
        or user is None
        or not getattr(user, "can", None)
        or not user.can(EXPORT_CAPABILITY)
    ):
        return {"links": []}
    query = request.GET.copy()
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    return {
        "links": [
            (fmt, label, reverse(f"{route}_{fmt}") + suffix)
            for fmt, label in (("csv", "CSV"), ("xlsx", "Excel (xlsx)"))
        ]
    }
