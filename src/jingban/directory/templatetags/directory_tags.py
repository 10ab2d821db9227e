"""``{{ number|tel }}``: the ``tel:`` address of a stored phone number."""

from __future__ import annotations

from django import template

from jingban.directory.phones import tel_href

register = template.Library()


@register.filter
def tel(number: str) -> str:
    return tel_href(number)
