"""Enrollment's uploaded tables: the reading and the report are core's (``jingban.core.tables``),
named here as well for the modules that import them from enrollment; and the days and times
written in its cells."""

from __future__ import annotations

import datetime as dt

from jingban.core.tables import (
    MAX_BYTES,
    MAX_ROWS,
    ImportRefused,
    RowProblem,
    columns,
    file_problem,
    read_table,
)

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportRefused",
    "RowProblem",
    "columns",
    "file_problem",
    "parse_day",
    "parse_moment",
    "read_table",
]


def parse_day(text: str) -> dt.date:
    """A day written 2026-03-01, 2026/3/1 or 20260301 (ValueError otherwise)."""
    value = text.strip().split(" ")[0].split("T")[0]
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_moment(text: str) -> dt.datetime:
    """A time written 2026-03-01 10:20[:30] (or a bare day: its start), naive."""
    value = text.strip().replace("T", " ").replace("/", "-")
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y%m%d%H%M%S"):
        try:
            return dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise ValueError(text)
