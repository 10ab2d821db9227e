"""PostgreSQL's binary COPY format, written from polars frames on whole columns.

The server stores binary values without parsing them: no text-to-date or text-to-timestamp
conversion per row, which is a large part of what a CSV COPY of the synthetic city costs
PostgreSQL (a third of the COPY of the persons, whose two timestamps alone took 0.65 s per
million rows). Each row is a field count, then per field its length (-1 for NULL) and its bytes:
integers big-endian, dates as days and timestamps as microseconds since 2000-01-01, text as its
UTF-8 bytes.

Rows are assembled without a Python loop over them: the fields that are never NULL and have the
same width in every row (numbers, dates, and text whose values all have the same length, such as
document numbers) go into one numpy record per row; the others are polars binary columns that
polars appends row by row. The COPY's column list puts the record's fields first, which is why
``BinaryRows.columns`` gives the order to name them in.

Only the types the registry's tables use are supported (smallint, integer, bigint, boolean,
date, timestamp with or without time zone, text and varchar): each column is checked against the
table's catalog type before the COPY starts, and a value the type cannot hold is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"

_DAYS_1970_TO_2000 = 10_957
_MICROSECONDS_1970_TO_2000 = _DAYS_1970_TO_2000 * 86_400 * 1_000_000

# Catalog type name: (width in bytes, big-endian numpy type); None for variable-width text.
_TYPES: dict[str, tuple[int, str] | None] = {
    "int2": (2, ">i2"),
    "int4": (4, ">i4"),
    "int8": (8, ">i8"),
    "bool": (1, "u1"),
    "date": (4, ">i4"),
    "timestamp": (8, ">i8"),
    "timestamptz": (8, ">i8"),
    "text": None,
    "varchar": None,
}


@dataclass(frozen=True)
class _Field:
    name: str
    type: str
    # Bytes of every value: the type's width, or the common length of text whose values all
    # have the same length (document numbers, codes); None when it varies.
    width: int | None
    nullable: bool

    @property
    def in_record(self) -> bool:
        """Whether the field sits at the same place in every row."""
        return self.width is not None and not self.nullable


def column_types(cursor: object, table: str) -> dict[str, str]:
    """The catalog type name (``int8``, ``date`` …) of each column of ``table``."""
    rows = cursor.execute(  # type: ignore[attr-defined]
        """
        SELECT a.attname, t.typname
        FROM pg_attribute AS a JOIN pg_type AS t ON t.oid = a.atttypid
        WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
        """,
        [table],
    ).fetchall()
    return dict(rows)


def _values(series: pl.Series, field: _Field) -> np.ndarray:
    """The column's values as the big-endian numbers PostgreSQL reads (NULLs as 0)."""
    fixed = _TYPES[field.type]
    assert fixed is not None
    if field.type == "date":
        days = series.to_physical().cast(pl.Int64).fill_null(_DAYS_1970_TO_2000)
        return (days.to_numpy() - _DAYS_1970_TO_2000).astype(fixed[1])
    if field.type in ("timestamp", "timestamptz"):
        micros = series.dt.cast_time_unit("us").to_physical().fill_null(_MICROSECONDS_1970_TO_2000)
        return (micros.to_numpy() - _MICROSECONDS_1970_TO_2000).astype(fixed[1])
    if field.type == "bool":
        return series.fill_null(value=False).cast(pl.UInt8).to_numpy()
    # A strict cast refuses a value the column's type cannot hold.
    target = {"int2": pl.Int16, "int4": pl.Int32, "int8": pl.Int64}[field.type]
    return series.cast(target, strict=True).fill_null(0).to_numpy().astype(fixed[1])


def _accepts(type_name: str, dtype: pl.DataType) -> bool:
    """Whether a series of ``dtype`` can be written to a column of the catalog type."""
    if type_name in ("text", "varchar"):
        return dtype == pl.String
    if type_name == "date":
        return dtype == pl.Date
    if type_name in ("timestamp", "timestamptz"):
        return isinstance(dtype, pl.Datetime)
    if type_name == "bool":
        return dtype == pl.Boolean
    return dtype.is_integer()


def _flat_bytes(binary: pl.Series) -> np.ndarray:
    """The bytes of a binary column, one value after the other, as a uint8 array."""
    return binary.cast(pl.List(pl.UInt8)).list.explode(empty_as_null=False).to_numpy()


def _binary(matrix: np.ndarray) -> pl.Series:
    """A binary column from the rows of a 2-D uint8 array."""
    return pl.Series(matrix).arr.to_list().cast(pl.Binary)


