"""Enrollment actions (enroll, suspend, end, renew), the waiting period decided when a person
enrolls, coverage for settlement with each refusal and the edges of the waiting period, and what
a person owes after subsidies."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from jingban.core.errors import Conflict, Forbidden, ValidationFailed
from jingban.core.models import ActionLog
from jingban.engine.medical.continuity import YearUse
from jingban.enrollment import rules, services
from jingban.enrollment.coverage import CoverageRefused, coverage
from jingban.enrollment.services import EnrollInput
from jingban.registry.models import Enrollment, EnrollmentStatus, Person
from jingban.registry.services import add_membership
from tests.enrollment.helpers import new_person
from tests.personas import Personas

RESIDENT = "resident_medical"
PAID = YearUse(fund_paid=True, ci_paid=False)
ZERO = YearUse(fund_paid=False, ci_paid=False)


def enroll(p: Personas, person: Person, year: int, **more: object) -> Enrollment:
    fields: dict[str, object] = {
        "scheme_code": RESIDENT,
        "year": year,
        "effective": dt.date(year, 1, 1),
        "tier": "tier_1" if year in (2025, 2026) else "",
        "enrolled_on": dt.date(year - 1, 10, 10),
    }
    fields.update(more)
    return services.enroll(person, EnrollInput(**fields), acting_user=p.user("wang"))  # type: ignore[arg-type]


def refused(
    person: Person, on: dt.date, history: dict[int, YearUse] | None = None
) -> CoverageRefused:
    with pytest.raises(CoverageRefused) as caught:
        coverage(person.pk, RESIDENT, on, history=history or {})
    assert list(caught.value.fields) == ["psn_no"]
    return caught.value


# --- Enrolling and the waiting period ------------------------------------------------------


def test_enrolling_in_the_concentrated_period_covers_from_the_first_day(personas: Personas) -> None:
    person = new_person(personas)
    enrollment = enroll(personas, person, 2025, reason="集中参保期登记")
    assert (enrollment.status, enrollment.tier, enrollment.benefits_from) == (
        "active",
        "tier_1",
        None,
    )
    cover = coverage(person.pk, RESIDENT, dt.date(2025, 1, 1), history={})
    assert cover.enrollment_id == enrollment.pk
    assert (cover.year, cover.continuous_years, cover.ci_cap_raise) == (2025, 1, 0)
    assert cover.waiting_until is None
    assert cover.pack == "sample-resident-contributions-2025@2"
    row = ActionLog.objects.filter(action="enrollment.enrollment.enrolled").latest("id")
    assert row.object_id == str(person.pk) and row.after["status"] == "active"


def test_enrolling_outside_the_period_waits_three_months(personas: Personas) -> None:
    person = new_person(personas)
    enrollment = enroll(
        personas, person, 2025, effective=dt.date(2025, 3, 15), enrolled_on=dt.date(2025, 3, 15)
    )
    assert enrollment.benefits_from == dt.date(2025, 6, 15)
    error = refused(person, dt.date(2025, 6, 14))
    assert error.code == "coverage.waiting_period"
    assert "2025-06-15" in str(error.message)
    # The first day of benefits is covered; the day before the enrollment is not enrolled at all.
    assert coverage(person.pk, RESIDENT, dt.date(2025, 6, 15), history={}).waiting_until == dt.date(
        2025, 6, 15
    )
    assert refused(person, dt.date(2025, 3, 14)).code == "coverage.not_enrolled"


def test_the_last_day_of_the_concentrated_period_still_counts(personas: Personas) -> None:
    inside = enroll(personas, new_person(personas), 2025, enrolled_on=dt.date(2024, 12, 31))
    late = enroll(
        personas,
        new_person(personas),
        2025,
        effective=dt.date(2025, 1, 1),
        enrolled_on=dt.date(2025, 1, 1),
    )
    assert inside.benefits_from is None
    assert late.benefits_from == dt.date(2025, 4, 1)


def test_each_year_of_gap_adds_a_month_even_inside_the_period(personas: Personas) -> None:
    person = new_person(personas)
    enroll(personas, person, 2021)
    enroll(personas, person, 2022)
    enrollment = enroll(personas, person, 2025, enrolled_on=dt.date(2024, 11, 1))
    # 2023 and 2024 missed: 3 + 2 months from 1 January.
    assert enrollment.benefits_from == dt.date(2025, 6, 1)
    assert refused(person, dt.date(2025, 5, 31)).code == "coverage.waiting_period"


def test_relief_groups_and_newborns_do_not_wait(personas: Personas) -> None:
    poor = new_person(personas)
    add_membership(
        poor, group_code="dibao", valid_from=dt.date(2024, 1, 1), valid_to=None, acting_user=None
    )
    baby = new_person(personas, birth=dt.date(2025, 1, 20))
    late = dt.date(2025, 2, 10)
    assert enroll(personas, poor, 2025, effective=late, enrolled_on=late).benefits_from is None
    assert enroll(personas, baby, 2025, effective=late, enrolled_on=late).benefits_from is None
    # Four months after birth the newborn exemption (3 months in the pack) no longer applies.
    older = new_person(personas, birth=dt.date(2024, 10, 1))
    assert enroll(personas, older, 2025, effective=late, enrolled_on=late).benefits_from == dt.date(
        2025, 5, 10
    )


# --- Coverage refusals -----------------------------------------------------------------------


def test_not_enrolled_that_year(personas: Personas) -> None:
    person = new_person(personas)
    enroll(personas, person, 2025)
    error = refused(person, dt.date(2024, 12, 31))
    assert error.code == "coverage.not_enrolled"


def test_suspended_from_its_day(personas: Personas) -> None:
    person = new_person(personas)
    enrollment = enroll(personas, person, 2025)
    services.suspend(
        enrollment,
        effective=dt.date(2025, 5, 1),
        reason="外出务工暂停",
        acting_user=personas.user("wang"),
    )
    coverage(person.pk, RESIDENT, dt.date(2025, 4, 30), history={})
    error = refused(person, dt.date(2025, 5, 1))
    assert error.code == "coverage.suspended" and "2025-05-01" in str(error.message)


def test_ended_from_its_day(personas: Personas) -> None:
    person = new_person(personas)
    enrollment = enroll(personas, person, 2025)
    services.end(
        enrollment,
        effective=dt.date(2025, 8, 1),
        reason="转入职工医保",
        acting_user=personas.user("wang"),
    )
    coverage(person.pk, RESIDENT, dt.date(2025, 7, 31), history={})
    assert refused(person, dt.date(2025, 8, 1)).code == "coverage.ended"


def test_after_the_date_of_death(personas: Personas) -> None:
    person = new_person(personas, death=dt.date(2025, 7, 1))
    enroll(personas, person, 2025)
    coverage(person.pk, RESIDENT, dt.date(2025, 7, 1), history={})
    error = refused(person, dt.date(2025, 7, 2))
    assert error.code == "coverage.after_death" and "2025-07-01" in str(error.message)


def test_an_unknown_person_is_not_enrolled(personas: Personas) -> None:
    with pytest.raises(CoverageRefused) as caught:
        coverage(10**9, RESIDENT, dt.date(2025, 3, 1), history={})
    assert caught.value.code == "coverage.not_enrolled"


# --- The critical illness cap raise through coverage --------------------------------------------


def test_five_continuous_years_raise_the_cap_and_a_year_without_reimbursement_too(
    personas: Personas,
) -> None:
    person = new_person(personas)
    for year in range(2021, 2026):
        enroll(personas, person, year)
    paid = {y: PAID for y in range(2021, 2025)}
    cover = coverage(person.pk, RESIDENT, dt.date(2025, 9, 1), history=paid)
    assert (cover.continuous_years, cover.ci_cap_raise) == (5, Fraction(1, 100))
    cover = coverage(person.pk, RESIDENT, dt.date(2025, 9, 1), history={**paid, 2024: ZERO})
    assert cover.ci_cap_raise == Fraction(2, 100)


def test_a_year_ended_from_its_first_day_breaks_the_run(personas: Personas) -> None:
    person = new_person(personas)
    for year in range(2020, 2026):
        enroll(personas, person, year)
    ended = Enrollment.objects.get(person=person, year=2022)
    services.end(
        ended, effective=dt.date(2022, 1, 1), reason="迁出", acting_user=personas.user("wang")
    )
    assert rules.enrolled_years(person.pk, RESIDENT) == {2020, 2021, 2023, 2024, 2025}
    cover = coverage(person.pk, RESIDENT, dt.date(2025, 9, 1), history={})
    assert cover.continuous_years == 3


# --- The actions' rules ---------------------------------------------------------------------


def test_suspend_end_and_renew_follow_the_states(personas: Personas) -> None:
    wang = personas.user("wang")
    person = new_person(personas)
    enrollment = enroll(personas, person, 2025)
    suspended = services.suspend(
        enrollment, effective=dt.date(2025, 3, 1), reason="暂停", acting_user=wang
    )
    with pytest.raises(Conflict):
        services.suspend(
            suspended, effective=dt.date(2025, 4, 1), reason="再次暂停", acting_user=wang
        )
    renewed = services.renew(
        suspended, reason="续保", enrolled_on=dt.date(2025, 10, 1), acting_user=wang
    )
    assert (renewed.year, renewed.tier, renewed.since, renewed.benefits_from) == (
        2026,
        "tier_1",
        dt.date(2026, 1, 1),
        None,
    )
    ended = services.end(suspended, effective=dt.date(2025, 6, 1), reason="终止", acting_user=wang)
    assert ended.status == EnrollmentStatus.ENDED
    for action in (services.suspend, services.end):
        with pytest.raises(Conflict):
            action(ended, effective=dt.date(2025, 7, 1), reason="再次", acting_user=wang)
    with pytest.raises(Conflict):
        services.renew(ended, acting_user=wang)
    # Enrolling again takes an ended year back, with a waiting period (outside the period).
    again = enroll(
        personas, person, 2025, effective=dt.date(2025, 9, 1), enrolled_on=dt.date(2025, 9, 1)
    )
    assert (again.pk, again.status, again.benefits_from) == (
        ended.pk,
        "active",
        dt.date(2025, 12, 1),
    )
    codes = list(
        ActionLog.objects.filter(object_id=str(person.pk), action__startswith="enrollment.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert codes == [
        "enrollment.enrollment.enrolled",
        "enrollment.enrollment.suspended",
        "enrollment.enrollment.renewed",
        "enrollment.enrollment.ended",
        "enrollment.enrollment.enrolled",
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 201}, "reason"),
        ({"effective": dt.date(2026, 2, 1)}, "effective"),
        ({"effective": dt.date(2024, 12, 31)}, "effective"),
    ],
)
def test_a_change_needs_a_reason_and_a_day_in_the_year(
    personas: Personas, change: dict[str, object], field: str
) -> None:
    enrollment = enroll(personas, new_person(personas), 2025)
    args: dict[str, object] = {"effective": dt.date(2025, 5, 1), "reason": "暂停", **change}
    with pytest.raises(ValidationFailed) as caught:
        services.suspend(enrollment, acting_user=personas.user("wang"), **args)  # type: ignore[arg-type]
    assert field in caught.value.fields
    enrollment.refresh_from_db()
    assert enrollment.status == "active"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tier": "tier_9"}, "tier"),
        ({"scheme_code": "no_such_scheme"}, "scheme"),
        ({"effective": dt.date(2024, 12, 1)}, "effective"),
        ({"year": 1900}, "year"),
        ({"enrolled_on": dt.date(2100, 1, 1)}, "enrolled_on"),
        ({"year": 2030, "effective": dt.date(2030, 1, 1), "tier": "tier_1"}, "tier"),
    ],
)
def test_a_bad_enrollment_names_its_field_and_stores_nothing(
    personas: Personas, change: dict[str, object], field: str
) -> None:
    person = new_person(personas)
    more = dict(change)
    year = int(more.pop("year", 2025))  # type: ignore[call-overload]
    with pytest.raises(ValidationFailed) as caught:
        enroll(personas, person, year, **more)
    assert field in caught.value.fields
    assert not Enrollment.objects.filter(person=person).exists()


def test_no_enrollment_after_death_and_none_twice(personas: Personas) -> None:
    dead = new_person(personas, death=dt.date(2024, 6, 1))
    with pytest.raises(ValidationFailed) as caught:
        enroll(personas, dead, 2025)
    assert "effective" in caught.value.fields
    person = new_person(personas)
    enroll(personas, person, 2025)
    with pytest.raises(Conflict):
        enroll(personas, person, 2025)


def test_only_editors_enroll(personas: Personas) -> None:
    person = new_person(personas)
    for username in ("sun", "zhao", "chen", "kangning"):
        with pytest.raises(Forbidden):
            services.enroll(
                person,
                EnrollInput(RESIDENT, 2025, dt.date(2025, 1, 1), "tier_1"),
                acting_user=personas.user(username),
            )


# --- What a person owes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "tier", "due"),
    [
        (None, "tier_1", 40_000),
        (None, "tier_2", 77_500),
        ("dibao", "tier_1", 0),
        ("dibao", "tier_2", 37_500),
        ("dibao_edge", "tier_1", 20_000),
        ("illness_poor", "tier_2", 57_500),
    ],
)
def test_the_tier_less_the_subsidy_of_the_group(
    personas: Personas, group: str | None, tier: str, due: int
) -> None:
    person = new_person(personas)
    if group:
        add_membership(
            person,
            group_code=group,
            valid_from=dt.date(2024, 1, 1),
            valid_to=None,
            acting_user=None,
        )
    pack = rules.year_pack(person, RESIDENT, 2025)
    assert pack is not None
    assert rules.amount_due(pack.contribution, tier, person, dt.date(2024, 10, 1)) == due


def test_a_membership_that_ended_gives_no_subsidy(personas: Personas) -> None:
    person = new_person(personas)
    add_membership(
        person,
        group_code="dibao",
        valid_from=dt.date(2023, 1, 1),
        valid_to=dt.date(2024, 6, 30),
        acting_user=None,
    )
    pack = rules.year_pack(person, RESIDENT, 2025)
    assert pack is not None
    assert rules.amount_due(pack.contribution, "tier_1", person, dt.date(2024, 10, 1)) == 40_000


def test_enrolling_again_takes_back_a_suspended_year(personas: Personas) -> None:
    wang = personas.user("wang")
    person = new_person(personas)
    enrollment = enroll(personas, person, 2025)
    services.suspend(enrollment, effective=dt.date(2025, 3, 1), reason="暂停", acting_user=wang)
    resumed = enroll(
        personas, person, 2025, effective=dt.date(2025, 5, 1), enrolled_on=dt.date(2025, 5, 1)
    )
    assert (resumed.pk, resumed.status, resumed.status_from) == (enrollment.pk, "active", None)
    # Taken back inside the year, outside the concentrated period: the fixed waiting period.
    assert resumed.benefits_from == dt.date(2025, 8, 1)
    row = ActionLog.objects.filter(action="enrollment.enrollment.enrolled").latest("id")
    assert row.before is not None and row.before["status"] == "suspended"
