"""Case numbers: every LTC case, whatever opened it (an application, a re-assessment the centre
orders, a demo or a synthetic city), is numbered ``长护2026-000123``: the year and a six-digit
sequence within it.

Numbering is safe for two requests at once: ``next_number`` and ``reserve`` take a transaction
advisory lock for the year (as the platform serialises its other counters) before reading the
year's last number, so a second caller waits until the first one's case is committed, then
reads past it. They must run inside the transaction that creates the case(s): the lock is
released when that transaction ends.

Bulk code (the synthetic city) reserves a run of sequence numbers once (``reserve``) and
formats each row's number itself (``format_number``), without a query per row.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection

PREFIX = "长护"
WIDTH = 6
_TAIL = re.compile(r"(\d+)$")


def format_number(year: int, sequence: int) -> str:
    """The case number of the ``sequence``-th case of ``year`` (``长护2026-000123``)."""
    return f"{PREFIX}{year}-{sequence:0{WIDTH}d}"


def year_prefix(year: int) -> str:
    return f"{PREFIX}{year}-"


def _lock(year: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"ltc.case.number:{year}"])


def _last_sequence(year: int) -> int:
    from jingban.ltc.models import Case

    last = (
        Case.objects.filter(number__startswith=year_prefix(year))
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    match = _TAIL.search(last) if last else None
    return int(match.group(1)) if match else 0


def reserve(year: int, count: int = 1) -> int:
    """Reserve ``count`` consecutive sequence numbers of ``year`` and answer the first; the
    caller creates the cases in the same transaction (numbers ``first`` … ``first+count-1``)."""
    if not connection.in_atomic_block:
        raise RuntimeError("Case numbers are reserved inside the transaction creating the cases.")
    _lock(year)
    return _last_sequence(year) + 1


def next_number(day: dt.date) -> str:
    """The next case number of ``day``'s year, inside the transaction creating the case."""
    return format_number(day.year, reserve(day.year))
