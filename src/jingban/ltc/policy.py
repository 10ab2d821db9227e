"""Which LTC pack applies, for every part of ``ltc``: the pack of a family (``ltc``, the city's
rules; ``ltc_assessment``, the national standard) in force for a region and day, approved
versions in the database first, else the shipped packs (as the desk reads its packs).

One lookup for intake, decision, care and settlement, so they never disagree about which rules
a case, a plan or a month is under. The approved versions are parsed once per set of approved
versions (one query to see whether it changed), not for every lookup. A tampered approved
version stops the lookup (``packs.queries.PackTampered``) rather than falling back silently to
the shipped packs.

The date arithmetic the decision reads from these rules (notice period, benefit start,
validity) lives here too: it is the meaning of the pack's figures, shared by every part.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.utils.translation import gettext_lazy as _

from jingban.core.calendar import add_working_days, is_working_day
from jingban.core.errors import Conflict
from jingban.engine.policy.errors import PackError
from jingban.engine.policy.families.ltc import (
    BenefitStart,
    LtcAssessmentRules,
    LtcRules,
    NoticeUnit,
    Severity,
)
from jingban.engine.policy.header import Family
from jingban.engine.policy.loader import PolicyPack
from jingban.engine.policy.registry import UnknownPack, shipped_registry
from jingban.packs import queries as pack_queries

if TYPE_CHECKING:
    from jingban.ltc.models import Case

SCHEME = "ltc"
# The national measures: a severe disability's conclusion is valid for at most two years.
SEVERE_CAP_MONTHS = 24


class NoPack(Conflict):
    code = "ltc_no_pack"


# --- The lookup ----------------------------------------------------------------------------------


def region_code(region_path: str) -> str:
    """The region's code from its path (``320000/320500/`` → ``320500``)."""
    return region_path.rstrip("/").rsplit("/", 1)[-1]


def find_pack(region_code: str, day: dt.date, family: Family = Family.LTC) -> PolicyPack | None:
    """The pack of ``family`` in force for the region on ``day``, or None when none is."""
    for registry in (pack_queries.current_registry(), shipped_registry()):
        try:
            return registry.in_force(region_code, SCHEME, day, family)
        except (PackError, UnknownPack):
            continue
    return None


def exact_pack(pack_id: str, version: int, content_hash: str) -> PolicyPack | None:
    """The pack version ``pack_id@version`` with exactly the text of ``content_hash`` (what a
    stored result was computed with), approved or shipped; None when neither holds it."""
    for registry in (pack_queries.current_registry(), shipped_registry()):
        try:
            pack = registry.get(pack_id, version)
        except (PackError, UnknownPack, TypeError):
            continue
        if pack.hash == content_hash:
            return pack
    return None


def pack_for(region_code: str, day: dt.date, family: Family = Family.LTC) -> PolicyPack:
    """As ``find_pack``, with a clear error when no pack is in force."""
    pack = find_pack(region_code, day, family)
    if pack is None:
        raise NoPack(_("No long-term care rules are in force for this region on this day."))
    return pack


def city_rules(region_code: str, day: dt.date) -> tuple[PolicyPack, LtcRules]:
    """The city's LTC pack and its rules in force for the region on ``day``."""
    pack = pack_for(region_code, day, Family.LTC)
    return pack, cast(LtcRules, pack.rules)


def standard(region_code: str, day: dt.date) -> tuple[PolicyPack, LtcAssessmentRules]:
    """The assessment standard (family ``ltc_assessment``) in force for the region on ``day``."""
    pack = pack_for(region_code, day, Family.LTC_ASSESSMENT)
    return pack, cast(LtcAssessmentRules, pack.rules)


def ltc_rules(region_path: str, day: dt.date) -> LtcRules | None:
    """The LTC rules in force for a row's region (by its path) on ``day``; None when none is."""
    pack = find_pack(region_code(region_path), day, Family.LTC)
    return pack.ltc if pack is not None else None


def case_rules(case: Case, day: dt.date | None = None) -> tuple[PolicyPack, LtcRules]:
    """The city's rules for a case: its region's pack in force on ``day`` (the day the case was
    received when not given)."""
    return city_rules(case.region.code, day or case.received_on)


@dataclass(frozen=True)
class Rules:
    """The LTC rules with where they came from and which figures are samples."""

    rules: LtcRules
    ref: str
    # Paths of figures the pack marks as sample values (shown as "示例" where they are used).
    samples: frozenset[str]

    def sample(self, path: str) -> bool:
        return path in self.samples


def rules_for(region_code: str, day: dt.date) -> Rules:
    """The LTC rules in force for ``region_code`` on ``day`` with their pack reference and
    sample figures; a clear error when none is."""
    pack = pack_for(region_code, day, Family.LTC)
    samples = frozenset(f.path for f in pack.figures if f.sample)
    return Rules(pack.ltc, f"{pack.id}@{pack.version}", samples)


# --- What the figures mean ---------------------------------------------------------------------


def notice_ends(posted_on: dt.date, length: int, unit: str) -> dt.date:
    """The last day of a notice of ``length`` days posted on ``posted_on``.

    As the Civil Code counts periods (art. 201, 203): the day of posting is not counted; in
    working days, the ``length``-th working day after it; in calendar days, the ``length``-th
    day after it, moved to the next working day when that is a rest day or holiday."""
    if unit == NoticeUnit.WORKING_DAYS:
        return add_working_days(posted_on, length)
    end = posted_on + dt.timedelta(days=length)
    if not is_working_day(end):
        end = add_working_days(end, 0)
    return end


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=_calendar.monthrange(day.year, day.month)[1])


def benefit_start(rule: str, decided_on: dt.date) -> dt.date:
    """The first day of benefit for a decision made on ``decided_on``."""
    if rule == BenefitStart.DECISION_DAY:
        return decided_on
    if rule == BenefitStart.NEXT_DAY:
        return decided_on + dt.timedelta(days=1)
    return add_months(decided_on.replace(day=1), 1)


def validity_months(rules: LtcRules, severity: Severity) -> int:
    """How long a conclusion of ``severity`` is valid: the pack's months for it (the shortest
    the pack gives when it names none), never above the national two years for a severe one."""
    months = rules.validity.months.get(severity)
    if months is None:
        months = min(rules.validity.months.values())
    if severity == Severity.SEVERE:
        months = min(months, SEVERE_CAP_MONTHS)
    return months


def valid_until(start_on: dt.date, months: int) -> dt.date:
    """The last day of a validity of ``months`` from ``start_on``."""
    return add_months(start_on, months) - dt.timedelta(days=1)
