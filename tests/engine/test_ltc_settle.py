"""Settlement goldens per pack with the figures of the domain notes: Zhangjiagang's home visits
and institution days, Yantai before and after 450 → 600 and from 2024, Tengzhou's ratios and
caps, a 31-day month, a change of care form mid-month; billed = fund + self-pay on every
result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction

import pytest

from jingban.engine.ltc import PersonMonth, ServiceRow, UnsortedRows, settle_month
from jingban.engine.ltc.settle import (
    FLAG_HOURS_CAPPED,
    FLAG_NO_LOCATION,
    FLAG_SHORT,
    person_category_of,
)
from jingban.engine.policy import load_pack_text, shipped_registry
from jingban.engine.policy.families.ltc import LtcRules
from jingban.engine.policy.registry import SHIPPED_DIR
from jingban.engine.policy.schema import Family

REGISTRY = shipped_registry()
ZJG = REGISTRY.get("zhangjiagang-ltc-2021").ltc
TENGZHOU = REGISTRY.get("tengzhou-ltc-2024").ltc
JUNE = dt.date(2025, 6, 1)  # 30 days
MARCH = dt.date(2025, 3, 1)  # 31 days


def row(
    day: dt.date,
    form: str = "home_visit",
    *,
    level: int = 3,
    hours: Fraction | int = 2,
    person: str = "P1",
    category: str = "general",
    billed: int | None = None,
    hospital_level: int | None = None,
    dementia: bool = False,
    minutes: int | None = None,
    located: bool = True,
) -> ServiceRow:
    check_in = check_out = None
    if minutes is not None:
        check_in = dt.datetime.combine(day, dt.time(9, 0))
        check_out = check_in + dt.timedelta(minutes=minutes)
    return ServiceRow(
        person_id=person,
        disability_level=level,
        person_category=category,
        care_form=form,
        hospital_level=hospital_level,
        service_date=day,
        hours=Fraction(hours),
        caregiver_id="C1",
        institution_id="I1",
        check_in=check_in,
        check_out=check_out,
        lat=31.87 if located else None,
        lon=120.55 if located else None,
        billed_fen=billed,
        dementia=dementia,
        ref=f"{person}-{day.isoformat()}-{form}",
    )


def days(month: dt.date, first: int, last: int) -> list[dt.date]:
    return [month.replace(day=d) for d in range(first, last + 1)]


def settle(rules: LtcRules, month: dt.date, rows: Iterable[ServiceRow]) -> list[PersonMonth]:
    result = list(settle_month(rules, month, rows))
    for person in result:
        assert person.conserved, person
        assert person.billed_fen == person.fund_fen + person.self_pay_fen
        assert person.billed_fen == sum(line.billed_fen for line in person.lines)
        assert person.fund_fen == sum(line.fund_fen for line in person.lines)
        for line in person.lines:
            assert line.billed_fen == line.fund_fen + line.self_pay_fen >= 0
            assert line.fund_fen >= 0 and line.self_pay_fen >= 0
    return result


def one(rules: LtcRules, month: dt.date, rows: Iterable[ServiceRow]) -> PersonMonth:
    [person] = settle(rules, month, rows)
    return person


def totals(person: PersonMonth) -> tuple[int, int, int]:
    return person.billed_fen, person.fund_fen, person.self_pay_fen


def codes(person: PersonMonth) -> list[str]:
    return [r.code for r in person.rejected]


# --- Zhangjiagang ------------------------------------------------------------------------------


def test_zhangjiagang_severe_home_month() -> None:
    person = one(ZJG, JUNE, [row(d) for d in days(JUNE, 1, 15)])
    assert totals(person) == (120_000, 112_500, 7_500)  # 30 h: 1,200 / 1,125 / 75
    assert len(person.lines) == 15 and person.rejected == ()
    assert {line.quantity for line in person.lines} == {Fraction(2)}


def test_zhangjiagang_moderate_home_month() -> None:
    person = one(ZJG, JUNE, [row(d, level=2) for d in days(JUNE, 1, 13)])
    assert totals(person) == (104_000, 97_500, 6_500)  # 26 h: 1,040 / 975 / 65


def test_a_relief_person_pays_nothing() -> None:
    person = one(ZJG, JUNE, [row(d, category="relief") for d in days(JUNE, 1, 15)])
    assert totals(person) == (120_000, 120_000, 0)
    institution = one(
        ZJG, JUNE, [row(d, "institution", category="relief") for d in days(JUNE, 1, 30)]
    )
    assert totals(institution) == (90_000, 90_000, 0)


def test_the_16th_severe_visit_is_rejected_and_the_14th_moderate() -> None:
    severe = one(ZJG, JUNE, [row(d) for d in days(JUNE, 1, 16)])
    assert totals(severe) == (120_000, 112_500, 7_500)
    [over] = severe.rejected
    assert over.code == "ltc.over_quota" and over.row.service_date == dt.date(2025, 6, 16)
    assert over.params == {"visit": 16, "limit": 15}
    assert "over the quota of 15 visits" in over.message
    moderate = one(ZJG, JUNE, [row(d, level=2) for d in days(JUNE, 1, 14)])
    assert codes(moderate) == ["ltc.over_quota"] and moderate.billed_fen == 104_000
    # Two visits on one day are two visits of the quota.
    doubled = [row(d) for d in days(JUNE, 1, 8) for _ in range(2)]
    assert codes(one(ZJG, JUNE, doubled)) == ["ltc.over_quota"]


def test_a_short_visit_pays_its_hours_and_a_long_one_two_hours() -> None:
    person = one(
        ZJG,
        JUNE,
        [row(dt.date(2025, 6, 2), hours=Fraction(3, 2)), row(dt.date(2025, 6, 3), hours=3)],
    )
    # 1.5 h: 60 / 56.25 / 3.75; 3 h pays 2 h: 80 / 75 / 5.
    assert [(line.billed_fen, line.fund_fen) for line in person.lines] == [
        (6_000, 5_625),
        (8_000, 7_500),
    ]
    assert person.lines[1].flags == (FLAG_HOURS_CAPPED,)


def test_zhangjiagang_institution_days() -> None:
    severe = one(ZJG, JUNE, [row(d, "institution") for d in days(JUNE, 1, 30)])
    assert totals(severe) == (90_000, 90_000, 0)  # 30 days × 30 = 900
    moderate = one(ZJG, JUNE, [row(d, "institution", level=2) for d in days(JUNE, 1, 30)])
    assert totals(moderate) == (69_000, 69_000, 0)  # 30 days × 23 = 690


def test_hospital_days_are_not_days_in_care() -> None:
    rows = [row(d, "institution") for d in days(JUNE, 1, 30)]
    rows += [row(d, "hospital_stay") for d in days(JUNE, 10, 12)]
    person = one(ZJG, JUNE, rows)
    assert totals(person) == (81_000, 81_000, 0)  # 27 days
    assert person.hospital_days == 3
    assert codes(person) == ["ltc.in_hospital"] * 3
    assert [r.row.service_date.day for r in person.rejected] == [10, 11, 12]
    # A home visit on a day in hospital is not paid either.
    visit = one(ZJG, JUNE, [row(dt.date(2025, 6, 5), "hospital_stay"), row(dt.date(2025, 6, 5))])
    assert codes(visit) == ["ltc.in_hospital"] and visit.billed_fen == 0


def test_a_month_of_31_days() -> None:
    person = one(ZJG, MARCH, [row(d, "institution") for d in days(MARCH, 1, 31)])
    assert totals(person) == (93_000, 93_000, 0)
    assert len(person.lines) == 31


def test_a_change_of_care_form_mid_month() -> None:
    """Institution to home visits on the 16th: each day settles by its own form; a home visit
    on a day already in the institution is refused."""
    rows = [row(d, "institution") for d in days(MARCH, 1, 15)]
    rows += [row(d) for d in days(MARCH, 16, 31)[::2]]  # 8 visits
    rows.append(row(dt.date(2025, 3, 10)))
    person = one(ZJG, MARCH, rows)
    assert totals(person) == (45_000 + 64_000, 45_000 + 60_000, 4_000)
    assert codes(person) == ["ltc.form_conflict"]
    assert person.rejected[0].params == {"date": "2025-03-10", "other": "institution"}
    forms = {line.care_form.value for line in person.lines}
    assert forms == {"institution", "home_visit"}


def test_uncovered_levels_forms_and_duplicate_days_are_rejected() -> None:
    rows = [
        row(dt.date(2025, 6, 1), "institution", level=1),
        row(dt.date(2025, 6, 2), "institution", level=0),
        row(dt.date(2025, 6, 3), "medical_ward"),
        row(dt.date(2025, 6, 4), "institution"),
        row(dt.date(2025, 6, 4), "institution"),
        row(dt.date(2025, 7, 1), "institution"),
        row(dt.date(2025, 6, 5), "spa"),
    ]
    person = one(ZJG, JUNE, rows)
    # The row's own problems first (out of the month, an unknown form), then by date.
    assert codes(person) == [
        "ltc.unknown_care_form",
        "ltc.outside_month",
        "ltc.level_not_covered",
        "ltc.level_not_covered",
        "ltc.form_not_covered",
        "ltc.duplicate_day",
    ]
    assert totals(person) == (3_000, 3_000, 0)


def test_check_in_failures_are_flagged_or_refused_by_the_pack() -> None:
    short = row(dt.date(2025, 6, 2), minutes=30)
    unlocated = row(dt.date(2025, 6, 3), located=False)
    person = one(ZJG, JUNE, [short, unlocated])  # Zhangjiagang flags
    assert [line.flags for line in person.lines] == [(FLAG_SHORT,), (FLAG_NO_LOCATION,)]
    assert person.billed_fen == 16_000 and person.rejected == ()
    text = (SHIPPED_DIR / "zhangjiagang-ltc-2021.yaml").read_text("utf-8")
    refusing = load_pack_text(
        text.replace("on_failure: {value: flag,", "on_failure: {value: refuse,").replace(
            "version: 1\n", "version: 2\n", 1
        )
    ).ltc
    refused = one(refusing, JUNE, [short, unlocated])
    assert codes(refused) == ["ltc.too_short", "ltc.no_location"]
    assert refused.rejected[0].params == {"minutes": 30, "min_minutes": 60}
    assert totals(refused) == (0, 0, 0)


def test_check_out_before_check_in_is_rejected() -> None:
    bad = row(dt.date(2025, 6, 2), minutes=-10)
    person = one(ZJG, JUNE, [bad])
    assert codes(person) == ["ltc.check_out_before_check_in"] and person.lines == ()


# --- Yantai ------------------------------------------------------------------------------------


def _yantai(day: dt.date) -> LtcRules:
    return REGISTRY.in_force("370600", "ltc", day, Family.LTC).ltc


def test_yantai_before_and_after_450_to_600() -> None:
    december, january = dt.date(2022, 12, 1), dt.date(2023, 1, 1)
    assert REGISTRY.in_force("370600", "ltc", december, Family.LTC).version == 1
    assert REGISTRY.in_force("370600", "ltc", january, Family.LTC).version == 2
    before = one(
        _yantai(december), december, [row(d, "institution") for d in days(december, 1, 31)]
    )
    after = one(_yantai(january), january, [row(d, "institution") for d in days(january, 1, 31)])
    assert totals(before) == (45_000, 45_000, 0)
    assert totals(after) == (60_000, 60_000, 0)
    [line] = after.lines
    assert (line.quantity, line.service_date, len(line.refs)) == (31, january, 31)


def test_yantai_prorates_by_days_in_care() -> None:
    january = dt.date(2023, 1, 1)
    rows = [row(d, "institution") for d in days(january, 1, 15)]
    rows += [row(d, "hospital_stay") for d in days(january, 16, 20)]
    person = one(_yantai(january), january, rows)
    assert totals(person) == (29_032, 29_032, 0)  # 600 × 15 / 31 = 290.32
    february = dt.date(2023, 2, 1)  # 28 days: 14 days are half the month
    half = one(_yantai(february), february, [row(d, "institution") for d in days(february, 1, 14)])
    assert half.billed_fen == 30_000
    # A day written twice is one day.
    twice = one(_yantai(february), february, [row(february, "institution")] * 2)
    assert codes(twice) == ["ltc.duplicate_day"]


def test_yantai_covers_moderate_and_dementia_from_2024() -> None:
    march_2023, march_2024 = dt.date(2023, 3, 1), dt.date(2024, 3, 1)
    moderate_rows = [row(d, "institution", level=2) for d in days(march_2023, 1, 31)]
    before = one(_yantai(march_2023), march_2023, moderate_rows)
    assert before.billed_fen == 0 and set(codes(before)) == {"ltc.level_not_covered"}
    assert REGISTRY.in_force("370600", "ltc", march_2024, Family.LTC).version == 3
    rules = _yantai(march_2024)
    moderate = one(
        rules, march_2024, [row(d, "institution", level=2) for d in days(march_2024, 1, 31)]
    )
    assert totals(moderate) == (45_000, 45_000, 0)  # the sample moderate standard
    severe = one(rules, march_2024, [row(d, "institution") for d in days(march_2024, 1, 31)])
    assert severe.billed_fen == 60_000
    # Dementia at level 1 is covered from 2024, paid as moderate; without dementia it is not.
    dementia = [row(d, "institution", level=1, dementia=True) for d in days(march_2024, 1, 31)]
    assert one(rules, march_2024, dementia).billed_fen == 45_000
    plain = [row(d, "institution", level=1) for d in days(march_2024, 1, 31)]
    assert one(rules, march_2024, plain).billed_fen == 0
    before_2024 = [row(d, "institution", level=1, dementia=True) for d in days(march_2023, 1, 31)]
    assert one(_yantai(march_2023), march_2023, before_2024).billed_fen == 0


# --- Tengzhou ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "hospital_level", "billed", "fund"),
    [
        ("medical_ward", 1, 9_000, 7_200),  # 80% of 90
        ("medical_ward", 1, 20_000, 8_000),  # 80% of 200 capped at 80
        ("medical_ward", 2, 12_000, 9_000),  # 75% of 120
        ("medical_ward", 2, 20_000, 10_000),  # capped at 100
        ("medical_ward", 3, 15_000, 10_500),  # 70% of 150
        ("medical_ward", 3, 20_000, 12_000),  # capped at 120
        ("institution", None, 6_000, 4_500),  # 75% of 60
        ("institution", None, 10_000, 6_000),  # capped at 60
        ("home_visit", None, 4_000, 3_600),  # 90% of 40
        ("home_visit", None, 6_000, 4_500),  # capped at 45
    ],
)
def test_tengzhou_ratio_and_daily_cap(
    form: str, hospital_level: int | None, billed: int, fund: int
) -> None:
    day = dt.date(2025, 6, 2)
    person = one(TENGZHOU, JUNE, [row(day, form, billed=billed, hospital_level=hospital_level)])
    assert totals(person) == (billed, fund, billed - fund)


def test_tengzhou_caps_per_day_not_per_row_and_pays_self_arranged_flat() -> None:
    day = dt.date(2025, 6, 2)
    split = [row(day, "home_visit", billed=3_000), row(day, "home_visit", billed=3_000)]
    person = one(TENGZHOU, JUNE, split)
    assert totals(person) == (6_000, 4_500, 1_500) and len(person.lines) == 1
    assert len(person.lines[0].refs) == 2
    flat = one(TENGZHOU, JUNE, [row(d, "self_arranged") for d in days(JUNE, 1, 30)])
    assert totals(flat) == (90_000, 90_000, 0)  # 30 a day


def test_tengzhou_needs_the_bill_and_the_hospital_level() -> None:
    day = dt.date(2025, 6, 2)
    rows = [
        row(day, "institution"),
        row(dt.date(2025, 6, 3), "medical_ward", billed=10_000),
        row(dt.date(2025, 6, 4), "institution", billed=10_000, level=2),
    ]
    person = one(TENGZHOU, JUNE, rows)
    assert codes(person) == [
        "ltc.billed_missing",
        "ltc.hospital_level_missing",
        "ltc.level_not_covered",
    ]
    assert person.billed_fen == 0


# --- Suzhou and the batch order ----------------------------------------------------------------


def test_suzhou_settles_the_demo_months_with_zhangjiagang_figures() -> None:
    rules = REGISTRY.in_force("320506", "ltc", dt.date(2026, 5, 1), Family.LTC).ltc
    assert rules.id == "suzhou-ltc"
    may = dt.date(2026, 5, 1)
    person = one(rules, may, [row(d) for d in days(may, 1, 15)])
    assert totals(person) == (120_000, 112_500, 7_500)
    # Zhangjiagang itself keeps its own pack.
    assert REGISTRY.in_force("320582", "ltc", may, Family.LTC).id == "zhangjiagang-ltc-2021"


def test_people_come_out_in_id_order_and_sorted_input_streams() -> None:
    rows = [row(JUNE, person=p) for p in ("P3", "P1", "P2", "P1")]
    assert [p.person_id for p in settle(ZJG, JUNE, rows)] == ["P1", "P2", "P3"]
    ordered = sorted(rows, key=lambda r: r.person_id)
    streamed = list(settle_month(ZJG, JUNE, ordered, sorted_by_person=True))
    assert [(p.person_id, p.billed_fen) for p in streamed] == [
        ("P1", 16_000),
        ("P2", 8_000),
        ("P3", 8_000),
    ]
    with pytest.raises(UnsortedRows):
        list(settle_month(ZJG, JUNE, rows, sorted_by_person=True))


def test_relief_is_the_registry_s_relief_groups() -> None:
    assert person_category_of(["dibao"]) == "relief"
    assert person_category_of(["tekun", "severe_disability"]) == "relief"
    assert person_category_of(["severe_disability"]) == "general"
    assert person_category_of([]) == "general"
