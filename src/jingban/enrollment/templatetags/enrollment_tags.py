"""``{{ fen|yuan }}``: an amount in fen shown in yuan (``¥1,234.56``)."""

from __future__ import annotations

from django import template

from jingban.engine.money import format_yuan

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    return "—" if fen is None else format_yuan(int(fen))
