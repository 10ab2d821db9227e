"""The one paginator of list pages: a page number from the query string, where anything that is
not a page (a word, 0, a number past the end) gives the nearest real page, never an error."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def page_of(
    request: HttpRequest, items: Any, per_page: int = PAGE_SIZE, *, number: int | str | None = None
) -> Page[Any]:
    """The page of ``items`` (a queryset or a list) the request asks for with ``?page=N``, or
    page ``number`` when the caller read it elsewhere (a posted search form)."""
    asked = number if number is not None else request.GET.get("page")
    return Paginator(items, per_page).get_page(asked)
