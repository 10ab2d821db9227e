"""What the accident app reads from the policy packs: the accident product in force for a region
on a day (approved versions in the database; the shipped packs when none is stored)."""

from __future__ import annotations

import calendar
import datetime as dt

from jingban.engine.policy.errors import PackError
from jingban.engine.policy.families.accident import AccidentProduct, AccidentRules
from jingban.engine.policy.header import Family
from jingban.engine.policy.loader import PolicyPack
from jingban.engine.policy.registry import UnknownPack, shipped_registry
from jingban.packs import queries as pack_queries

SCHEME = "elderly_accident"
# The product the demo and the shipped pack sell (安康关爱).
PRODUCT = "jiangsu-ankang-2026"


def product_pack(region_code: str, day: dt.date) -> PolicyPack | None:
    """The accident pack in force for ``region_code`` (six digits or longer) on ``day``."""
    for registry in (pack_queries.current_registry(), shipped_registry()):
        try:
            return registry.in_force(region_code[:6], SCHEME, day, Family.ACCIDENT)
        except (PackError, UnknownPack):
            continue
    return None


def pack_by_spec(spec: str) -> PolicyPack | None:
    """The pack ``id@version`` an enrollment or a claim recorded."""
    pack_id, _sep, version = spec.partition("@")
    for registry in (pack_queries.current_registry(), shipped_registry()):
        try:
            return registry.get(pack_id, int(version))
        except (PackError, UnknownPack, ValueError):
            continue
    return None


def product_of(pack: PolicyPack) -> AccidentProduct:
    rules = pack.rules
    if not isinstance(rules, AccidentRules):  # pragma: no cover - the registry filters by family
        raise TypeError(f"{pack.id} is not an accident pack")
    return rules.accident


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cover_end(start: dt.date, product: AccidentProduct) -> dt.date:
    """The last day of cover starting on ``start``."""
    return add_months(start, product.cover_months) - dt.timedelta(days=1)


def products() -> list[tuple[str, str]]:
    """C3: (pack id, label in the active language) of every accident product sold."""
    from django.utils.translation import get_language

    zh = (get_language() or "zh-hans").startswith("zh")
    found: dict[str, str] = {}
    for registry in (pack_queries.current_registry(), shipped_registry()):
        for pack in registry.all():
            if pack.family is Family.ACCIDENT and pack.id not in found:
                label = product_of(pack).label
                found[pack.id] = label.zh if zh else label.en
    return sorted(found.items())
