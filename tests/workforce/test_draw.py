"""The assessor draw: recused assessors are never drawn (a property test), the replay from the
logged seed and pool gives the same draw, a changed pool is detected, and too few candidates is
a clear error with nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jingban.core.models import ActionLog, Organisation, Region, User
from jingban.core.roles import Role
from jingban.core.services.accounts import create_account
from jingban.registry.models import Household, HouseholdMember, Person
from jingban.workforce import services
from jingban.workforce.models import (
    Affiliation,
    Assessor,
    AssessorClass,
    Draw,
    Qualification,
    QualificationKind,
)
from jingban.workforce.synth import staff_id

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def world(empty_database: None):
    province = Region.objects.create(code="320000", name="江苏省", level="province")
    city = Region.objects.create(code="320500", name="苏州市", level="city", parent=province)
    county = Region.objects.create(code="320506", name="吴中区", level="county", parent=city)
    care = Organisation.objects.create(
        code="T-CARE", name="甲护理院", kind="care_institution", region=county
    )
    other = Organisation.objects.create(
        code="T-CARE2", name="乙护理院", kind="care_institution", region=county
    )
    centre = Organisation.objects.create(
        code="T-ASMT", name="评估中心", kind="assessment", region=city
    )
    user = create_account(
        username="t-op", password="x-pass-123456", role=Role.OPERATOR, region=city, acting_user=None
    )
    applicant = Person.objects.create(
        document_type="resident_id",
        document_number=staff_id("320506", 1, base=dt.date(1940, 1, 1)),
        name="申请人",
        sex="F",
        birth_date=dt.date(1940, 1, 1),
        region=county,
    )
    return {
        "care": care,
        "other": other,
        "centre": centre,
        "user": user,
        "applicant": applicant,
        "county": county,
    }


def _assessors(
    world, n: int, klass: str = AssessorClass.ASSESSOR, start: int = 0
) -> list[Assessor]:
    made = []
    for i in range(start, start + n):
        a = Assessor.objects.create(
            name=f"评估{i}",
            klass=klass,
            document_number=staff_id("320500", 500 + i, base=dt.date(1980, 1, 1)),
            organisation=world["centre"],
        )
        kind = (
            QualificationKind.LTC_ASSESSOR
            if klass == AssessorClass.ASSESSOR
            else QualificationKind.LTC_EXPERT
        )
        Qualification.objects.create(
            assessor=a, kind=kind, certificate_number=f"PG-T-{i:05d}", issued_on=dt.date(2024, 1, 1)
        )
        made.append(a)
    return made


def _family_member(world, assessor: Assessor, i: int) -> None:
    """Put ``assessor``'s own person in the applicant's household."""
    person = Person.objects.create(
        document_type="resident_id",
        document_number=staff_id("320506", 900 + i, base=dt.date(1970, 1, 1)),
        name=assessor.name,
        sex="M",
        birth_date=dt.date(1970, 1, 1),
        region=world["county"],
    )
    household = Household.objects.filter(number="T-HH").first()
    if household is None:
        household = Household.objects.create(number="T-HH", region=world["county"])
        HouseholdMember.objects.create(
            household=household,
            person=world["applicant"],
            relation="head",
            joined_on=dt.date(2000, 1, 1),
        )
    HouseholdMember.objects.create(
        household=household, person=person, relation="child", joined_on=dt.date(2000, 1, 1)
    )
    assessor.person = person
    assessor.save()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    links=st.lists(
        st.sampled_from(
            ["none", "employed", "contracted", "other_inst", "family", "previous", "expired"]
        ),
        min_size=4,
        max_size=10,
    ),
    seed=st.text(min_size=1, max_size=12),
    exclude_previous=st.booleans(),
)
def test_a_recused_assessor_is_never_drawn(world, links, seed, exclude_previous) -> None:
    Draw.objects.all().delete()
    Affiliation.objects.all().delete()
    Qualification.objects.all().delete()
    Assessor.objects.all().delete()
    HouseholdMember.objects.all().delete()
    Household.objects.all().delete()
    Person.objects.exclude(pk=world["applicant"].pk).delete()
    assessors = _assessors(world, len(links))
    recused: set[int] = set()
    previous: list[int] = []
    for i, (assessor, link) in enumerate(zip(assessors, links, strict=True)):
        if link in {"employed", "contracted", "other_inst", "expired"}:
            Affiliation.objects.create(
                assessor=assessor,
                organisation=world["other"] if link == "other_inst" else world["care"],
                kind="employed" if link == "expired" else link,
                valid_from=dt.date(2020, 1, 1),
                valid_until=dt.date(2025, 12, 31) if link == "expired" else None,
            )
            if link in {"employed", "contracted"}:
                recused.add(assessor.pk)
        elif link == "family":
            _family_member(world, assessor, i)
            recused.add(assessor.pk)
        elif link == "previous":
            previous.append(assessor.pk)
            if exclude_previous:
                recused.add(assessor.pk)
    eligible = len(assessors) - len(recused)
    needed = {AssessorClass.ASSESSOR: 2}
    if eligible < 2:
        with pytest.raises(services.NotEnoughCandidates):
            services.draw_assessors(
                world["applicant"],
                world["care"],
                acting_user=world["user"],
                needed=needed,
                previous_assessor_ids=previous,
                exclude_previous=exclude_previous,
                seed=seed,
                day=DAY,
            )
        assert not Draw.objects.exists()
        return
    draw = services.draw_assessors(
        world["applicant"],
        world["care"],
        acting_user=world["user"],
        needed=needed,
        previous_assessor_ids=previous,
        exclude_previous=exclude_previous,
        seed=seed,
        day=DAY,
    )
    drawn = set(draw.result["assessor"])
    assert len(drawn) == 2
    assert not drawn & recused
    assert {e["id"] for e in draw.excluded} == recused
    assert set(draw.pool["assessor"]) == {a.pk for a in assessors} - recused


def test_replay_gives_the_same_draw_and_a_changed_pool_is_detected(world) -> None:
    _assessors(world, 6)
    _assessors(world, 3, AssessorClass.EXPERT, start=10)
    draw = services.draw_assessors(
        world["applicant"], world["care"], acting_user=world["user"], day=DAY
    )
    assert len(draw.seed) == 32  # from secrets, not given
    assert len(draw.result["assessor"]) == 2 and len(draw.result["expert"]) == 1
    assert ActionLog.objects.filter(action="workforce.draw.made", object_id=str(draw.pk)).exists()

    outcome = services.replay(draw, acting_user=world["user"])
    assert outcome.matches and outcome.pool_unchanged
    assert outcome.redrawn == draw.result
    # The same seed and pool draw the same in any process: the pure pick agrees.
    assert services.pick(draw.seed, draw.pool, draw.needed) == draw.result

    # A new qualified assessor changes the pool computed for that day: detected.
    _assessors(world, 1, start=20)
    later = services.replay(draw, acting_user=world["user"])
    assert later.matches and not later.pool_unchanged

    # The stored pool altered after the draw: its digest no longer matches.
    draw.pool = {**draw.pool, "assessor": [*draw.pool["assessor"], 999_999]}
    tampered = services.replay(draw, acting_user=world["user"])
    assert not tampered.digest_matches and not tampered.matches


def test_a_different_pool_draws_differently_for_some_seed() -> None:
    pool = {"assessor": list(range(1, 11))}
    changed = {"assessor": [*list(range(1, 10)), 11]}
    results = [
        services.pick(str(s), pool, {"assessor": 3})
        != services.pick(str(s), changed, {"assessor": 3})
        for s in range(20)
    ]
    assert any(results)
    assert services.pool_digest(pool) != services.pool_digest(changed)


def test_not_enough_candidates_is_a_clear_error_and_nothing_is_stored(world) -> None:
    assessors = _assessors(world, 2)
    _assessors(world, 1, AssessorClass.EXPERT, start=10)
    Affiliation.objects.create(
        assessor=assessors[0],
        organisation=world["care"],
        kind="employed",
        valid_from=dt.date(2020, 1, 1),
    )
    logged = ActionLog.objects.count()
    with pytest.raises(services.NotEnoughCandidates) as raised:
        services.draw_assessors(
            world["applicant"], world["care"], acting_user=world["user"], day=DAY
        )
    assert "needed" in raised.value.fields
    assert "2" in str(raised.value.fields["needed"][0]) and "1" in str(
        raised.value.fields["needed"][0]
    )
    assert not Draw.objects.exists()
    assert ActionLog.objects.count() == logged


def test_an_out_of_scope_assessor_is_not_in_the_pool(world) -> None:
    _assessors(world, 3)
    nanjing = Region.objects.create(
        code="320100", name="南京市", level="city", parent=world["county"].parent.parent
    )
    user = User.objects.create(username="t-nj", role=Role.OPERATOR, region=nanjing)
    with pytest.raises(services.NotEnoughCandidates):
        services.draw_assessors(
            world["applicant"], None, acting_user=user, needed={"assessor": 1}, day=DAY
        )
