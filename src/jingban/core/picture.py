"""The contract of the person's whole picture (``jingban.picture``): each app that knows something
of an insured person declares one or more sections in its plugin's ``extra["person_picture"]``,
a tuple of ``"module:function"`` names. Each function is called as

    section(person, viewer, *, year) -> PictureSection | None

``person`` is a ``registry.Person`` the viewer may already see (the picture app checked the
viewer's scope: the person themself or their agent, or staff whose region holds the person);
``viewer`` is the signed-in ``core.User``; ``year`` is the year asked for (``None``: the current
one, where a section is by year). A section returns ``None`` when the viewer's capabilities do
not cover it: the page then says nothing of it, not even that it is hidden.

A section masks personal data the way its own app's pages do: the picture reveals nothing the
app itself would not show this viewer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

PICTURE_SECTIONS = "person_picture"


@dataclass(frozen=True)
class PictureSection:
    """One section of the picture.

    ``key``: stable, app-prefixed (``enrollment.coverage``), also the API's key.
    ``title``: the heading (a lazy translation).
    ``order``: where it stands on the page (smaller first).
    ``template``: renders the section's body; it gets ``section`` and ``context``'s items.
    ``context``: what the template needs (model instances may go here).
    ``data``: the same content for the API, JSON-ready (str, int, bool, None, lists, dicts),
    money in integer fen, dates as ISO strings, labels already translated for the request.
    ``count``: how many items the section holds (0 shows the section's empty text).
    ``link``: a page with the full list, when the section shows only the latest items.
    """

    key: str
    title: str | Promise
    order: int
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)
    count: int = 0
    link: str = ""
