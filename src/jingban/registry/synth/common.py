"""Shared pieces of the generator: day arithmetic, step functions, date columns."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

DAYS_PER_YEAR = 365.2425
ADULT = 18


def days(day: dt.date) -> int:
    """Days since 1970-01-01, the unit every date array of the generator uses."""
    return (day - dt.date(1970, 1, 1)).days


def steps(table: list[tuple[int, float]], values: np.ndarray) -> np.ndarray:
    """Look up a step function given as [(from, value), …] at each of ``values``."""
    starts = np.array([start for start, _value in table], dtype=np.float64)
    levels = np.array([value for _start, value in table], dtype=np.float64)
    return levels[np.searchsorted(starts, values, side="right") - 1]


def as_date(day_numbers: np.ndarray) -> pl.Series:
    return pl.Series(day_numbers.astype(np.int32)).cast(pl.Date)


def nullable_date(day_numbers: np.ndarray) -> pl.Series:
    """Dates, with null where the day number is negative (no date)."""
    frame = pl.DataFrame({"days": day_numbers.astype(np.int32)})
    return frame.select(pl.when(pl.col("days") >= 0).then(pl.col("days")).cast(pl.Date)).to_series()
