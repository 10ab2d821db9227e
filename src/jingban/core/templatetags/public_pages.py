"""``{% public_navigation %}``: the public pages' links, for ``public/base.html``."""

from __future__ import annotations

from django import template
from django.template.context import RequestContext

from jingban.core.public_pages import PublicLink, public_index_url, public_links

register = template.Library()


@register.simple_tag(takes_context=True)
def public_navigation(context: RequestContext) -> list[PublicLink]:
    request = context.get("request")
    return public_links(request.path if request is not None else "")


@register.simple_tag
def public_index() -> str | None:
    return public_index_url()
