"""The care part of the long-term care demo world: two Suzhou persons in benefit (their
entitlements are made here when the decision part's demo made none), one cared for at home by
康宁护理院 (zhou's employer) and one in its beds; last month's visits by zhou (one flagged: too
far from the home) and bed-days, with a hospital stay of three days. Today is left to do: zhou
has a visit to check in to, and kangning a day to report. Idempotent: nothing is added when the
demo's plans exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from jingban.core.models import User

if TYPE_CHECKING:
    from jingban.ltc.models import Entitlement

HOME = (Decimal("31.259000"), Decimal("120.519000"))


def _entitlements(admin: User) -> list[Entitlement]:
    from jingban.ltc import numbers
    from jingban.ltc.models import Case, Entitlement, EntitlementStatus
    from jingban.registry.models import Person

    today = timezone.localdate()
    found = list(
        Entitlement.objects.filter(
            region_path__contains="320500/",
            status=EntitlementStatus.ACTIVE,
            start_on__lte=today - dt.timedelta(days=62),
            end_on__gte=today,
            care_plans__isnull=True,
        ).select_related("person")[:2]
    )
    if len(found) == 2:
        return found
    taken = {e.person_id for e in found}
    persons = [
        p
        for p in Person.objects.filter(
            region__path__contains="320500/", account__isnull=True, death_date__isnull=True
        )
        .select_related("region")
        .order_by("pk")[1:6]  # the first is the tests' plain in-scope person: left alone
        if p.pk not in taken
    ][: 2 - len(found)]
    start = (today.replace(day=1) - dt.timedelta(days=40)).replace(day=1)
    for person in persons:
        received_on = start - dt.timedelta(days=45)
        with transaction.atomic():
            case = Case.objects.create(
                number=numbers.next_number(received_on),
                person=person,
                region=person.region,
                region_path=person.region.path,
                channel="counter",
                status="decided",
                received_on=received_on,
                created_by=admin,
            )
            found.append(
                Entitlement.objects.create(
                    person=person,
                    case=case,
                    region_path=person.region.path,
                    level=4,
                    severity="severe",
                    start_on=start,
                    end_on=start + dt.timedelta(days=730),
                )
            )
    return found


def build(admin: User, users: Mapping[str, User]) -> None:
    """Add the part's few demo rows (idempotent)."""
    from jingban.ltc.models import BedDay, CarePlan, HospitalStay, Visit, VisitStatus
    from jingban.ltc.policy import ltc_rules
    from jingban.providers.models import Institution
    from jingban.workforce.models import Caregiver

    kangning = Institution.objects.filter(organisation__code="SZ-CARE-KN").first()
    zhou = Caregiver.objects.filter(account=users.get("zhou")).first() if "zhou" in users else None
    if kangning is None or zhou is None:
        return
    if CarePlan.objects.filter(provider=kangning, created_by=admin).exists():
        return
    entitlements = _entitlements(admin)
    if len(entitlements) < 2:
        return
    home_ent, bed_ent = entitlements[0], entitlements[1]
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month
    start = max(first, home_ent.start_on, bed_ent.start_on)
    rules = ltc_rules(home_ent.region_path, start)
    visits_quota, hours = 15, Decimal(2)
    if rules is not None and "home_visit" in rules.care_forms:
        rule = rules.care_forms["home_visit"]  # type: ignore[index]
        severity = rules.paid_severity(home_ent.level, dementia=home_ent.dementia)
        if severity is not None:
            visits_quota = (rule.visits_per_month or {}).get(severity, visits_quota)
        hours = Decimal(rule.hours_per_visit or 2)
    home_plan, bed_plan = CarePlan.objects.bulk_create(
        [
            CarePlan(
                entitlement=home_ent,
                person_id=home_ent.person_id,
                region_path=home_ent.region_path,
                care_form="home_visit",
                provider=kangning,
                monthly_visits=visits_quota,
                hours_per_visit=hours,
                home_lat=HOME[0],
                home_lon=HOME[1],
                effective_from=start,
                created_by=admin,
            ),
            CarePlan(
                entitlement=bed_ent,
                person_id=bed_ent.person_id,
                region_path=bed_ent.region_path,
                care_form="institution",
                provider=kangning,
                effective_from=start,
                created_by=admin,
            ),
        ]
    )
    tz = timezone.get_current_timezone()
    visits = []
    for n, day_no in enumerate(range(2, 29, 3)):
        day = first.replace(day=day_no)
        if day < start or day >= today:
            continue
        check_in = dt.datetime.combine(day, dt.time(9, 0), tzinfo=tz)
        flagged = n == 3
        visits.append(
            Visit(
                care_plan=home_plan,
                person_id=home_plan.person_id,
                caregiver=zhou,
                institution=kangning,
                region_path=home_plan.region_path,
                service_date=day,
                check_in=check_in,
                check_out=check_in + dt.timedelta(minutes=115),
                in_lat=HOME[0] + (Decimal("0.012") if flagged else Decimal("0.0003")),
                in_lon=HOME[1],
                out_lat=HOME[0],
                out_lon=HOME[1],
                distance_m=1335 if flagged else 33,
                items=["hygiene", "feeding", "skin"],
                status=VisitStatus.FLAGGED if flagged else VisitStatus.DONE,
                flags=["distance"] if flagged else [],
                reason="老人在社区卫生服务中心复诊，陪同前往" if flagged else "",
            )
        )
    Visit.objects.bulk_create(visits)
    stay_from, stay_to = first.replace(day=10), first.replace(day=12)
    HospitalStay.objects.bulk_create(
        [
            HospitalStay(
                person_id=bed_plan.person_id,
                region_path=bed_plan.region_path,
                admitted_on=stay_from,
                discharged_on=stay_to,
                recorded_by=users.get("kangning"),
            )
        ]
    )
    days = []
    day = start
    while day < today:
        status = "hospital" if stay_from <= day <= stay_to else "present"
        days.append(
            BedDay(
                care_plan=bed_plan,
                person_id=bed_plan.person_id,
                institution=kangning,
                region_path=bed_plan.region_path,
                day=day,
                status=status,
                reported_by=users.get("kangning"),
            )
        )
        day += dt.timedelta(days=1)
    BedDay.objects.bulk_create(days)
