"""The products on sale and their enrollment window.

The products are the supplementary packs in force (their premium, deductible, ratios and limits
are the pack's). The enrollment window and the cover period are not in the packs yet (the pack
version that adds them is future work, docs/supplementary.md): until then they are these SAMPLE
figures: enrollment from 12-01 of the year before to 01-31 of the cover year, cover for the
calendar year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jingban.engine.policy.header import Family
from jingban.engine.policy.loader import PolicyPack
from jingban.engine.policy.registry import UnknownPack
from jingban.packs.queries import current_registry

# SAMPLE: no source gives the window; the seed (001) names only the product and the premium.
WINDOW_OPENS = (12, 1)  # month, day of the year before the cover year
WINDOW_CLOSES = (1, 31)  # month, day of the cover year


@dataclass(frozen=True)
class Window:
    year: int
    opens: dt.date
    closes: dt.date


def window_for(year: int) -> Window:
    """The enrollment window of cover year ``year``."""
    return Window(year, dt.date(year - 1, *WINDOW_OPENS), dt.date(year, *WINDOW_CLOSES))


def cover_year_open_on(day: dt.date) -> int | None:
    """The cover year whose window is open on ``day``, or None."""
    for year in (day.year, day.year + 1):
        window = window_for(year)
        if window.opens <= day <= window.closes:
            return year
    return None


def products(on: dt.date | None = None) -> list[PolicyPack]:
    """The latest version of every supplementary pack (in force on ``on`` when given)."""
    registry = current_registry()
    found = []
    for pack_id in registry.ids():
        pack = registry.get(pack_id)
        if pack.family is not Family.SUPPLEMENTARY:
            continue
        if on is not None and not pack.covers(on):
            continue
        found.append(pack)
    return found


def product(pack_id: str, on: dt.date | None = None) -> PolicyPack | None:
    """The product's pack (the latest version covering ``on``), or None."""
    registry = current_registry()
    try:
        latest = registry.get(pack_id)
    except UnknownPack:
        return None
    if latest.family is not Family.SUPPLEMENTARY:
        return None
    if on is None:
        return latest
    versions = [p for p in registry.all() if p.id == pack_id and p.covers(on)]
    return max(versions, key=lambda p: p.version) if versions else None


def premium_fen(pack: PolicyPack) -> int:
    return int(pack.supplementary.supplementary.premium)
