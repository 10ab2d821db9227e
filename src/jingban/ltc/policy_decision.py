"""What the decision part reads from the LTC pack (family ``ltc``) in force for a region and
day: approved versions in the database first, else the shipped packs (as the desk does).

Kept small and private to the part: the coordinator's shared lookup (``ltc/policy.py``) may
replace ``rules_for``.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jingban.core.calendar import add_working_days, is_working_day
from jingban.core.errors import Conflict
from jingban.engine.policy.errors import PackError
from jingban.engine.policy.families.ltc import BenefitStart, LtcRules, NoticeUnit, Severity
from jingban.engine.policy.header import Family
from jingban.engine.policy.loader import PolicyPack
from jingban.engine.policy.registry import UnknownPack, shipped_registry
from jingban.packs import queries as pack_queries

LTC_SCHEME = "ltc"
# The national measures: a severe disability's conclusion is valid for at most two years.
SEVERE_CAP_MONTHS = 24


class NoLtcPack(Conflict):
    code = "ltc_no_pack"


@dataclass(frozen=True)
class Rules:
    rules: LtcRules
    ref: str
    # Paths of figures the pack marks as sample values (shown as "示例" where they are used).
    samples: frozenset[str]

    def sample(self, path: str) -> bool:
        return path in self.samples


def _pack(region_code: str, day: dt.date) -> PolicyPack | None:
    for registry in (pack_queries.approved_registry(), shipped_registry()):
        try:
            return registry.in_force(region_code, LTC_SCHEME, day, Family.LTC)
        except (PackError, UnknownPack):
            continue
    return None


def rules_for(region_code: str, day: dt.date) -> Rules:
    """The LTC rules in force for ``region_code`` on ``day``; a clear error when none is."""
    pack = _pack(region_code, day)
    if pack is None:
        raise NoLtcPack(
            _("No long-term care policy is in force for this region on this day."),
        )
    samples = frozenset(f.path for f in pack.figures if f.sample)
    return Rules(pack.ltc, f"{pack.id}@{pack.version}", samples)


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
