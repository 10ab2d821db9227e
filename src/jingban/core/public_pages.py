"""The public pages' navigation: every page an app declares for anyone (``AppPlugin.public_pages``).

The frame they share is ``public/base.html`` (core's templates), so an app's public page needs no
other app; the ``public`` app adds the index at ``/public/`` and the policy explanations."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from jingban.core import plugins


@dataclass(frozen=True)
class PublicLink:
    label: str | Promise
    url: str
    description: str | Promise
    current: bool


def public_links(path: str) -> list[PublicLink]:
    """The declared public pages, the one ``path`` lies under marked current."""
    links = []
    for page in plugins.public_pages():
        url = reverse(page.url_name)
        links.append(PublicLink(page.label, url, page.description, path.startswith(url)))
    return links


def public_index_url() -> str | None:
    """The public index (``public:index``), when the public app is installed."""
    try:
        return reverse("public:index")
    except NoReverseMatch:
        return None
