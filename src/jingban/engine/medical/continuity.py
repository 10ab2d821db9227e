"""Continuity of enrollment (连续参保激励约束, 国办发〔2024〕38号): the waiting period before
benefits and the raises of the critical illness cap. Pure computation; the figures come from a
contribution pack (``ContinuityRules`` of ``families/contribution.py``), marked there to verify.

- **Waiting period (待遇等待期).** Enrolling outside the concentrated enrollment period, or after a
  gap, starts with a fixed waiting period (固定待遇等待期, 3 months) plus one month for each year
  of gap (变动待遇等待期), up to the pack's limit. Groups the pack exempts (newborns, relief
  groups) wait for nothing.
- **Continuity raise (连续参保激励).** From the fifth continuous year, each further continuous
  year raises the critical illness cap by a share of it (at least 1 %).
- **Zero-reimbursement raise (零报销激励).** Each year in which the fund paid nothing raises the cap
  of the years after it; a critical illness payment uses it up, and counting starts again.
- The raises together are at most 20 % of the cap. A gap in enrollment starts both counts again.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol


@dataclass(frozen=True)
class YearUse:
    """What the insurance paid a person in one past year: did the basic fund pay anything
    (``fund_paid``); did critical illness insurance pay anything (``ci_paid``)."""

    fund_paid: bool
    ci_paid: bool


class Continuity(Protocol):
    """The continuity figures of a contribution pack (``ContinuityRules`` of the contribution
    family has them; ``SAMPLE`` below is the national text's reading)."""

    @property
    def fixed_waiting_months(self) -> int: ...
    @property
    def months_per_gap_year(self) -> int: ...
    @property
    def max_waiting_months(self) -> int: ...
    @property
    def raise_from_year(self) -> int: ...
    @property
    def continuity_raise(self) -> Fraction: ...
    @property
    def zero_claim_raise(self) -> Fraction: ...
    @property
    def max_raise(self) -> Fraction: ...


@dataclass(frozen=True)
class Figures:
    """Continuity figures given directly (tests, what-ifs)."""

    fixed_waiting_months: int = 3
    months_per_gap_year: int = 1
    max_waiting_months: int = 12
    raise_from_year: int = 5
    continuity_raise: Fraction = Fraction(1, 100)
    zero_claim_raise: Fraction = Fraction(1, 100)
    max_raise: Fraction = Fraction(1, 5)


# 国办发〔2024〕38号 as read here: 3 months fixed, a month per year of gap, from the fifth
# continuous year 1 % a year, 1 % per year without reimbursement, 20 % at most (to verify).
SAMPLE = Figures()


def continuous_years(enrolled: Collection[int], year: int) -> int:
    """How many years in a row, ending with ``year``, the person was enrolled (0 if not in
    ``year``)."""
    count = 0
    while year - count in enrolled:
        count += 1
    return count


def gap_years(enrolled: Collection[int], year: int) -> int:
    """The years missed between the last year enrolled before ``year`` and ``year``; 0 for a
    first enrollment or an unbroken one."""
    earlier = [y for y in enrolled if y < year]
    if not earlier:
        return 0
    return year - max(earlier) - 1


def waiting_months(
    rules: Continuity, *, gap: int, in_concentrated_period: bool, exempt: bool
) -> int:
    """The waiting period in months: none for an exempt group or an enrollment inside the
    concentrated period without a gap; otherwise the fixed months plus the months per year of
    gap, at most the limit."""
    if gap < 0:
        raise ValueError("a gap cannot be negative")
    if exempt or (in_concentrated_period and gap == 0):
        return 0
    return min(
        rules.fixed_waiting_months + gap * rules.months_per_gap_year, rules.max_waiting_months
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months later (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def benefits_from(effective: dt.date, months: int) -> dt.date | None:
    """The first day with benefits after a waiting period of ``months`` counted from the
    enrollment's ``effective`` day; None when there is no waiting period."""
    return add_months(effective, months) if months else None


@dataclass(frozen=True)
class CapRaise:
    """The raise of the critical illness cap for one year, and its parts (shares of the cap)."""

    continuous_years: int
    continuity: Fraction
    zero_claim_years: int
    zero_claim: Fraction

    @property
    def total(self) -> Fraction:
        return self.continuity + self.zero_claim


def cap_raise(
    rules: Continuity, *, year: int, enrolled: Collection[int], history: Mapping[int, YearUse]
) -> CapRaise:
    """The raise of the critical illness cap in ``year``. ``enrolled`` holds the years the person
    was enrolled; ``history`` what was paid in past years (a year missing from it paid nothing).
    Only the unbroken run of years before ``year`` counts; the total is held to ``max_raise``,
    the continuity part first."""
    run = continuous_years(enrolled, year)
    steps = max(0, run - rules.raise_from_year + 1)
    continuity = min(steps * rules.continuity_raise, rules.max_raise)
    zero_years = 0
    for past in range(year - run + 1 if run else year, year):
        use = history.get(past, YearUse(fund_paid=False, ci_paid=False))
        if use.ci_paid:
            zero_years = 0
        elif not use.fund_paid:
            zero_years += 1
    zero = min(zero_years * rules.zero_claim_raise, rules.max_raise - continuity)
    return CapRaise(run, continuity, zero_years, zero)