def _matrix(series: pl.Series, field: _Field) -> np.ndarray:
    """The values of a field, as ``width`` bytes per row."""
    assert field.width is not None
    if _TYPES[field.type] is None:
        return _flat_bytes(series.cast(pl.Binary)).reshape(len(series), field.width)
    return _values(series, field).view(np.uint8).reshape(len(series), field.width)


def _lengths(series: pl.Series, field: _Field) -> np.ndarray:
    """The length word of each value: its width in bytes, or -1 for NULL."""
    if field.width is None:
        lengths = series.str.len_bytes().cast(pl.Int32).fill_null(-1).to_numpy()
    else:
        lengths = np.full(len(series), field.width, dtype=np.int32)
        if field.nullable:
            lengths[series.is_null().to_numpy()] = -1
    return lengths


def _payload(series: pl.Series, field: _Field) -> pl.Series:
    """The bytes of a variable field, as a binary column (empty for NULL)."""
    if field.width is None:
        return series.cast(pl.Binary).fill_null(b"")
    payload = _binary(_matrix(series, field))
    nulls = series.is_null()
    return payload.set(nulls, b"") if nulls.any() else payload


def _field(frame: pl.DataFrame, name: str, type_name: str) -> _Field:
    if type_name not in _TYPES:
        raise TypeError(f"{name}: no binary encoding for type {type_name}")
    series = frame[name]
    if not _accepts(type_name, series.dtype):
        raise TypeError(f"{name}: a {series.dtype} series cannot fill a {type_name} column")
    fixed = _TYPES[type_name]
    width = fixed[0] if fixed else None
    if fixed is None:
        lengths = series.str.len_bytes().unique().drop_nulls()
        if len(lengths) == 1:
            width = int(lengths[0])
    return _Field(name, type_name, width, nullable=series.null_count() > 0)


class BinaryRows:
    """The binary COPY data of a frame for the columns of one table.

    ``columns`` is the order in which the COPY statement must name them; ``chunks(size)`` yields
    the COPY data (header, rows, trailer).

    Every row starts with a numpy record holding the field count, the fields that have the same
    width in every row (length word and value) and the length word of the first other field;
    the other fields follow as polars binary columns, each value followed by the next field's
    length word."""

    def __init__(self, frame: pl.DataFrame, types: dict[str, str]) -> None:
        missing = [name for name in frame.columns if name not in types]
        if missing:
            raise ValueError(f"the table has no column {', '.join(missing)}")
        fields = [_field(frame, name, types[name]) for name in frame.columns]
        self._frame = frame
        self._fixed = [f for f in fields if f.in_record]
        self._variable = [f for f in fields if not f.in_record]
        self.columns = [f.name for f in (*self._fixed, *self._variable)]
        layout: list[tuple[str, str | tuple[str, tuple[int]]]] = [("count", ">i2")]
        for index, field in enumerate(self._fixed):
            fixed = _TYPES[field.type]
            value = fixed[1] if fixed else ("u1", (field.width or 0,))
            layout += [(f"length{index}", ">i4"), (f"value{index}", value)]
        if self._variable:
            layout.append(("next", ">i4"))
        self._record = np.dtype(layout)

    def _encode(self, chunk: pl.DataFrame) -> bytes:
        record = np.empty(chunk.height, dtype=self._record)
        record["count"] = len(self.columns)
        for index, field in enumerate(self._fixed):
            record[f"length{index}"] = field.width
            series = chunk[field.name]
            text = _TYPES[field.type] is None
            record[f"value{index}"] = _matrix(series, field) if text else _values(series, field)
        if self._variable:
            first = self._variable[0]
            record["next"] = _lengths(chunk[first.name], first)
        assembled = _binary(record.view(np.uint8).reshape(chunk.height, self._record.itemsize))
        for index, field in enumerate(self._variable):
            assembled = assembled + _payload(chunk[field.name], field)
            if index + 1 < len(self._variable):
                following = self._variable[index + 1]
                lengths = _lengths(chunk[following.name], following)
                assembled = assembled + _binary(
                    lengths.astype(">i4").view(np.uint8).reshape(chunk.height, 4)
                )
        return _flat_bytes(assembled).tobytes()

    def chunks(self, size: int) -> Iterator[tuple[int, bytes]]:
        """The COPY data in pieces of at most ``size`` rows, each with its number of rows: the
        file header first (0 rows), the trailer last (0 rows)."""
        yield 0, HEADER
        for offset in range(0, self._frame.height, size):
            chunk = self._frame.slice(offset, size)
            yield chunk.height, self._encode(chunk)
        yield 0, TRAILER
