"""Care: care plans (may_serve, changes), check-in/out by the pack's rules in each on_failure
mode, refusals storing nothing, bed-days and hospital stays, scope, and the rows a month
settles from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingban.core.errors import ValidationFailed
from jingban.core.models import ActionLog
from jingban.ltc import policy, queries_care, services_care
from jingban.ltc.models import (
    BedDay,
    BedDayStatus,
    CarePlan,
    Case,
    Entitlement,
    EntitlementStatus,
    HospitalStay,
    Visit,
    VisitStatus,
)
from jingban.ltc.services_care import PlanInput
from jingban.providers.models import Institution
from jingban.registry.models import GroupMembership, Person, SpecialGroup
from jingban.workforce.models import Caregiver
from tests.personas import Personas

HOME = (Decimal("31.259000"), Decimal("120.519000"))
NEAR = (Decimal("31.259900"), Decimal("120.519000"))  # about 100 m north
FAR = (Decimal("31.268000"), Decimal("120.519000"))  # about 1 km north


def _today() -> dt.date:
    return timezone.localdate()


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _persons(n: int) -> list[Person]:
    found = list(
        Person.objects.filter(
            region__path__contains="320500/",
            account__isnull=True,
            death_date__isnull=True,
            ltc_entitlements__isnull=True,
        ).order_by("pk")[:n]
    )
    assert len(found) == n
    return found


def entitlement(
    person: Person, *, status: str = EntitlementStatus.ACTIVE, level: int = 4
) -> Entitlement:
    today = _today()
    start = (today.replace(day=1) - dt.timedelta(days=100)).replace(day=1)
    case = Case.objects.create(
        number=f"T{person.pk:010d}",
        person=person,
        region=person.region,
        region_path=person.region.path,
        channel="counter",
        status="decided",
        received_on=start - dt.timedelta(days=30),
    )
    return Entitlement.objects.create(
        person=person,
        case=case,
        region_path=person.region.path,
        level=level,
        severity="severe",
        start_on=start,
        end_on=today + dt.timedelta(days=365),
        status=status,
    )


def kn() -> Institution:
    return Institution.objects.get(organisation__code="SZ-CARE-KN")


def ak() -> Institution:
    return Institution.objects.get(organisation__code="SZ-CARE-AK")


def home_plan(p: Personas, ent: Entitlement, *, home: bool = True, start: Any = None) -> CarePlan:
    return services_care.create_plan(
        ent,
        PlanInput(
            "home_visit",
            kn(),
            start or ent.start_on,
            HOME[0] if home else None,
            HOME[1] if home else None,
        ),
        acting_user=p.user("wang"),
    )


def with_check(monkeypatch: pytest.MonkeyPatch, **check: object) -> None:
    """A test pack: Suzhou's rules with the check-in parameters changed."""
    base = policy.ltc_rules("320000/320500/", _today())
    assert base is not None
    rules = base.model_copy(update={"check_in": base.check_in.model_copy(update=check)})
    monkeypatch.setattr(policy, "ltc_rules", lambda *_a: rules)


