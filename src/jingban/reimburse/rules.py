"""What reimbursement reads from the policy packs: the reimbursement pack in force for the
insured place on a day (approved versions in the database; the shipped packs when none is
stored)."""

from __future__ import annotations

import datetime as dt

from jingban.engine.policy.errors import PackError
from jingban.engine.policy.families.reimbursement import ReimbursementRules
from jingban.engine.policy.header import Family
from jingban.engine.policy.loader import PolicyPack
from jingban.engine.policy.registry import UnknownPack, shipped_registry
from jingban.packs import queries as pack_queries

SCHEME = "resident_medical"


def reimbursement_pack(region_code: str, day: dt.date) -> PolicyPack | None:
    for registry in (pack_queries.current_registry(), shipped_registry()):
        try:
            return registry.in_force(region_code[:6], SCHEME, day, Family.REIMBURSEMENT)
        except (PackError, UnknownPack):
            continue
    return None


def rules_of(pack: PolicyPack) -> ReimbursementRules:
    rules = pack.rules
    if not isinstance(rules, ReimbursementRules):  # pragma: no cover - filtered by family
        raise TypeError(f"{pack.id} is not a reimbursement pack")
    return rules


def pack_of(region_code: str, day: dt.date, spec: str) -> PolicyPack | None:
    """The pack an application was received under (``id@version``), else the one in force."""
    for registry in (pack_queries.current_registry(), shipped_registry()):
        try:
            return registry.resolve(spec)
        except (PackError, UnknownPack, ValueError):
            continue
    return reimbursement_pack(region_code, day)
