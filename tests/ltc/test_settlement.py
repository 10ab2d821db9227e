"""Settlement through the database under suzhou-ltc (Zhangjiagang's figures): the golden
months, a rerun before and after payment, the four stages by four different people, sending
back, and institution scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jingban.core.errors import DomainError, Forbidden, ValidationFailed
from jingban.core.models import ActionLog, Region
from jingban.ltc import queries_settlement, services_settlement
from jingban.ltc.models import (
    Adjustment,
    BatchStage,
    BedDay,
    BedDayStatus,
    CarePlan,
    Case,
    Entitlement,
    SettlementBatch,
    Statement,
    StatementLine,
    Visit,
    VisitStatus,
)
from jingban.providers.models import Institution
from jingban.registry.models import GroupMembership, Person, SpecialGroup
from jingban.workforce.models import Caregiver
from tests.personas import Personas

JUNE = dt.date(2025, 6, 1)
JULY = dt.date(2025, 7, 1)
TODAY = dt.date(2025, 8, 15)
LAT, LON = Decimal("31.259000"), Decimal("120.519000")


def suzhou() -> Region:
    return Region.objects.get(code="320500")


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


def kn() -> Institution:
    return Institution.objects.get(organisation__code="SZ-CARE-KN")


def other_institution() -> Institution:
    return (
        Institution.objects.filter(organisation__region__path__contains="320500/")
        .exclude(pk=kn().pk)
        .order_by("pk")
        .first()
    )  # type: ignore[return-value]


def plan(person: Person, form: str, provider: Institution, *, level: int = 4) -> CarePlan:
    case = Case.objects.create(
        number=f"S{person.pk:010d}",
        person=person,
        region=person.region,
        region_path=person.region.path,
        channel="window",
        status="decided",
        received_on=dt.date(2024, 11, 1),
    )
    ent = Entitlement.objects.create(
        person=person,
        case=case,
        region_path=person.region.path,
        level=level,
        severity="severe" if level >= 4 else "moderate",
        start_on=dt.date(2025, 1, 1),
        end_on=dt.date(2026, 12, 31),
    )
    return CarePlan.objects.create(
        entitlement=ent,
        person=person,
        region_path=person.region.path,
        care_form=form,
        provider=provider,
        effective_from=dt.date(2025, 1, 1),
    )


def visits(care: CarePlan, month: dt.date, count: int, *, hours: int = 2) -> None:
    caregiver = Caregiver.objects.filter(employer=care.provider.organisation).first()  # type: ignore[union-attr]
    if caregiver is None:
        caregiver = Caregiver.objects.order_by("pk").first()
    assert caregiver is not None
    rows = []
    for i in range(count):
        day = month + dt.timedelta(days=i)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        rows.append(
            Visit(
                care_plan=care,
                person=care.person,
                caregiver=caregiver,
                institution=care.provider,
                region_path=care.region_path,
                service_date=day,
                check_in=start,
                check_out=start + dt.timedelta(hours=hours),
                in_lat=LAT,
                in_lon=LON,
                status=VisitStatus.DONE,
            )
        )
    Visit.objects.bulk_create(rows)


def bed_days(care: CarePlan, month: dt.date, count: int) -> None:
    assert care.provider is not None
    BedDay.objects.bulk_create(
        BedDay(
            care_plan=care,
            person=care.person,
            institution=care.provider,
            region_path=care.region_path,
            day=month + dt.timedelta(days=i),
            status=BedDayStatus.PRESENT,
        )
        for i in range(count)
    )


def make_relief(person: Person) -> None:
    GroupMembership.objects.create(
        person=person, group=SpecialGroup.objects.get(code="tekun"), valid_from=dt.date(2024, 1, 1)
    )


@pytest.fixture
def month_of_care(personas: Personas) -> dict[str, Person]:
    """June 2025 in Suzhou: a severe home month of 15 visits × 2 h plus a 16th, a relief person's
    home month, and 30 severe days in 康宁护理院."""
    home, relief, bed = _persons(3)
    care = plan(home, "home_visit", kn())
    visits(care, JUNE, 16)
    make_relief(relief)
    visits(plan(relief, "home_visit", kn()), JUNE, 15)
    bed_days(plan(bed, "institution", kn()), JUNE, 30)
    return {"home": home, "relief": relief, "bed": bed}


def run(p: Personas, month: dt.date = JUNE) -> SettlementBatch:
    return services_settlement.run_month(suzhou(), month, by=p.user("wang"), today=TODAY)


def statement(batch: SettlementBatch, person: Person) -> Statement:
    return Statement.objects.get(batch=batch, person=person)


def four_stages(p: Personas, batch: SettlementBatch) -> SettlementBatch:
    for stage, who in (
        (BatchStage.CLAIMED, "wang"),
        (BatchStage.FIRST_REVIEWED, "sun"),
        (BatchStage.SECOND_REVIEWED, "qian"),
        (BatchStage.PAID, "admin"),
    ):
        batch = services_settlement.advance(batch, stage, by=p.user(who), confirm=True)
    return batch


def test_golden_figures_through_the_database(month_of_care: dict[str, Person], personas) -> None:
    batch = run(personas)
    assert (batch.pack_id, batch.stage) == ("suzhou-ltc", BatchStage.COMPUTED)
    home = statement(batch, month_of_care["home"])
    assert (home.billed_fen, home.fund_fen, home.self_pay_fen) == (120_000, 112_500, 7_500)
    assert home.rejected_count == 1
    assert home.rejected[0]["code"] == "ltc.over_quota"
    assert home.rejected[0]["date"] == "2025-06-16"
    relief = statement(batch, month_of_care["relief"])
    assert (relief.billed_fen, relief.fund_fen, relief.self_pay_fen) == (120_000, 120_000, 0)
    bed = statement(batch, month_of_care["bed"])
    assert bed.billed_fen == 90_000 and bed.lines.count() == 30
    # Conservation: the statements add up to the batch, billed = fund + self on each.
    assert batch.statement_count == 3
    assert batch.billed_fen == 330_000
    assert batch.fund_fen + batch.self_pay_fen == batch.billed_fen
    assert batch.self_pay_fen == 7_500 + bed.self_pay_fen
    assert batch.rejected_count == 1
    # Per institution: every line came from 康宁护理院.
    totals = queries_settlement.institution_totals(personas.user("wang"), batch)
    assert [(t["institution"], t["billed_fen"]) for t in totals] == [(kn().pk, 330_000)]
    assert ActionLog.objects.filter(
        action="ltc.settlement.computed", object_id=str(batch.pk)
    ).exists()


def test_rerun_before_payment_replaces_and_never_doubles(month_of_care, personas) -> None:
    batch = services_settlement.advance(run(personas), BatchStage.CLAIMED, by=personas.user("wang"))
    old_ids = set(batch.statements.values_list("pk", flat=True))
    again = run(personas)
    assert again.pk == batch.pk
    assert again.stage == BatchStage.COMPUTED and again.claimed_by is None
    assert (again.billed_fen, again.fund_fen, again.statement_count) == (330_000, 322_500, 3)
    assert Statement.objects.filter(batch=again).count() == 3
    assert not Statement.objects.filter(pk__in=old_ids).exists()
    assert SettlementBatch.objects.filter(region=suzhou(), month=JUNE).count() == 1
    assert (
        ActionLog.objects.filter(
            action="ltc.settlement.recomputed", object_id=str(batch.pk)
        ).count()
        == 1
    )


def test_rerun_after_payment_is_refused_and_a_correction_is_carried_next_month(
    month_of_care, personas
) -> None:
    paid = four_stages(personas, run(personas))
    assert paid.stage == BatchStage.PAID
    bed = month_of_care["bed"]
    bed_days(CarePlan.objects.get(person=bed), JULY, 31)
    july = run(personas, JULY)
    assert (july.fund_fen, july.adjustment_fund_fen) == (93_000, 0)
    # June 30 was reported in care by mistake: the paid month cannot be settled again …
    BedDay.objects.filter(person=bed, day=dt.date(2025, 6, 30)).delete()
    with pytest.raises(DomainError) as refused:
        run(personas)
    assert "已拨付" in str(refused.value.message)
    assert Statement.objects.filter(batch=paid).count() == 3
    # … it is corrected: the difference, per person, carried in July's batch.
    adjustments = services_settlement.record_corrections(
        paid, by=personas.user("wang"), reason="床日上报有误"
    )
    assert [(a.person_id, a.billed_fen, a.fund_fen, a.self_pay_fen) for a in adjustments] == [
        (bed.pk, -3_000, -3_000, 0)
    ]
    july.refresh_from_db()
    assert july.adjustments.get().fund_fen == -3_000
    assert (july.fund_fen, july.adjustment_fund_fen, july.payable_fen) == (93_000, -3_000, 90_000)
    # July settled again before its payment keeps carrying it, once.
    july = run(personas, JULY)
    assert (july.adjustment_fund_fen, july.adjustments.count()) == (-3_000, 1)
    # Recorded twice: nothing new (the first correction already counts).
    assert (
        services_settlement.record_corrections(paid, by=personas.user("wang"), reason="再核") == []
    )
    paid.refresh_from_db()
    assert (paid.billed_fen, paid.stage) == (330_000, BatchStage.PAID)


def test_four_different_people_and_the_same_person_refused_at_each(month_of_care, personas) -> None:
    p = personas
    batch = run(p)
    # The claim needs the operator's capability.
    with pytest.raises(Forbidden):
        services_settlement.advance(batch, BatchStage.CLAIMED, by=p.user("sun"))
    batch = services_settlement.advance(batch, BatchStage.CLAIMED, by=p.user("wang"))
    # Out of order: payment before the reviews.
    with pytest.raises(DomainError):
        services_settlement.advance(batch, BatchStage.PAID, by=p.user("admin"), confirm=True)
    batch = services_settlement.advance(batch, BatchStage.FIRST_REVIEWED, by=p.user("sun"))
    batch = services_settlement.advance(batch, BatchStage.SECOND_REVIEWED, by=p.user("qian"))
    with pytest.raises(ValidationFailed) as unconfirmed:
        services_settlement.advance(batch, BatchStage.PAID, by=p.user("admin"))
    assert "confirm" in unconfirmed.value.fields
    batch = services_settlement.advance(batch, BatchStage.PAID, by=p.user("admin"), confirm=True)
    assert {batch.claimed_by, batch.first_reviewed_by, batch.second_reviewed_by, batch.paid_by} == {
        p.user(u) for u in ("wang", "sun", "qian", "admin")
    }
    actions = list(
        ActionLog.objects.filter(object_type="ltc.settlement_batch", object_id=str(batch.pk))
        .order_by("pk")
        .values_list("action", "actor__username")
    )
    assert actions[1:] == [
        ("ltc.settlement.claimed", "wang"),
        ("ltc.settlement.first_reviewed", "sun"),
        ("ltc.settlement.second_reviewed", "qian"),
        ("ltc.settlement.paid", "admin"),
    ]
    assert batch.events.count() == 5


def test_the_same_person_is_refused_with_a_reason(month_of_care, personas, monkeypatch) -> None:
    """One account holding every capability still cannot do two stages of one batch."""
    p = personas
    wang = p.user("wang")
    monkeypatch.setattr(wang, "can", lambda capability: True)
    batch = services_settlement.advance(run(p), BatchStage.CLAIMED, by=wang)
    for stage in (BatchStage.FIRST_REVIEWED,):
        with pytest.raises(DomainError) as refused:
            services_settlement.advance(batch, stage, by=wang)
        assert "不同的人" in str(refused.value.message)
    batch.refresh_from_db()
    assert batch.stage == BatchStage.CLAIMED and batch.first_reviewed_by is None


def test_each_later_stage_refuses_an_earlier_signer(month_of_care, personas, monkeypatch) -> None:
    p = personas
    sun, qian = p.user("sun"), p.user("qian")
    batch = services_settlement.advance(run(p), BatchStage.CLAIMED, by=p.user("wang"))
    batch = services_settlement.advance(batch, BatchStage.FIRST_REVIEWED, by=sun)
    monkeypatch.setattr(sun, "can", lambda capability: True)
    with pytest.raises(DomainError, match="不同的人"):
        services_settlement.advance(batch, BatchStage.SECOND_REVIEWED, by=sun)
    batch = services_settlement.advance(batch, BatchStage.SECOND_REVIEWED, by=qian)
    monkeypatch.setattr(qian, "can", lambda capability: True)
    monkeypatch.setattr(p.user("wang"), "can", lambda capability: True)
    for who in (p.user("wang"), sun, qian):
        with pytest.raises(DomainError, match="不同的人"):
            services_settlement.advance(batch, BatchStage.PAID, by=who, confirm=True)
    batch.refresh_from_db()
    assert batch.stage == BatchStage.SECOND_REVIEWED and batch.paid_by is None


def test_send_back_one_step_with_a_reason(month_of_care, personas) -> None:
    p = personas
    batch = services_settlement.advance(run(p), BatchStage.CLAIMED, by=p.user("wang"))
    with pytest.raises(ValidationFailed) as blank:
        services_settlement.send_back(batch, by=p.user("sun"), reason="  ")
    assert "reason" in blank.value.fields
    with pytest.raises(Forbidden):
        services_settlement.send_back(batch, by=p.user("qian"), reason="x")
    batch = services_settlement.send_back(batch, by=p.user("sun"), reason="超量上门需核实")
    assert batch.stage == BatchStage.COMPUTED and batch.claimed_by is None
    entry = ActionLog.objects.filter(
        action="ltc.settlement.returned", object_id=str(batch.pk)
    ).get()
    assert entry.actor == p.user("sun")
    assert batch.events.last().note == "超量上门需核实"  # type: ignore[union-attr]
    paid = four_stages(p, batch)
    with pytest.raises(DomainError):
        services_settlement.send_back(paid, by=p.user("admin"), reason="x")


def test_a_future_month_and_a_region_without_pack_are_refused(personas) -> None:
    with pytest.raises(ValidationFailed) as future:
        services_settlement.run_month(
            suzhou(), dt.date(2025, 9, 1), by=personas.user("wang"), today=TODAY
        )
    assert "month" in future.value.fields
    nanjing = Region.objects.get(code="320100")
    with pytest.raises(DomainError):
        services_settlement.run_month(nanjing, JUNE, by=personas.user("admin"), today=TODAY)
    assert not SettlementBatch.objects.filter(month__in=(JUNE, dt.date(2025, 9, 1))).exists()


def test_institution_sees_only_its_own_statements(month_of_care, personas) -> None:
    other = other_institution()
    outsider = _persons(1)[0]
    visits(plan(outsider, "home_visit", other), JUNE, 2)
    batch = run(personas)
    kangning = personas.user("kangning")
    mine = queries_settlement.statements_for(kangning, batch)
    assert set(mine.values_list("person_id", flat=True)) == {p.pk for p in month_of_care.values()}
    assert queries_settlement.statements_for(personas.user("wang"), batch).count() == 4
    theirs = Statement.objects.get(batch=batch, person=outsider)
    with pytest.raises(Exception):  # noqa: B017 - NotFound
        queries_settlement.statement_for(kangning, theirs.pk)
    totals = queries_settlement.institution_totals(kangning, batch)
    assert [t["institution"] for t in totals] == [kn().pk]
    assert (
        StatementLine.objects.filter(statement__batch=batch).count() == 15 + 15 + 30 + 2
    )  # the 16th visit is rejected
    assert not Adjustment.objects.filter(corrects=batch).exists()


def test_days_outside_the_benefit_or_while_suspended_are_not_paid(personas) -> None:
    """A back-dated record is never paid for a day out of benefit: visits while the benefit was
    suspended (until its resumption) and after it stopped are rejected with their reason."""
    from jingban.ltc.models import EntitlementEvent, EntitlementEventKind

    (person,) = _persons(1)
    care = plan(person, "home_visit", kn())
    visits(care, JUNE, 10)  # 1–10 June
    for kind, day in (
        (EntitlementEventKind.SUSPENDED, dt.date(2025, 6, 3)),
        (EntitlementEventKind.RESUMED, dt.date(2025, 6, 5)),
        (EntitlementEventKind.STOPPED, dt.date(2025, 6, 9)),
    ):
        EntitlementEvent.objects.create(entitlement=care.entitlement, kind=kind, effective_on=day)
    batch = run(personas)
    mine = statement(batch, person)
    # Paid: 1–2 and 5–8 June, six visits of 2 h at 40 yuan; 3–4 and 9–10 June rejected.
    assert (mine.billed_fen, mine.fund_fen, mine.self_pay_fen) == (48_000, 45_000, 3_000)
    assert [(r["code"], r["date"]) for r in mine.rejected] == [
        ("ltc.not_entitled", "2025-06-03"),
        ("ltc.not_entitled", "2025-06-04"),
        ("ltc.not_entitled", "2025-06-09"),
        ("ltc.not_entitled", "2025-06-10"),
    ]


def test_the_month_settles_as_a_background_job_and_a_rerun_replaces_it(
    month_of_care, personas
) -> None:
    """A big region's month runs as a job: the same service as the button, the same figures,
    and a second run before payment replaces the batch."""
    from jingban.jobs import runner
    from jingban.jobs import services as jobs
    from jingban.jobs.models import JobStatus

    wang = personas.user("wang")
    params = {"month": "2025-06", "region": "320500"}
    first = jobs.enqueue(wang, "ltc.settlement.month", params, defer=False)
    runner.execute(first.pk)
    first.refresh_from_db()
    batch = SettlementBatch.objects.get(region=suzhou(), month=JUNE)
    assert first.result["batch"] == batch.pk
    assert (first.result["statements"], first.result["fund"]) == (3, "3,225.00")
    assert batch.run_by == wang and batch.fund_fen + batch.self_pay_fen == 330_000
    second = jobs.enqueue(wang, "ltc.settlement.month", params, defer=False)
    runner.execute(second.pk)
    assert SettlementBatch.objects.filter(region=suzhou(), month=JUNE).count() == 1
    assert Statement.objects.filter(batch__month=JUNE).count() == 3
    # A month written wrong fails the run with the field named, and stores nothing.
    bad = jobs.enqueue(
        wang, "ltc.settlement.month", {"month": "6/2025", "region": "320500"}, defer=False
    )
    with pytest.raises(runner.JobFailed):
        runner.execute(bad.pk)
    bad.refresh_from_db()
    assert bad.status == JobStatus.FAILED
    assert "月份" in bad.error and "2026-03" in bad.error
    # Who may not claim a settlement may not queue its job.
    with pytest.raises(DomainError):
        jobs.enqueue(personas.user("zhou"), "ltc.settlement.month", params, defer=False)
