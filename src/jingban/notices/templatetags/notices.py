"""``{% waiting_notices as count %}``: the header's count of the user's waiting notices."""

from __future__ import annotations

from typing import Any

from django import template

from jingban.notices import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_notices(context: dict[str, Any]) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return queries.waiting_count(user)
