"""Amounts in fen shown in yuan (``¥1,234.56``), and explanation lines in the active language."""

from __future__ import annotations

from django import template

from jingban.engine.money import format_yuan

register = template.Library()


@register.filter
def yuan(value: int | None) -> str:
    return "—" if value is None else format_yuan(int(value))


@register.filter
def line_text(line: dict[str, object]) -> str:
    from jingban.accident.services import line_text as text

    return text(line)
