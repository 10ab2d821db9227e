"""The settlement part of the long-term care demo world: Suzhou's last month settled and paid by
four different people (wang claims, sun reviews first, qian reviews second, admin pays), and
this month settled and claimed, waiting for sun's first review.

The months settle the care part's demo records; when there are none (the care part added
nothing), a few are made here: one person in 康宁护理院's beds and one cared for at home by its
caregiver, last month and this month up to yesterday. Idempotent: nothing is added when Suzhou's
last month has a batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.utils import timezone

from jingban.core.models import User


def _previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The days from ``start`` to ``end``, both included."""
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def _records(last_month: dt.date, today: dt.date) -> None:
    """A bed-day person and a home-care person of 康宁护理院, last month and this month."""
    from jingban.ltc.models import (
        BedDay,
        BedDayStatus,
        CarePlan,
        Case,
        Entitlement,
        Visit,
        VisitStatus,
    )
    from jingban.providers.models import Institution
    from jingban.registry.models import Person
    from jingban.workforce.models import Caregiver

    institution = Institution.objects.filter(organisation__code="SZ-CARE-KN").first()
    caregiver = Caregiver.objects.filter(employer__code="SZ-CARE-KN").order_by("pk").first()
    persons = list(
        Person.objects.filter(
            region__path__contains="320500/",
            account__isnull=True,
            death_date__isnull=True,
            ltc_entitlements__isnull=True,
        )
        .select_related("region")
        .order_by("-pk")[:2]
    )
    if institution is None or caregiver is None or len(persons) < 2:
        return
    plans = []
    for person, form in zip(persons, ("institution", "home_visit"), strict=True):
        case = Case.objects.create(
            number=f"JS{person.pk:08d}",
            person=person,
            region=person.region,
            region_path=person.region.path,
            channel="window",
            status="decided",
            received_on=last_month - dt.timedelta(days=60),
        )
        entitlement = Entitlement.objects.create(
            person=person,
            case=case,
            region_path=person.region.path,
            level=4,
            severity="severe",
            start_on=last_month - dt.timedelta(days=30),
            end_on=last_month + dt.timedelta(days=700),
        )
        plans.append(
            CarePlan.objects.create(
                entitlement=entitlement,
                person=person,
                region_path=person.region.path,
                care_form=form,
                provider=institution,
                effective_from=entitlement.start_on,
            )
        )
    beds, home = plans
    yesterday = today - dt.timedelta(days=1)
    this_month = today.replace(day=1)
    BedDay.objects.bulk_create(
        BedDay(
            care_plan=beds,
            person=beds.person,
            institution=institution,
            region_path=beds.region_path,
            day=day,
            status=BedDayStatus.PRESENT,
        )
        for day in _days(last_month, yesterday)
    )
    visit_days = [d for d in _days(last_month, yesterday) if d.weekday() in (0, 3)]
    if this_month > yesterday:
        visit_days = [d for d in visit_days if d < this_month]
    Visit.objects.bulk_create(
        Visit(
            care_plan=home,
            person=home.person,
            caregiver=caregiver,
            institution=institution,
            region_path=home.region_path,
            service_date=day,
            check_in=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
            check_out=timezone.make_aware(dt.datetime.combine(day, dt.time(11))),
            in_lat=Decimal("31.875000"),
            in_lon=Decimal("120.556000"),
            status=VisitStatus.DONE,
        )
        for day in visit_days
    )


def build(admin: User, users: Mapping[str, User]) -> None:
    """Add the part's few demo rows (idempotent)."""
    from jingban.core.calendar import today as local_today
    from jingban.core.models import Region
    from jingban.ltc import services_settlement
    from jingban.ltc.models import BatchStage, BedDay, SettlementBatch, Visit

    suzhou = Region.objects.filter(code="320500").first()
    needed = ("wang", "sun", "qian")
    if suzhou is None or any(name not in users for name in needed):
        return
    today = local_today()
    this_month = today.replace(day=1)
    last_month = _previous_month(this_month)
    if SettlementBatch.objects.filter(region=suzhou, month=last_month).exists():
        return
    recorded = (
        Visit.objects.filter(
            region_path__startswith=suzhou.path, service_date__gte=last_month
        ).exists()
        or BedDay.objects.filter(region_path__startswith=suzhou.path, day__gte=last_month).exists()
    )
    if not recorded:
        _records(last_month, today)
    paid = services_settlement.run_month(suzhou, last_month, by=users["wang"], today=today)
    for stage, account in (
        (BatchStage.CLAIMED, users["wang"]),
        (BatchStage.FIRST_REVIEWED, users["sun"]),
        (BatchStage.SECOND_REVIEWED, users["qian"]),
        (BatchStage.PAID, admin),
    ):
        paid = services_settlement.advance(paid, stage, by=account, confirm=True)
    current = services_settlement.run_month(suzhou, this_month, by=users["wang"], today=today)
    services_settlement.advance(current, BatchStage.CLAIMED, by=users["wang"])
