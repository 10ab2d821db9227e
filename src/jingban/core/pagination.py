"""The paginators of list pages. ``page_of``: a page number from the query string, where anything
that is not a page (a word, 0, a number past the end) gives the nearest real page, never an
error. ``keyset_page``: for long lists, a page found by seeking from a cursor (see below), and
``counted``: a count that stays cheap on a million rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import F, Model, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.functions import Coalesce
from django.http import HttpRequest

PAGE_SIZE = 50
_M = TypeVar("_M", bound=Model)


def page_of(
    request: HttpRequest, items: Any, per_page: int = PAGE_SIZE, *, number: int | str | None = None
) -> Page[Any]:
    """The page of ``items`` (a queryset or a list) the request asks for with ``?page=N``, or
    page ``number`` when the caller read it elsewhere (a posted search form)."""
    asked = number if number is not None else request.GET.get("page")
    return Paginator(items, per_page).get_page(asked)


# --- Keyset paging ---------------------------------------------------------------------------
#
# OFFSET paging reads and throws away every row before the page: page 5,000 of a list costs 5,000
# pages. Keyset paging seeks instead: the next page is the rows after the last one shown, in
# the sort order (its key, then the id), which an index on (key, id) finds directly, however deep
# the page. A cursor is the id of a row on the page, never its key: the key may be personal
# data (a name, a number), and the row's key is read back from the database, within the
# caller's scope.

#: Rows counted exactly before a list's size is given as an estimate ("about N").
COUNT_CAP = 10_000


@dataclass(frozen=True)
class KeysetPage(Generic[_M]):
    object_list: list[_M]
    # The id to seek after for the next page, and before for the previous one (None: no page).
    next_cursor: int | None
    previous_cursor: int | None

    @property
    def has_other_pages(self) -> bool:
        return self.next_cursor is not None or self.previous_cursor is not None


def _keyed(
    items: QuerySet[_M], keys: Sequence[Any], *, sparse: bool = False
) -> tuple[QuerySet[_M], list[str]]:
    """``items`` with the sort keys and the id annotated as ``_key0`` … ``_keyid``. ``sparse``
    hides the keys from the indexes (``COALESCE(k, k)`` sorts like ``k``): for a few matches the
    planner should find them all by the search's indexes and sort them, not walk a sort index
    hoping to meet them early — matches are often clustered (one district's numbers, registered
    together), and the walk then reads most of the table."""
    exprs = [*keys, F("pk")]
    if sparse:
        exprs = [Coalesce(k, k) if not isinstance(k, str) else Coalesce(F(k), F(k)) for k in exprs]
    names = [*(f"_key{index}" for index in range(len(keys))), "_keyid"]
    return items.annotate(**dict(zip(names, exprs, strict=True))), names


def keyset_page(
    items: QuerySet[_M],
    *,
    keys: Sequence[Any],
    descending: bool = False,
    size: int = PAGE_SIZE,
    after: int | None = None,
    before: int | None = None,
    key_source: QuerySet[_M] | None = None,
    sparse: bool = False,
) -> KeysetPage[_M]:
    """A page of ``items`` in the order of ``keys`` (expressions, all ascending or all
    descending), then the primary key: the first page, or the one after the row ``after``, or
    the one before the row ``before``. The cursor row's key is read from ``key_source`` (the
    caller's scope; default ``items``); a cursor not found there gives the first page. Pass
    ``sparse`` when few rows match (see ``_keyed``; ``counted`` tells)."""
    keyed, names = _keyed(items, keys, sparse=sparse)
    cursor = after if after is not None else before
    bound: list[Any] | None = None
    if cursor is not None:
        source, _names = _keyed(
            key_source if key_source is not None else items, keys, sparse=sparse
        )
        row = source.filter(pk=cursor).values_list(*names).first()
        bound = list(row) if row is not None else None
    forward = before is None or bound is None
    order = [f"-{n}" if descending != (not forward) else n for n in names]
    position = Tuple(*(F(n) for n in names))
    ahead = TupleLessThan if descending else TupleGreaterThan
    behind = TupleGreaterThan if descending else TupleLessThan
    query = keyed
    if bound is not None:
        query = keyed.filter((ahead if forward else behind)(position, bound))
    rows = list(query.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    if not rows:
        return KeysetPage([], None, None)
    if forward:
        has_next = more
        has_previous = (
            bound is not None
            and keyed.filter(behind(position, _bound_of(keyed, names, rows[0].pk))).exists()
        )
    else:
        has_previous = more
        has_next = keyed.filter(ahead(position, _bound_of(keyed, names, rows[-1].pk))).exists()
    return KeysetPage(
        rows,
        next_cursor=rows[-1].pk if has_next else None,
        previous_cursor=rows[0].pk if has_previous else None,
    )


def _bound_of(keyed: QuerySet[_M], names: list[str], pk: int) -> list[Any]:
    return list(keyed.filter(pk=pk).values_list(*names).get())


def counted(items: QuerySet[Any], cap: int | None = None) -> tuple[int, bool]:
    """How many ``items`` there are, and whether that is exact. Up to ``cap`` (default
    ``COUNT_CAP``) rows are counted; beyond, the planner's estimate is given (at least
    ``cap + 1``), as "about N"."""
    cap = COUNT_CAP if cap is None else cap
    bare = items.order_by()
    found = bare[: cap + 1].count()
    if found <= cap:
        return found, True
    plan = json.loads(bare.explain(format="json"))
    estimate = int(plan[0]["Plan"]["Plan Rows"]) if plan else 0
    return max(estimate, cap + 1), False


def about(count: int) -> int:
    """An estimate rounded to two significant digits (123,456 → 120,000)."""
    if count < 100:
        return count
    scale = 10 ** (len(str(count)) - 2)
    return round(count / scale) * scale
