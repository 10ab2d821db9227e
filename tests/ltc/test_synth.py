"""Long-term care's part of the synthetic city (``ltc/synth.py``) on a city of a few thousand
persons, and the demo world's cases in every status."""

from __future__ import annotations

import pytest
from django.db import transaction

from jingban.core import plugins, synthetic
from jingban.core.calendar import today as local_today
from jingban.core.plugins import SynthContext
from jingban.engine.ltc import scoring
from jingban.ltc import synth
from jingban.ltc.models import (
    Assessment,
    BedDay,
    Case,
    CaseStatus,
    Entitlement,
    EntitlementStatus,
    Visit,
)
from jingban.ltc.services_intake import standard
from jingban.providers.serving import may_serve
from jingban.registry.models import Enrollment

PERSONS = 5000
SEED = 11


def _city_without_ltc(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    """The demo's accounts and fixed rows (康宁护理院 and the other demo institutions in force,
    their caregivers), then a synthetic city of a few thousand without its LTC part: as a
    ``jingban synth`` after ``jingban demo`` (a small city's own institutions may all be out of
    service: the providers' generator cycles agreement states)."""
    from jingban.demo.world import build_world

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_world(persons=1, var_dir=None)
    everyone = plugins.synth_generators
    monkeypatch.setattr(
        plugins, "synth_generators", lambda: [g for g in everyone() if g.name != "ltc"]
    )
    synthetic.generate(PERSONS, SEED)
    monkeypatch.setattr(plugins, "synth_generators", everyone)


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_a_city_of_a_few_thousand(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    _city_without_ltc(monkeypatch, settings)
    today = local_today()
    enrolled = (
        Enrollment.objects.filter(
            scheme__code="ltc",
            year=today.year,
            status="active",
            person__region__path__startswith="320000/320500/",
            person__death_date__isnull=True,
        )
        .values("person_id")
        .distinct()
        .count()
    )
    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ours = Case.objects.filter(pk__gt=last)
    # Same seed, same digest (the first run rolled back).
    with transaction.atomic():
        first = synth.generate(SynthContext(persons=PERSONS, seed=SEED))
        transaction.set_rollback(True)
    outcome = synth.generate(SynthContext(persons=PERSONS, seed=SEED))
    assert outcome.digest == first.digest and outcome.counts == first.counts

    # About 0.7% of the persons enrolled in LTC applied, and only they.
    cases = ours.count()
    assert outcome.counts["ltc_case"] == cases
    assert 0.005 * enrolled <= cases <= 0.01 * enrolled
    applicants = ours.values_list("person_id", flat=True)
    assert (
        Enrollment.objects.filter(
            person_id__in=applicants, scheme__code="ltc", year=today.year, status="active"
        ).count()
        == cases
    )
    # Every status, most cases decided.
    by_status = {s: ours.filter(status=s).count() for s in CaseStatus.values}
    assert all(by_status.values()), by_status
    assert by_status[CaseStatus.DECIDED] > cases / 2

    # The stored levels and totals are the engine's on the stored scores; many 0–1, few 4–5.
    _pack, rules = standard("320500", today)
    graded = Assessment.objects.filter(case__in=ours).exclude(level=None)
    levels = [0] * 6
    for assessment in graded:
        grade = scoring.grade(rules, assessment.scores)
        assert (assessment.level, assessment.adl_total, assessment.cognition_total) == (
            int(grade.level),
            grade.adl_total,
            grade.cognition_total,
        )
        levels[int(grade.level)] += 1
    assert levels[0] + levels[1] > levels[4] + levels[5]
    assert levels[2] + levels[3] > 0

    # Entitlements for the decided levels the pack pays, some suspended and some stopped.
    entitlements = Entitlement.objects.filter(case__in=ours)
    states = set(entitlements.values_list("status", flat=True))
    assert {
        EntitlementStatus.ACTIVE,
        EntitlementStatus.SUSPENDED,
        EntitlementStatus.STOPPED,
    } <= states
    assert not entitlements.filter(level__lt=2).exists()

    # A year of records; every visit's and bed-day's provider may serve that day.
    visits = list(
        Visit.objects.filter(care_plan__entitlement__case__in=ours).select_related(
            "care_plan__provider", "caregiver"
        )
    )
    assert visits and len(visits) == outcome.counts["ltc_visit"]
    for visit in visits:
        plan = visit.care_plan
        assert plan.provider_id == visit.institution_id
        assert may_serve(plan.provider_id, "ltc", "home", visit.service_date)
        assert visit.caregiver.employer_id == plan.provider.organisation_id
        assert visit.service_date < today
    days = list(
        BedDay.objects.filter(care_plan__entitlement__case__in=ours).select_related("care_plan")[
            :2000
        ]
    )
    assert days
    for day in days:
        assert may_serve(day.care_plan.provider_id, "ltc", "institutional", day.day)
    # The staff pages show a synthetic case of each status (its events were made by no one).
    from django.test import Client
    from django.urls import reverse

    from jingban.core.models import User

    client = Client()
    client.force_login(User.objects.get(username="admin"))
    for status in CaseStatus.values:
        case = ours.filter(status=status).first()
        assert case is not None
        page = client.get(reverse("ltc:case_detail", args=[case.pk]))
        assert page.status_code == 200, status
        assert case.number in page.content.decode()
    # Nothing paid while suspended or after a stop.
    for entitlement in entitlements.filter(status=EntitlementStatus.STOPPED):
        assert not Visit.objects.filter(
            care_plan__entitlement=entitlement, service_date__gt=entitlement.end_on
        ).exists()


@pytest.mark.django_db
def test_a_tiny_city_has_no_applicant_and_costs_little(
    personas, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(3):
        outcome = synth.generate(SynthContext(persons=24, seed=7))
    assert outcome.counts == {}


@pytest.mark.django_db
def test_the_demo_world_has_cases_in_every_status_and_work_on_the_home_panels(personas) -> None:
    from jingban.ltc import panels_care, panels_decision, panels_intake
    from jingban.ltc.models import Decision, Notice, NoticeStatus

    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    decided = Decision.objects.filter(
        person__name="吴根宝", document__isnull=False, entitlement__isnull=False
    )
    assert decided.count() == 1
    assert Notice.objects.filter(
        status=NoticeStatus.POSTED, ends_on__gte=local_today(), case__person__name="周阿妹"
    ).exists()
    assert Case.objects.get(person__name="沈彩英").status == CaseStatus.OBJECTED
    assert Case.objects.get(person__name="陆金林").status == CaseStatus.WITHDRAWN
    li, zhou, kangning = (personas.user(n) for n in ("li", "zhou", "kangning"))
    assert panels_intake.my_assessments(li)["total"] >= 1  # type: ignore[index]
    assert panels_care.today_visits(zhou)["total"] >= 1  # type: ignore[index]
    assert panels_decision.beneficiaries(kangning)["total"] >= 1  # type: ignore[index]
    assert panels_care.bed_days_due(kangning)["total"] >= 1  # type: ignore[index]
