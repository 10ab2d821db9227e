"""Display of the catalogue's figures: money in yuan, rates in per cent, visit types by label."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import template
from django.utils import translation

from jingban.engine.money import format_ratio, format_yuan
from jingban.engine.policy.meta import VISIT_TYPE_LABELS

register = template.Library()
_BY_VALUE = {str(k): v for k, v in VISIT_TYPE_LABELS.items()}


@register.filter
def yuan(fen: int | None) -> str:
    return "" if fen is None else format_yuan(int(fen))


@register.filter
def percent(rate: Decimal | None) -> str:
    return "" if rate is None else format_ratio(Fraction(rate))


def visit_type_label(value: str) -> str:
    labels = _BY_VALUE.get(value)
    if labels is None:
        return value
    return labels[1] if (translation.get_language() or "").startswith("en") else labels[0]


@register.filter
def visit_types(values: list[str] | None) -> str:
    return "、".join(visit_type_label(v) for v in values or [])
