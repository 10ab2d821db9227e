"""Continuity of enrollment (国办发〔2024〕38号): the waiting period, the raises of the critical
illness cap, and each raise changing what critical illness pays through ``adjudicate``."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jingban.engine.codes import VisitType
from jingban.engine.medical import Claim, ClaimInvalid, YearToDate, adjudicate
from jingban.engine.medical.continuity import (
    SAMPLE,
    YearUse,
    add_months,
    benefits_from,
    cap_raise,
    continuous_years,
    gap_years,
    waiting_months,
)
from tests.engine.packs import shipped, variant

RESIDENT = "sample-resident-2025"
PAID = YearUse(fund_paid=True, ci_paid=False)
ZERO = YearUse(fund_paid=False, ci_paid=False)
CI = YearUse(fund_paid=True, ci_paid=True)


# --- Waiting period ------------------------------------------------------------------------


def test_inside_the_concentrated_period_without_a_gap_there_is_no_wait() -> None:
    assert waiting_months(SAMPLE, gap=0, in_concentrated_period=True, exempt=False) == 0


def test_outside_the_period_the_fixed_three_months() -> None:
    assert waiting_months(SAMPLE, gap=0, in_concentrated_period=False, exempt=False) == 3


@pytest.mark.parametrize(("gap", "months"), [(1, 4), (2, 5), (5, 8), (9, 12), (10, 12), (30, 12)])
def test_each_year_of_gap_adds_a_month_up_to_the_limit(gap: int, months: int) -> None:
    # A gap costs the months even inside the concentrated period.
    assert waiting_months(SAMPLE, gap=gap, in_concentrated_period=True, exempt=False) == months
    assert waiting_months(SAMPLE, gap=gap, in_concentrated_period=False, exempt=False) == months


def test_an_exempt_group_never_waits() -> None:
    assert waiting_months(SAMPLE, gap=4, in_concentrated_period=False, exempt=True) == 0


def test_a_negative_gap_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        waiting_months(SAMPLE, gap=-1, in_concentrated_period=False, exempt=False)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 3, 15), 3, dt.date(2026, 6, 15)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 5, 1), 12, dt.date(2027, 5, 1)),
    ],
)
def test_months_are_calendar_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_no_waiting_period_has_no_first_day() -> None:
    assert benefits_from(dt.date(2026, 1, 1), 0) is None
    assert benefits_from(dt.date(2026, 4, 10), 4) == dt.date(2026, 8, 10)


def test_years_in_a_row_and_gaps() -> None:
    years = {2019, 2020, 2022, 2023, 2024, 2025, 2026}
    assert continuous_years(years, 2026) == 5
    assert continuous_years(years, 2020) == 2
    assert continuous_years(years, 2021) == 0
    assert gap_years(years, 2022) == 1
    assert gap_years({2020}, 2026) == 5
    assert gap_years(set(), 2026) == 0
    assert gap_years({2025}, 2026) == 0


# --- Raises of the critical illness cap --------------------------------------------------------


def _run(first: int, last: int) -> set[int]:
    return set(range(first, last + 1))


@pytest.mark.parametrize(("first", "raise_"), [(2023, 0), (2022, 1), (2021, 2), (2018, 5)])
def test_from_the_fifth_continuous_year_each_year_raises_one_percent(
    first: int, raise_: int
) -> None:
    # Every past year had a fund payment: only continuity counts.
    history = {y: PAID for y in range(first, 2026)}
    result = cap_raise(SAMPLE, year=2026, enrolled=_run(first, 2026), history=history)
    assert result.continuity == Fraction(raise_, 100)
    assert result.zero_claim == 0
    assert result.continuous_years == 2026 - first + 1


def test_a_year_without_reimbursement_raises_the_cap() -> None:
    history = {2024: PAID, 2025: ZERO}
    result = cap_raise(SAMPLE, year=2026, enrolled=_run(2024, 2026), history=history)
    assert (result.continuity, result.zero_claim, result.zero_claim_years) == (
        0,
        Fraction(1, 100),
        1,
    )


def test_zero_years_add_up_and_a_critical_illness_payment_resets_them() -> None:
    enrolled = _run(2020, 2026)
    history = {2020: ZERO, 2021: ZERO, 2022: CI, 2023: ZERO, 2024: PAID, 2025: ZERO}
    result = cap_raise(SAMPLE, year=2026, enrolled=enrolled, history=history)
    # 7 continuous years: 3 % for continuity; 2023 and 2025 without reimbursement: 2 %.
    assert result.continuity == Fraction(3, 100)
    assert result.zero_claim_years == 2
    assert result.total == Fraction(5, 100)


def test_a_gap_starts_both_counts_again() -> None:
    enrolled = _run(2010, 2020) | _run(2024, 2026)
    history = dict.fromkeys(range(2010, 2026), ZERO)
    result = cap_raise(SAMPLE, year=2026, enrolled=enrolled, history=history)
    assert result.continuous_years == 3
    assert result.continuity == 0
    assert result.zero_claim_years == 2  # 2024 and 2025 only


def test_the_raises_together_are_at_most_twenty_percent() -> None:
    history = dict.fromkeys(range(2000, 2026), ZERO)
    result = cap_raise(SAMPLE, year=2026, enrolled=_run(2000, 2026), history=history)
    assert result.continuity == Fraction(20, 100)  # 27 years: 23 % held to 20 %
    assert result.zero_claim == 0
    assert result.total == Fraction(1, 5)


def test_not_enrolled_that_year_no_raise() -> None:
    result = cap_raise(SAMPLE, year=2026, enrolled=_run(2015, 2025), history={})
    assert result.total == 0


@given(
    enrolled=st.sets(st.integers(2000, 2026), max_size=27),
    uses=st.dictionaries(st.integers(2000, 2025), st.sampled_from([PAID, ZERO, CI]), max_size=26),
)
def test_the_raise_is_between_nothing_and_the_limit(
    enrolled: set[int], uses: dict[int, YearUse]
) -> None:
    result = cap_raise(SAMPLE, year=2026, enrolled=enrolled, history=uses)
    assert 0 <= result.total <= SAMPLE.max_raise
    if 2026 not in enrolled:
        assert result.total == 0
    # One more continuous year never lowers the continuity part.
    longer = cap_raise(SAMPLE, year=2027, enrolled=enrolled | {2027}, history=uses)
    assert longer.continuity >= result.continuity


@given(gap=st.integers(0, 60), inside=st.booleans())
def test_the_waiting_period_is_within_its_bounds(gap: int, inside: bool) -> None:
    months = waiting_months(SAMPLE, gap=gap, in_concentrated_period=inside, exempt=False)
    assert months <= SAMPLE.max_waiting_months
    assert months == 0 or months >= SAMPLE.fixed_waiting_months
    assert (
        waiting_months(SAMPLE, gap=gap + 1, in_concentrated_period=inside, exempt=False) >= months
    )


# --- Through adjudicate: each raise changes what critical illness pays -------------------------

CAP = 100_000  # fen: a critical illness cap of 1,000 yuan, well below what the claim qualifies for


def _claim(raise_: Fraction) -> Claim:
    return Claim(
        claim_id="c1",
        person_id="p1",
        visit_type=VisitType.INPATIENT,
        hospital_level=3,
        service_date=dt.date(2025, 3, 1),
        discharge_date=dt.date(2025, 3, 10),
        total=6_000_000,
        out_of_scope=500_000,
        class_b=2_000_000,
        ci_cap_raise=raise_,
    )


def _ci_paid(raise_: Fraction, cap: str = "1000") -> int:
    pack = variant(RESIDENT, {"critical_illness.annual_cap": cap})
    result = adjudicate(_claim(raise_), [pack])
    assert result.paid + result.out_of_pocket == result.total
    assert result.after.get("ci:paid") == result.critical_illness
    return result.critical_illness


def test_without_a_raise_critical_illness_stops_at_the_cap() -> None:
    assert _ci_paid(Fraction(0)) == CAP


@pytest.mark.parametrize(
    ("history", "enrolled_from", "paid"),
    [
        ({}, 2021, 101_000),  # 5th continuous year: +1 %
        ({}, 2018, 104_000),  # 8th: +4 %
        ({2024: ZERO}, 2023, 101_000),  # 3 years, one without reimbursement: +1 %
        (
            {2022: ZERO, 2023: CI, 2024: ZERO},
            2019,
            104_000,
        ),  # 7th year +3 %, 2024 +1 % (2022 reset)
        ({}, 1990, 120_000),  # at most +20 %
    ],
)
def test_each_raise_lifts_what_critical_illness_pays(
    history: dict[int, YearUse], enrolled_from: int, paid: int
) -> None:
    base = {y: PAID for y in range(enrolled_from, 2025)} | history
    raise_ = cap_raise(SAMPLE, year=2025, enrolled=_run(enrolled_from, 2025), history=base).total
    assert _ci_paid(raise_) == paid


def test_the_raised_cap_is_rounded_down_to_the_fen() -> None:
    # 1,000.33 yuan × 5 % = 50.0165 yuan: the cap rises by 50.01, not 50.02.
    assert _ci_paid(Fraction(5, 100), cap="1000.33") == 100_033 + 5_001


def test_the_raise_carries_over_earlier_payments_of_the_year() -> None:
    pack = variant(RESIDENT, {"critical_illness.annual_cap": "1000"})
    before = YearToDate("p1", 2025, {"ci:paid": 100_000, "ci:qualifying": 5_000_000})
    assert adjudicate(_claim(Fraction(0)), [pack], before).critical_illness == 0
    assert adjudicate(_claim(Fraction(3, 100)), [pack], before).critical_illness == 3_000


def test_a_raise_does_not_touch_an_uncapped_claim() -> None:
    plain = adjudicate(_claim(Fraction(0)), [shipped(RESIDENT)])
    raised = adjudicate(_claim(Fraction(1, 5)), [shipped(RESIDENT)])
    assert plain.critical_illness == raised.critical_illness > 0


def test_a_negative_raise_is_refused() -> None:
    with pytest.raises(ClaimInvalid) as caught:
        adjudicate(_claim(Fraction(-1, 100)), [shipped(RESIDENT)])
    assert caught.value.field == "ci_cap_raise"
