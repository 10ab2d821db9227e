"""The binary COPY encoder: every supported type, NULLs and text of fixed and varying length come
back from PostgreSQL as they went in; a value or type the column cannot take is refused."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.db import connection
from psycopg import sql

from jingban.core.pgcopy import BinaryRows, column_types

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)


def _round_trip(frame: pl.DataFrame, chunk: int = 2) -> list[tuple[object, ...]]:
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS sample (n bigint, small smallint, mid integer, "
            "flag boolean, day date, at timestamptz, code varchar(18), label text, empty text)"
        )
        rows = BinaryRows(frame, column_types(cursor, "sample"))
        statement = sql.SQL("COPY sample ({}) FROM STDIN (FORMAT binary)").format(
            sql.SQL(", ").join(map(sql.Identifier, rows.columns))
        )
        with cursor.copy(statement) as copy:
            pieces = list(rows.chunks(chunk))
            for _count, data in pieces:
                copy.write(data)
        counts = [count for count, _data in pieces]
        assert counts[0] == counts[-1] == 0 and sum(counts) == frame.height
        assert max(counts) <= chunk
        cursor.execute(f"SELECT {', '.join(frame.columns)} FROM sample ORDER BY n")
        return cursor.fetchall()


@pytest.mark.django_db
def test_values_and_nulls_come_back_as_written() -> None:
    frame = pl.DataFrame(
        {
            "n": [1, 2, 3, -(2**62)],
            "small": pl.Series([2024, None, -1, 32767], dtype=pl.Int16),
            "mid": pl.Series([7, 8, None, -(2**31)], dtype=pl.Int64),
            "flag": [True, False, None, True],
            "day": [dt.date(2000, 1, 1), dt.date(1969, 12, 31), None, dt.date(2025, 6, 30)],
            "at": pl.Series([NOW, NOW, None, NOW], dtype=pl.Datetime("us", "UTC")),
            "code": ["320505194109110109", "32050519410911010X", "320505194109110117", "x" * 18],
            "label": ["陈秀英", "", None, "苏州市虎丘区狮山街道狮山社区"],
            "empty": ["", "", "", ""],
        }
    )
    back = _round_trip(frame)
    assert back == [
        tuple((value.astimezone(UTC) if isinstance(value, dt.datetime) else value) for value in row)
        for row in frame.sort("n").iter_rows()
    ]


@pytest.mark.django_db
def test_fixed_width_columns_come_first_and_varying_ones_after() -> None:
    frame = pl.DataFrame(
        {
            "label": ["a", "bb"],
            "n": [1, 2],
            "code": ["AB", "CD"],
            "day": [None, dt.date(2025, 1, 1)],
        }
    )
    with connection.cursor() as wrapper:
        wrapper.cursor.execute(
            "CREATE TEMP TABLE sample (n bigint, day date, code text, label text)"
        )
        rows = BinaryRows(frame, column_types(wrapper.cursor, "sample"))
    assert rows.columns == ["n", "code", "label", "day"]


@pytest.mark.django_db
def test_a_value_the_column_cannot_hold_is_refused() -> None:
    with pytest.raises(pl.exceptions.InvalidOperationError):
        _round_trip(pl.DataFrame({"n": [1], "small": [70_000]}))


@pytest.mark.django_db
def test_a_series_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(TypeError, match="day"):
        _round_trip(pl.DataFrame({"n": [1], "day": ["2025-01-01"]}))
    with pytest.raises(TypeError, match="label"):
        _round_trip(pl.DataFrame({"n": [1], "label": [3]}))
    with pytest.raises(ValueError, match="nope"):
        _round_trip(pl.DataFrame({"n": [1], "nope": [3]}))
