"""What filing reads from the policy packs: the filing pack in force for the insured place on a
day (approved versions in the database; the shipped packs when none is stored)."""

from __future__ import annotations

import datetime as dt

from jingban.engine.policy.errors import PackError
from jingban.engine.policy.families.filing import FilingRules
from jingban.engine.policy.header import Family
from jingban.engine.policy.loader import PolicyPack
from jingban.engine.policy.registry import UnknownPack, shipped_registry
from jingban.packs import queries as pack_queries

# The filing pack is written for the medical fund of the insured place.
FILING_SCHEME = "resident_medical"
# Without a filing pack in force: one prefecture-level city is one pooling area.
DEFAULT_POOLING_DIGITS = 4


def filing_pack(region_code: str, day: dt.date) -> PolicyPack | None:
    """The filing pack in force for ``region_code`` (six digits or longer) on ``day``."""
    for registry in (pack_queries.current_registry(), shipped_registry()):
        try:
            return registry.in_force(region_code[:6], FILING_SCHEME, day, Family.FILING)
        except (PackError, UnknownPack):
            continue
    return None


def rules_of(pack: PolicyPack) -> FilingRules:
    rules = pack.rules
    if not isinstance(rules, FilingRules):  # pragma: no cover - the registry filters by family
        raise TypeError(f"{pack.id} is not a filing pack")
    return rules


def pooling_digits(region_code: str, day: dt.date) -> int:
    pack = filing_pack(region_code, day)
    return rules_of(pack).pooling_digits if pack is not None else DEFAULT_POOLING_DIGITS


def pooling_area(code: str, digits: int) -> str:
    """The six-digit code of the pooling area ``code`` lies in (320505 → 320500 with 4 digits)."""
    return code[:digits].ljust(6, "0")
