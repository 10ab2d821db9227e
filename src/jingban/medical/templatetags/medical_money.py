"""Amounts in fen shown in yuan (``¥1,234.56``), for the settlement pages."""

from __future__ import annotations

from django import template

from jingban.engine.money import format_yuan

register = template.Library()


@register.filter
def fen(value: int | None) -> str:
    return "—" if value is None else format_yuan(int(value))
