from django import template

from jingban.engine.money import format_yuan

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """Fen shown in yuan (12345 → 123.45)."""
    return "" if fen is None else format_yuan(fen)