def _field(error: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return set(error.value.fields)


# --- Care plans --------------------------------------------------------------------------------


def test_plan_takes_the_quota_from_the_pack_and_is_logged(personas: Personas) -> None:
    ent = entitlement(_persons(1)[0])
    plan = home_plan(personas, ent)
    assert plan.monthly_visits == 15  # Suzhou's sample: severe, 15 visits a month
    assert plan.hours_per_visit == Decimal("2.00")
    assert plan.region_path == ent.region_path
    assert ActionLog.objects.filter(action="ltc.care_plan.created", object_id=str(plan.pk)).exists()


def test_plan_refused_when_provider_may_not_serve(personas: Personas) -> None:
    ent = entitlement(_persons(1)[0])
    with pytest.raises(ValidationFailed) as error:
        services_care.create_plan(
            ent, PlanInput("home_visit", ak(), ent.start_on), acting_user=personas.user("wang")
        )
    assert _field(error) == {"provider"}
    assert not CarePlan.objects.filter(entitlement=ent).exists()


@pytest.mark.parametrize(
    ("status", "form", "shift", "field"),
    [
        (EntitlementStatus.SUSPENDED, "home_visit", 0, "entitlement"),
        (EntitlementStatus.STOPPED, "home_visit", 0, "entitlement"),
        (EntitlementStatus.ACTIVE, "home_visit", -1, "effective_from"),
        (EntitlementStatus.ACTIVE, "institution", 0, "provider"),  # no provider given
    ],
)
def test_plan_refusals_name_the_field(
    personas: Personas, status: str, form: str, shift: int, field: str
) -> None:
    ent = entitlement(_persons(1)[0], status=status)
    provider = kn() if field != "provider" else None
    with pytest.raises(ValidationFailed) as error:
        services_care.create_plan(
            ent,
            PlanInput(form, provider, ent.start_on + dt.timedelta(days=shift)),
            acting_user=personas.user("wang"),
        )
    assert _field(error) == {field}
    assert not CarePlan.objects.filter(entitlement=ent).exists()


def test_plan_needs_the_edit_capability(personas: Personas) -> None:
    from jingban.core.errors import Forbidden

    ent = entitlement(_persons(1)[0])
    with pytest.raises(Forbidden):
        services_care.create_plan(
            ent, PlanInput("home_visit", kn(), ent.start_on), acting_user=personas.user("zhou")
        )


def test_change_ends_the_plan_the_day_before_and_opens_a_new_one(personas: Personas) -> None:
    ent = entitlement(_persons(1)[0])
    plan = home_plan(personas, ent)
    day = ent.start_on + dt.timedelta(days=20)
    new = services_care.change_plan(
        plan, PlanInput("institution", kn(), day), acting_user=personas.user("wang")
    )
    plan.refresh_from_db()
    assert plan.effective_to == day - dt.timedelta(days=1)
    assert (new.care_form, new.effective_from, new.effective_to) == ("institution", day, None)
    assert new.monthly_visits is None
    assert (new.home_lat, new.home_lon) == HOME  # carried over
    assert ActionLog.objects.filter(action="ltc.care_plan.changed", object_id=str(plan.pk)).exists()
    # A second plan on an open period is refused: change it instead.
    with pytest.raises(ValidationFailed) as error:
        services_care.create_plan(
            ent, PlanInput("home_visit", kn(), day), acting_user=personas.user("wang")
        )
    assert _field(error) == {"effective_from"}


def test_change_refused_to_a_provider_that_may_not_serve(personas: Personas) -> None:
    ent = entitlement(_persons(1)[0])
    plan = home_plan(personas, ent)
    with pytest.raises(ValidationFailed) as error:
        services_care.change_plan(
            plan,
            PlanInput("medical_ward", kn(), ent.start_on + dt.timedelta(days=3)),
            acting_user=personas.user("wang"),
        )
    assert _field(error) == {"provider"}
    plan.refresh_from_db()
    assert plan.effective_to is None
    assert CarePlan.objects.filter(entitlement=ent).count() == 1


# --- Check-in and check-out --------------------------------------------------------------------


def _visit(p: Personas, plan: CarePlan, where: Any = NEAR, **kw: Any) -> Visit:
    return services_care.check_in(
        plan,
        acting_user=p.user("zhou"),
        lat=where[0] if where else None,
        lon=where[1] if where else None,
        at=kw.pop("at", _at(_today(), 9)),
        **kw,
    )


def test_check_in_and_out_near_the_home_completes_the_visit(personas: Personas) -> None:
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    visit = _visit(personas, plan)
    assert visit.status == VisitStatus.OPEN
    assert 90 <= (visit.distance_m or 0) <= 110
    done = services_care.check_out(
        visit,
        acting_user=personas.user("zhou"),
        lat=NEAR[0],
        lon=NEAR[1],
        items=["hygiene", "feeding"],
        at=_at(_today(), 10, 30),
    )
    assert (done.status, done.flags, done.items) == (VisitStatus.DONE, [], ["hygiene", "feeding"])
    actions = set(
        ActionLog.objects.filter(object_id=str(visit.pk)).values_list("action", flat=True)
    )
    assert {"ltc.visit.checked_in", "ltc.visit.checked_out"} <= actions


def test_first_check_in_records_the_home_when_empty(personas: Personas) -> None:
    plan = home_plan(personas, entitlement(_persons(1)[0]), home=False)
    visit = _visit(personas, plan, FAR)
    plan.refresh_from_db()
    assert (plan.home_lat, plan.home_lon, plan.home_from_visit) == (*FAR, True)
    assert visit.distance_m == 0 and visit.flags == []


def test_far_check_in_flagged_by_default(personas: Personas) -> None:
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    visit = _visit(personas, plan, FAR)
    assert visit.flags == ["distance"] and (visit.distance_m or 0) > 900
    done = services_care.check_out(
        visit, acting_user=personas.user("zhou"), lat=FAR[0], lon=FAR[1], at=_at(_today(), 10, 30)
    )
    assert done.status == VisitStatus.FLAGGED
    flagged = queries_care.filtered_visits(personas.user("zhao"), flagged=True)
    assert done in flagged and not flagged.exclude(status=VisitStatus.FLAGGED).exists()


def test_far_check_in_refused_stores_nothing(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_check(monkeypatch, on_failure="refuse")
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    with pytest.raises(ValidationFailed) as error:
        _visit(personas, plan, FAR)
    assert _field(error) == {"location"}
    assert not Visit.objects.filter(care_plan=plan).exists()


def test_far_check_in_asks_for_a_reason(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_check(monkeypatch, on_failure="reason")
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    with pytest.raises(ValidationFailed) as error:
        _visit(personas, plan, FAR)
    assert _field(error) == {"reason"}
    assert not Visit.objects.filter(care_plan=plan).exists()
    visit = _visit(personas, plan, FAR, reason="老人在社区医院")
    assert visit.flags == ["distance"] and visit.reason == "老人在社区医院"


def test_distance_within_the_pack_limit(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_check(monkeypatch, max_distance_m=50, on_failure="refuse")
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    with pytest.raises(ValidationFailed):
        _visit(personas, plan, NEAR)  # 100 m > 50 m
    with_check(monkeypatch, max_distance_m=2000, on_failure="refuse")
    assert _visit(personas, plan, FAR).flags == []


def test_location_required_refuses_without_one(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    with pytest.raises(ValidationFailed) as error:
        _visit(personas, plan, None)
    assert _field(error) == {"location"}
    assert not Visit.objects.exists() or not Visit.objects.filter(care_plan=plan).exists()
    with_check(monkeypatch, location_required=False)
    visit = _visit(personas, plan, None)
    assert visit.distance_m is None and visit.flags == []


@pytest.mark.parametrize("mode", ["flag", "reason", "refuse"])
def test_short_visit_by_on_failure(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    with_check(monkeypatch, min_minutes=60, on_failure=mode)
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    visit = _visit(personas, plan)
    args: dict[str, Any] = {
        "acting_user": personas.user("zhou"),
        "lat": NEAR[0],
        "lon": NEAR[1],
        "at": _at(_today(), 9, 40),
    }
    if mode == "flag":
        assert services_care.check_out(visit, **args).flags == ["minutes"]
        return
    with pytest.raises(ValidationFailed) as error:
        services_care.check_out(visit, **args)
    assert _field(error) == ({"reason"} if mode == "reason" else {"check_out"})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.OPEN and visit.check_out is None
    if mode == "reason":
        done = services_care.check_out(visit, reason="家属要求提前结束", **args)
        assert (done.status, done.flags) == (VisitStatus.FLAGGED, ["minutes"])


def test_photo_required(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    with_check(monkeypatch, photo_required=True, on_failure="refuse")
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    visit = _visit(personas, plan)
    args: dict[str, Any] = {
        "acting_user": personas.user("zhou"),
        "lat": NEAR[0],
        "lon": NEAR[1],
        "at": _at(_today(), 10, 30),
    }
    with pytest.raises(ValidationFailed) as error:
        services_care.check_out(visit, **args)
    assert _field(error) == {"photo"}
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
        b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
        b"\x00\x00\x00IEND\xaeB`\x82"
    )
    photo = SimpleUploadedFile("visit.png", png, content_type="image/png")
    done = services_care.check_out(visit, photo=photo, **args)
    assert done.status == VisitStatus.DONE
    from jingban.files.models import StoredFile

    assert StoredFile.objects.filter(object_type="ltc.visit", object_id=str(done.pk)).count() == 1


def test_check_out_before_check_in_refused(personas: Personas) -> None:
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    visit = _visit(personas, plan)
    with pytest.raises(ValidationFailed) as error:
        services_care.check_out(
            visit, acting_user=personas.user("zhou"), lat=NEAR[0], lon=NEAR[1], at=_at(_today(), 8)
        )
    assert _field(error) == {"check_out"}
    done = services_care.check_out(
        visit, acting_user=personas.user("zhou"), lat=NEAR[0], lon=NEAR[1], at=_at(_today(), 11)
    )
    with pytest.raises(ValidationFailed) as again:  # not open any more
        services_care.check_out(
            done, acting_user=personas.user("zhou"), lat=NEAR[0], lon=NEAR[1], at=_at(_today(), 12)
        )
    assert _field(again) == {"check_out"}


def test_visit_refused_when_benefit_suspended_or_outside_the_plan(personas: Personas) -> None:
    ent = entitlement(_persons(1)[0])
    plan = home_plan(personas, ent)
    Entitlement.objects.filter(pk=ent.pk).update(status=EntitlementStatus.SUSPENDED)
    plan.refresh_from_db()
    with pytest.raises(ValidationFailed) as error:
        _visit(personas, plan)
    assert _field(error) == {"person"}
    Entitlement.objects.filter(pk=ent.pk).update(status=EntitlementStatus.ACTIVE)
    CarePlan.objects.filter(pk=plan.pk).update(effective_to=_today() - dt.timedelta(days=1))
    plan.refresh_from_db()
    with pytest.raises(ValidationFailed) as error:
        _visit(personas, plan)
    assert _field(error) == {"service_date"}
    assert not Visit.objects.filter(care_plan=plan).exists()


def test_bad_service_items_refused(personas: Personas) -> None:
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    visit = _visit(personas, plan)
    with pytest.raises(ValidationFailed) as error:
        services_care.check_out(
            visit,
            acting_user=personas.user("zhou"),
            lat=NEAR[0],
            lon=NEAR[1],
            items=["hygiene", "dancing"],
            at=_at(_today(), 11),
        )
    assert _field(error) == {"items"}


# --- Scope ------------------------------------------------------------------------------------


def test_caregiver_sees_only_own_visits(personas: Personas) -> None:
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    mine = _visit(personas, plan)
    colleague = (
        Caregiver.objects.filter(employer__code="SZ-CARE-KN")
        .exclude(account=personas.user("zhou"))
        .first()
    )
    assert colleague is not None
    theirs = Visit.objects.create(
        care_plan=plan,
        person=plan.person,
        caregiver=colleague,
        institution=plan.provider,
        region_path=plan.region_path,
        service_date=_today() - dt.timedelta(days=1),
        check_in=_at(_today() - dt.timedelta(days=1), 9),
    )
    seen = set(queries_care.visits_for(personas.user("zhou")))
    assert mine in seen and theirs not in seen
    staff = set(queries_care.visits_for(personas.user("wang")))
    assert {mine, theirs} <= staff
    assert not queries_care.visits_for(personas.user("kangning")).exclude(institution=kn()).exists()


def test_caregiver_cannot_check_out_anothers_visit(personas: Personas) -> None:
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    colleague = (
        Caregiver.objects.filter(employer__code="SZ-CARE-KN")
        .exclude(account=personas.user("zhou"))
        .first()
    )
    assert colleague is not None
    theirs = Visit.objects.create(
        care_plan=plan,
        person=plan.person,
        caregiver=colleague,
        institution=plan.provider,
        region_path=plan.region_path,
        service_date=_today(),
        check_in=_at(_today(), 8),
    )
    with pytest.raises(ValidationFailed) as error:
        services_care.check_out(
            theirs,
            acting_user=personas.user("zhou"),
            lat=NEAR[0],
            lon=NEAR[1],
            at=_at(_today(), 10),
        )
    assert _field(error) == {"caregiver"}


def _bed_plan(
    p: Personas, ent: Entitlement, provider: Institution, start: dt.date | None = None
) -> CarePlan:
    return services_care.create_plan(
        ent, PlanInput("institution", provider, start or ent.start_on), acting_user=p.user("wang")
    )


def test_institution_reports_only_its_own_beneficiaries(personas: Personas) -> None:
    own, other = _persons(2)
    _bed_plan(personas, entitlement(own), kn())
    _bed_plan(personas, entitlement(other), ak())
    kangning = personas.user("kangning")
    day = _today()
    listed = {pl.person for pl in queries_care.bed_plans(kangning, day)}
    assert own in listed and other not in listed
    assert own in {pl.person for pl in queries_care.unreported_today(kangning, day)}
    with pytest.raises(ValidationFailed) as error:
        services_care.report_bed_days(
            day, {own.pk: "present", other.pk: "present"}, acting_user=kangning
        )
    assert _field(error) == {"person"}
    assert not BedDay.objects.filter(day=day).exists()
    rows = services_care.report_bed_days(day, {own.pk: "present"}, acting_user=kangning)
    assert [r.status for r in rows] == ["present"]
    assert own not in {pl.person for pl in queries_care.unreported_today(kangning, day)}
    with pytest.raises(ValidationFailed) as error:
        services_care.record_stay(other, day, None, acting_user=kangning)
    assert _field(error) == {"person"}
    with pytest.raises(ValidationFailed) as error:
        services_care.report_bed_days(
            day + dt.timedelta(days=1), {own.pk: "present"}, acting_user=kangning
        )
    assert _field(error) == {"day"}


def test_stay_makes_reported_days_hospital_and_bad_dates_refused(personas: Personas) -> None:
    person = _persons(1)[0]
    _bed_plan(personas, entitlement(person), kn())
    kangning = personas.user("kangning")
    day = _today() - dt.timedelta(days=5)
    services_care.report_bed_days(day, {person.pk: "present"}, acting_user=kangning)
    with pytest.raises(ValidationFailed) as error:
        services_care.record_stay(person, day, day - dt.timedelta(days=1), acting_user=kangning)
    assert _field(error) == {"discharged_on"}
    services_care.record_stay(person, day, day + dt.timedelta(days=1), acting_user=kangning)
    assert BedDay.objects.get(person=person, day=day).status == BedDayStatus.HOSPITAL
    # A day later reported as present stays in hospital.
    services_care.report_bed_days(
        day + dt.timedelta(days=1), {person.pk: "present"}, acting_user=kangning
    )
    assert BedDay.objects.get(person=person, day=day + dt.timedelta(days=1)).status == "hospital"


def test_stay_import_reports_rows_and_stores_all_or_nothing(personas: Personas) -> None:
    own, other = _persons(2)
    _bed_plan(personas, entitlement(own), kn())
    _bed_plan(personas, entitlement(other), ak())
    kangning = personas.user("kangning")
    day = (_today() - dt.timedelta(days=10)).isoformat()
    bad = (
        "document_number,admitted_on,discharged_on\n"
        f"{own.document_number},{day},\n"
        f"{other.document_number},{day},\n"
        f"000,{day},\n"
        f"{own.document_number},2026-13-01,\n"
    )
    count, problems = services_care.import_stays(bad, acting_user=kangning)
    assert count == 0
    assert [(pr.line, pr.field) for pr in problems] == [
        (3, "document_number"),
        (4, "document_number"),
        (5, "admitted_on"),
    ]
    assert not HospitalStay.objects.filter(person__in=[own, other]).exists()
    good = f"document_number,admitted_on,discharged_on\n{own.document_number},{day},\n"
    assert services_care.import_stays(good, acting_user=kangning) == (1, [])
    assert HospitalStay.objects.get(person=own).source == "imported"
    with pytest.raises(ValidationFailed) as error:
        services_care.import_stays("name,day\nx,y\n", acting_user=kangning)
    assert _field(error) == {"file"}


# --- The bridge to settlement -------------------------------------------------------------------


def test_service_rows_for_a_month_with_a_stay_and_a_change_of_form(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    person = _persons(1)[0]
    ent = entitlement(person)
    group = SpecialGroup.objects.filter(tier="core").first()
    assert group is not None
    GroupMembership.objects.create(person=person, group=group, valid_from=ent.start_on)
    first = (_today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month
    plan = home_plan(personas, ent, start=first)
    zhou = personas.user("zhou")
    for day_no, minutes in ((3, 110), (10, 61)):
        day = first.replace(day=day_no)
        visit = services_care.check_in(
            plan, acting_user=zhou, lat=NEAR[0], lon=NEAR[1], at=_at(day, 9)
        )
        services_care.check_out(
            visit,
            acting_user=zhou,
            lat=NEAR[0],
            lon=NEAR[1],
            at=_at(day, 9) + dt.timedelta(minutes=minutes),
        )
    change = first.replace(day=15)
    services_care.change_plan(
        plan, PlanInput("institution", kn(), change), acting_user=personas.user("wang")
    )
    kangning = personas.user("kangning")
    for n in range(15, 21):
        services_care.report_bed_days(
            first.replace(day=n), {person.pk: "present"}, acting_user=kangning
        )
    services_care.record_stay(
        person, first.replace(day=18), first.replace(day=19), acting_user=kangning
    )
    with django_assert_max_num_queries(5):
        rows = list(queries_care.service_rows("320000/320500/", first))
    mine = [r for r in rows if r.person_id == str(person.pk)]
    summary = [(r.service_date.day, r.care_form, r.hours) for r in mine]
    assert summary == [
        (3, "home_visit", Fraction(7, 4)),  # 110 minutes → 1¾ hours (quarters, down)
        (10, "home_visit", Fraction(1)),  # 61 minutes → 1 hour
        (15, "institution", Fraction(1)),
        (16, "institution", Fraction(1)),
        (17, "institution", Fraction(1)),
        (18, "hospital_stay", Fraction(0)),
        (19, "hospital_stay", Fraction(0)),
        (20, "institution", Fraction(1)),
    ]
    assert {(r.person_category, r.disability_level, r.dementia) for r in mine} == {
        ("relief", 4, False)
    }
    assert mine[0].caregiver_id and mine[0].check_in is not None
    # Nothing of another month, nothing outside the prefix.
    assert not list(queries_care.service_rows("320100/", first))
