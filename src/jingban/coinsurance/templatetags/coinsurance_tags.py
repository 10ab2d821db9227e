from __future__ import annotations

from django import template

from jingban.engine.money import format_yuan

register = template.Library()


@register.filter
def coins_yuan(fen: object) -> str:
    """Fen as ¥1,234.56 (a statement's figures)."""
    return "—" if fen is None else format_yuan(int(fen))  # type: ignore[call-overload]


@register.filter
def coins_percent(share: object) -> str:
    """A stored share (30.0000) as 30 %, its decimals only where it has them (9.0909 %)."""
    text = f"{share:f}" if share is not None else ""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} %"
