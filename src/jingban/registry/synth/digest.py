"""A content digest of a synthetic city: SHA-256 over a canonical form of its frames.

The canonical form does not depend on how polars lays the frames out in memory, nor on its version
(unlike ``DataFrame.hash_rows``): each frame is taken in the order of its key columns, and each
column, in name order, contributes its name and type, then its values — integers as little-endian
int64, dates as int32 days since 1970-01-01, strings as their UTF-8 bytes after a table of their
byte lengths — and, when it has nulls, its null mask.
"""

from __future__ import annotations

import hashlib

import numpy as np
import polars as pl

# The columns that order each table's rows (unique together).
KEYS: dict[str, tuple[str, ...]] = {
    "regions": ("code",),
    "households": ("household",),
    "persons": ("person",),
    "household_members": ("household", "person"),
    "enrollments": ("person", "scheme", "year"),
    "memberships": ("person", "group"),
}


def _ascending(keys: tuple[str, ...]) -> pl.Expr:
    """Whether each row comes strictly after the one before it by ``keys`` (lexicographically)."""
    after: pl.Expr = pl.lit(value=False)
    for name in reversed(keys):
        column, before = pl.col(name), pl.col(name).shift(1)
        after = (column > before) | ((column == before) & after)
    return after


def _in_key_order(frame: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """The frame sorted by its keys; frames already in order (as generated) are not re-sorted."""
    if frame.height < 2:
        return frame
    in_order = frame.select(_ascending(keys).slice(1).all()).item()
    return frame if in_order else frame.sort(list(keys), maintain_order=True)


def _column_bytes(series: pl.Series) -> list[bytes]:
    parts: list[bytes] = []
    nulls = series.null_count()
    if series.dtype == pl.String:
        filled = series.fill_null("")
        lengths = filled.str.len_bytes().to_numpy().astype("<u4")
        parts.append(lengths.tobytes())
        joined = filled.str.join("").item() if len(filled) else ""
        parts.append(joined.encode())
    elif series.dtype == pl.Date:
        parts.append(series.to_physical().fill_null(0).to_numpy().astype("<i4").tobytes())
    elif series.dtype.is_integer():
        parts.append(series.fill_null(0).to_numpy().astype("<i8").tobytes())
    else:
        raise TypeError(f"no canonical form for a {series.dtype} column ({series.name})")
    if nulls:
        parts.append(np.packbits(series.is_null().to_numpy()).tobytes())
    return parts


def table_digest(name: str, frame: pl.DataFrame) -> str:
    """SHA-256 (hex) of one table in canonical form."""
    digest = hashlib.sha256()
    ordered = _in_key_order(frame, KEYS[name])
    digest.update(f"{name}:{ordered.height}\n".encode())
    for column in sorted(ordered.columns):
        series = ordered[column]
        digest.update(f"{column}:{series.dtype}:{series.null_count()}\n".encode())
        for part in _column_bytes(series):
            digest.update(part)
    return digest.hexdigest()


def city_digest(tables: dict[str, str]) -> str:
    """The city's digest, from the digests of its tables."""
    lines = "".join(f"{name} {tables[name]}\n" for name in sorted(tables))
    return hashlib.sha256(lines.encode()).hexdigest()


def digests(frames: dict[str, pl.DataFrame]) -> tuple[str, dict[str, str]]:
    """The city's digest and each table's."""
    tables = {name: table_digest(name, frame) for name, frame in frames.items()}
    return city_digest(tables), tables
