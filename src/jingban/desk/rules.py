"""What the desk reads from the policy packs: the deadline of a category and the report reward,
from the desk pack in force for the case's region and day (approved versions in the database;
the shipped packs when none is stored)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jingban.core.calendar import add_working_days, is_provisional
from jingban.engine.policy.errors import PackError
from jingban.engine.policy.header import Family
from jingban.engine.policy.loader import PolicyPack
from jingban.engine.policy.registry import UnknownPack, shipped_registry
from jingban.packs import queries as pack_queries

# The desk pack is written for the medical fund; a case without a scheme reads it too.
DESK_SCHEME = "resident_medical"
# When no desk pack is in force: the general rule of 《信访工作条例》: 15 working
# days, marked as a fallback (sample) on the case.
FALLBACK_DAYS = 15
FALLBACK_REMIND = 2


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    remind_from: dt.date
    pack: str
    sample: bool
    provisional: bool = False


def desk_pack(region_code: str, day: dt.date) -> PolicyPack | None:
    for registry in (pack_queries.current_registry(), shipped_registry()):
        try:
            return registry.in_force(region_code, DESK_SCHEME, day, Family.DESK)
        except (PackError, UnknownPack):
            continue
    return None


def deadline_for(category: str, region_code: str, received_on: dt.date) -> Deadline:
    """The answer deadline, counted in working days from the day of receipt."""
    return deadline_in(desk_pack(region_code, received_on), category, received_on)


def deadline_in(pack: PolicyPack | None, category: str, received_on: dt.date) -> Deadline:
    """The deadline ``pack`` gives a case of ``category`` received on ``received_on``."""
    if pack is None:
        days, remind, ref, sample = FALLBACK_DAYS, FALLBACK_REMIND, "", True
    else:
        rules = pack.desk
        entry = rules.deadlines.get(category)
        days = entry.working_days if entry else rules.default_deadline
        remind = entry.remind_before if entry else FALLBACK_REMIND
        path = f"deadlines.{category}.working_days" if entry else "default_deadline"
        sample = any(f.path == path and f.sample for f in pack.figures)
        ref = f"{pack.id}@{pack.version}"
    due = add_working_days(received_on, days)
    remind_from = add_working_days(due, -remind) if remind else due
    # A year the holiday table does not cover is counted by rule: the deadline says so.
    provisional = is_provisional(received_on, due)
    return Deadline(due, remind_from, ref, sample, provisional=provisional)


@dataclass(frozen=True)
class Reward:
    fen: int
    sample: bool
    pack: str


def reward_for(region_code: str, day: dt.date, verified_fen: int) -> Reward | None:
    pack = desk_pack(region_code, day)
    if pack is None:
        return None
    rules = pack.desk
    sample = any(f.sample for f in pack.figures if f.path.startswith("reward."))
    return Reward(rules.reward.reward_fen(verified_fen), sample, f"{pack.id}@{pack.version}")
