"""``{% breadcrumbs %}{% block crumb %}{% endblock %}{% endbreadcrumbs %}`` in the base template:
the breadcrumb trail of a detail page, 首页 › its navigation section › the page.

A detail template fills the ``crumb`` block with one line (``{% block crumb %}{{ person.name }}
{% endblock %}``); a page that leaves it empty gets no trail. The section comes from the
navigation (``nav_current``, see ``core/navigation.py``), so no template names its parents.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()


class BreadcrumbsNode(template.Node):
    # The ``crumb`` block sits in this node's nodelist; {% extends %} finds it there.
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        crumb = self.nodelist.render(context).strip()
        if not crumb:
            return ""
        section = context.get("nav_current")
        items = context.get("nav_items") or ()
        home = next((item for item in items if item.url == "/"), None)
        values: dict[str, Any] = {
            "home": home,
            "section": section if section is not None and section is not home else None,
            "crumb": mark_safe(crumb),  # noqa: S308 - rendered (and escaped) by the block
        }
        return render_to_string("core/includes/breadcrumbs.html", values)


@register.tag
def breadcrumbs(parser: Parser, token: Token) -> BreadcrumbsNode:
    nodelist = parser.parse(("endbreadcrumbs",))
    parser.delete_first_token()
    return BreadcrumbsNode(nodelist)
