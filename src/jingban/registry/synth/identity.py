"""Who the persons are on paper: names, mobile phones and resident ID numbers, on whole columns."""

from __future__ import annotations

import numpy as np
import polars as pl

from jingban.registry.synth.common import DAYS_PER_YEAR
from jingban.registry.synth.data import CityData

SEQUENCE_BASE = 10  # sequences 010–999: the demo's hand-made numbers use 001–009
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = list("10X98765432")


class CityTooLarge(ValueError):
    """More persons share a county, birth date and sex than document sequences allow."""


def surnames(rng: np.random.Generator, data: CityData, count: int) -> pl.Series:
    table = data.names.surnames
    names = [name for name, _share in table.top] + list(table.tail)
    tail_share = (100 - sum(share for _name, share in table.top)) / len(table.tail)
    weights = np.array([share for _name, share in table.top] + [tail_share] * len(table.tail))
    return pl.Series(names).gather(rng.choice(len(names), size=count, p=weights / weights.sum()))


def given_names(
    rng: np.random.Generator, data: CityData, birth: np.ndarray, male: np.ndarray
) -> pl.Series:
    """One or two characters from the pool of the person's sex and birth cohort."""
    given = data.names.given
    modern = 1970 + birth / DAYS_PER_YEAR >= given.modern_from
    pools = [given.older_female, given.older_male, given.modern_female, given.modern_male]
    lengths = np.array([len(pool) for pool in pools])
    offsets = np.r_[0, np.cumsum(lengths)[:-1]]
    group = modern.astype(np.int64) * 2 + male.astype(np.int64)
    count = len(group)
    chars = pl.Series(list("".join(pools)))
    first = offsets[group] + np.floor(rng.random(count) * lengths[group]).astype(np.int64)
    second = offsets[group] + np.floor(rng.random(count) * lengths[group]).astype(np.int64)
    single = rng.random(count) < np.where(modern, given.single["modern"], given.single["older"])
    frame = pl.DataFrame(
        {"first": chars.gather(first), "second": chars.gather(second), "single": single}
    )
    return frame.select(
        pl.col("first") + pl.when(pl.col("single")).then(pl.lit("")).otherwise(pl.col("second"))
    ).to_series()


def phones(rng: np.random.Generator, data: CityData, count: int) -> pl.Series:
    prefixes = data.phones.prefixes
    weights = np.array([weight for _prefix, weight in prefixes])
    prefix = pl.Series([p for p, _weight in prefixes]).gather(
        rng.choice(len(prefixes), size=count, p=weights / weights.sum())
    )
    return prefix + pl.Series(rng.integers(0, 10**8, size=count)).cast(pl.String).str.zfill(8)


def document_bodies(county: np.ndarray, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
    """The first 17 digits of each resident ID as an integer: county code, birth date, and a
    sequence ranked within (county, birth date, sex), odd for men and even for women. Unique by
    construction, and their order is the order of the numbers."""
    dates = birth.astype("datetime64[D]")
    months_since_epoch = dates.astype("datetime64[M]")
    years = months_since_epoch.astype(np.int64) // 12 + 1970
    months = months_since_epoch.astype(np.int64) % 12 + 1
    day_of_month = (dates - months_since_epoch).astype(np.int64) + 1
    yyyymmdd = years * 10000 + months * 100 + day_of_month
    # One sort key: county, then birth day (shifted positive), then sex.
    key = (county - 100000) * (1 << 40) + (birth + (1 << 30)) * 2 + male.astype(np.int64)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order] >> 1  # the group: county and birth day, both sexes apart below
    sorted_male = male[order]
    starts = np.r_[
        True, (sorted_key[1:] != sorted_key[:-1]) | (sorted_male[1:] != sorted_male[:-1])
    ]
    positions = np.arange(len(order))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = positions - np.maximum.accumulate(np.where(starts, positions, 0))
    sequence = SEQUENCE_BASE + 2 * rank + male.astype(np.int64)
    if len(sequence) and int(sequence.max()) > 999:
        raise CityTooLarge("more persons share a county, birth date and sex than sequences allow")
    return county * 10**11 + yyyymmdd * 1000 + sequence


def documents(bodies: np.ndarray) -> pl.Series:
    """Whole numbers: the 17-digit bodies with their GB 11643 (ISO 7064 MOD 11-2) check
    character."""
    total = np.zeros(len(bodies), dtype=np.int64)
    rest = bodies.copy()
    for weight in reversed(_WEIGHTS):  # from the last digit of the body to the first
        total += (rest % 10) * weight
        rest //= 10
    return pl.Series(bodies).cast(pl.String) + pl.Series(_CHECK).gather(total % 11)
