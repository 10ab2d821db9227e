"""``{{ fen|yuan }}``: an amount in fen shown in yuan with two decimals (``1,200.00``)."""

from __future__ import annotations

from django import template

from jingban.ltc import texts_settlement

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    return texts_settlement.yuan(fen)
