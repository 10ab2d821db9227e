"""What each user may see of care, starting from scope, and the bridge to settlement.

- A caregiver sees only their own visits (and the plans they visit under);
- an institution's staff only their own beneficiaries (plans, visits, bed-days, stays of persons
  whose plan is with their institution);
- everyone else by region (``core.scope``). Out of scope is 404.

``service_rows(region_path_prefix, month)`` is what the settlement part reads: one query per
table (plans with their entitlements come with the visits and bed-days they join; stays and
memberships are one query each), never a query per row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from fractions import Fraction

from django.db.models import Q, QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.roles import Role
from jingban.core.scope import region_path_filter
from jingban.engine.ltc.settle import HOSPITAL_STAY, ServiceRow, person_category_of
from jingban.ltc import policy
from jingban.ltc.models import (
    BedDay,
    BedDayStatus,
    CarePlan,
    EntitlementEvent,
    EntitlementEventKind,
    HospitalStay,
    Visit,
    VisitStatus,
)
from jingban.registry.models import GroupMembership

# A visit's hours: its minutes between check-in and check-out, rounded DOWN to a quarter hour
# (a started quarter is not paid); the pack caps them at a visit's hours.
QUARTER = 15


def visit_hours(check_in: dt.datetime, check_out: dt.datetime) -> Fraction:
    minutes = int((check_out - check_in).total_seconds() // 60)
    return Fraction(max(minutes, 0) // QUARTER, 60 // QUARTER)


def _institution_filter(user: User, field: str) -> Q:
    return Q(**{f"{field}__organisation_id": user.organisation_id})


def plans_for(user: User) -> QuerySet[CarePlan]:
    plans = CarePlan.objects.select_related("person", "provider__organisation", "entitlement")
    if user.role == Role.CAREGIVER:
        return plans.filter(visits__caregiver__account=user).distinct()
    if user.role == Role.INSTITUTION_STAFF:
        return plans.filter(_institution_filter(user, "provider"))
    return plans.filter(region_path_filter(user))


def plan_for(user: User, pk: int) -> CarePlan:
    plan = plans_for(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    return plan


def visits_for(user: User) -> QuerySet[Visit]:
    visits = Visit.objects.select_related(
        "person", "caregiver", "care_plan", "institution__organisation"
    )
    if user.role == Role.CAREGIVER:
        return visits.filter(caregiver__account=user)
    if user.role == Role.INSTITUTION_STAFF:
        return visits.filter(_institution_filter(user, "institution"))
    return visits.filter(region_path_filter(user))


def visit_for(user: User, pk: int) -> Visit:
    visit = visits_for(user).filter(pk=pk).first()
    if visit is None:
        raise NotFound()
    return visit


def filtered_visits(
    user: User, *, flagged: bool = False, status: str = "", month: str = ""
) -> QuerySet[Visit]:
    visits = visits_for(user)
    if flagged:
        visits = visits.filter(status=VisitStatus.FLAGGED)
    if status in VisitStatus.values:
        visits = visits.filter(status=status)
    if month:
        try:
            first = dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            return visits
        visits = visits.filter(service_date__gte=first, service_date__lte=policy.month_end(first))
    return visits


def today_plans(user: User, day: dt.date) -> QuerySet[CarePlan]:
    """The home-visit plans a caregiver may visit today: with their employer, in force today,
    the benefit active."""
    from jingban.ltc.services_care import caregiver_of

    caregiver = caregiver_of(user)
    if caregiver is None:
        return CarePlan.objects.none()
    return (
        CarePlan.objects.select_related("person", "entitlement", "provider__organisation")
        .filter(
            care_form="home_visit",
            provider__organisation_id=caregiver.employer_id,
            effective_from__lte=day,
            entitlement__start_on__lte=day,
            entitlement__end_on__gte=day,
        )
        .exclude(effective_to__lt=day)
        .order_by("person__name", "pk")
    )


def bed_plans(user: User, day: dt.date) -> QuerySet[CarePlan]:
    """An institution's beneficiaries in its beds on ``day``."""
    from jingban.ltc.services_care import BED_FORMS

    return (
        CarePlan.objects.select_related("person", "entitlement")
        .filter(
            _institution_filter(user, "provider"),
            care_form__in=BED_FORMS,
            effective_from__lte=day,
        )
        .exclude(effective_to__lt=day)
        .order_by("person__name", "pk")
    )


def unreported_today(user: User, day: dt.date) -> QuerySet[CarePlan]:
    reported = BedDay.objects.filter(day=day).values("person_id")
    return bed_plans(user, day).exclude(person_id__in=reported)


def stays_for(user: User) -> QuerySet[HospitalStay]:
    stays = HospitalStay.objects.select_related("person")
    if user.role == Role.INSTITUTION_STAFF:
        mine = CarePlan.objects.filter(_institution_filter(user, "provider")).values("person_id")
        return stays.filter(person_id__in=mine)
    if user.role == Role.CAREGIVER:
        return stays.none()
    return stays.filter(region_path_filter(user))


def bed_days_for(user: User) -> QuerySet[BedDay]:
    days = BedDay.objects.select_related("person")
    if user.role == Role.INSTITUTION_STAFF:
        return days.filter(_institution_filter(user, "institution"))
    return days.filter(region_path_filter(user))


# --- The bridge to settlement -----------------------------------------------------------------


def _benefit_days(plans: list[CarePlan]) -> dict[int, list[tuple[dt.date, str]]]:
    """The suspending and restoring events of the plans' entitlements, by entitlement, in order
    (one query): what ``_in_benefit`` walks."""
    ids = {plan.entitlement_id for plan in plans}
    events: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for ent_id, day, kind in (
        EntitlementEvent.objects.filter(
            entitlement_id__in=ids,
            kind__in=(
                EntitlementEventKind.SUSPENDED,
                EntitlementEventKind.RESUMED,
                EntitlementEventKind.STOPPED,
                EntitlementEventKind.EXPIRED,
            ),
        )
        .order_by("effective_on", "at", "pk")
        .values_list("entitlement_id", "effective_on", "kind")
    ):
        events[ent_id].append((day, kind))
    return events


def _in_benefit(plan: CarePlan, day: dt.date, events: dict[int, list[tuple[dt.date, str]]]) -> bool:
    """Whether ``day`` is a day the plan may be paid: inside the plan's and the entitlement's
    periods, and not after a suspension (until its resumption), a stop or an expiry."""
    ent = plan.entitlement
    if not (ent.start_on <= day <= ent.end_on and plan.effective_from <= day):
        return False
    if plan.effective_to is not None and day > plan.effective_to:
        return False
    paid = True
    for effective_on, kind in events.get(ent.pk, ()):
        if effective_on > day:
            break
        paid = kind == EntitlementEventKind.RESUMED
    return paid


def service_rows(region_path_prefix: str, month: dt.date) -> Iterator[ServiceRow]:
    """The service records of ``month`` (any day of it) for every beneficiary under
    ``region_path_prefix``, as the engine's ``ServiceRow``s:

    - each completed visit (flagged ones too: settlement decides), its hours from check-in to
      check-out (``visit_hours``), care form ``home_visit``;
    - each bed-day in care (1 day, the plan's care form); a reported day in hospital, and each
      day of a hospital stay, as one ``hospital_stay`` row a day (which pays nothing and
      pauses the other forms that day);
    with the entitlement's level and dementia and the person's category (relief when a member
    of a relief-tier special group on that day, ``settle.person_category_of``), and whether the
    day was in benefit (``_in_benefit``: a visit or bed-day outside the entitlement or the plan,
    or while suspended or stopped, is rejected by the engine, so a back-dated record is never
    paid). Five queries whatever the size: visits, bed-days, stays, memberships, entitlement
    events.
    """
    first = month.replace(day=1)
    last = policy.month_end(first)
    visits = list(
        Visit.objects.filter(
            region_path__startswith=region_path_prefix,
            service_date__gte=first,
            service_date__lte=last,
            status__in=(VisitStatus.DONE, VisitStatus.FLAGGED),
            check_out__isnull=False,
        )
        .select_related("care_plan__entitlement")
        .order_by("person_id", "service_date", "check_in", "pk")
    )
    days = list(
        BedDay.objects.filter(
            region_path__startswith=region_path_prefix, day__gte=first, day__lte=last
        )
        .select_related("care_plan__entitlement")
        .order_by("person_id", "day", "pk")
    )
    stays = list(
        HospitalStay.objects.filter(
            region_path__startswith=region_path_prefix, admitted_on__lte=last
        )
        .exclude(discharged_on__lt=first)
        .values_list("person_id", "admitted_on", "discharged_on", "pk")
    )
    persons = {v.person_id for v in visits} | {d.person_id for d in days}
    persons |= {s[0] for s in stays}
    groups: dict[int, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
    for person_id, code, start, end in (
        GroupMembership.objects.filter(person_id__in=persons, valid_from__lte=last)
        .exclude(valid_to__lt=first)
        .values_list("person_id", "group__code", "valid_from", "valid_to")
    ):
        groups[person_id].append((code, start, end))

    def category(person_id: int, day: dt.date) -> str:
        codes = [c for c, s, e in groups.get(person_id, ()) if s <= day and (e is None or day <= e)]
        return person_category_of(codes)

    events = _benefit_days([v.care_plan for v in visits] + [d.care_plan for d in days])
    # The entitlement a person's hospital days are read with: their latest plan's this month.
    latest: dict[int, CarePlan] = {}
    hospital: set[tuple[int, dt.date]] = set()
    rows: list[ServiceRow] = []
    for visit in visits:
        plan = visit.care_plan
        latest[visit.person_id] = plan
        assert visit.check_out is not None
        rows.append(
            ServiceRow(
                person_id=str(visit.person_id),
                disability_level=plan.entitlement.level,
                person_category=category(visit.person_id, visit.service_date),
                care_form=plan.care_form,
                hospital_level=None,
                service_date=visit.service_date,
                hours=visit_hours(visit.check_in, visit.check_out),
                caregiver_id=str(visit.caregiver_id),
                institution_id=str(visit.institution_id or ""),
                check_in=visit.check_in,
                check_out=visit.check_out,
                lat=float(visit.in_lat) if visit.in_lat is not None else None,
                lon=float(visit.in_lon) if visit.in_lon is not None else None,
                dementia=plan.entitlement.dementia,
                ref=f"visit:{visit.pk}",
                entitled=_in_benefit(plan, visit.service_date, events),
            )
        )
    for bed in days:
        plan = bed.care_plan
        latest[bed.person_id] = plan
        if bed.status == BedDayStatus.HOSPITAL:
            hospital.add((bed.person_id, bed.day))
            continue
        if bed.status != BedDayStatus.PRESENT:
            continue
        rows.append(
            ServiceRow(
                person_id=str(bed.person_id),
                disability_level=plan.entitlement.level,
                person_category=category(bed.person_id, bed.day),
                care_form=plan.care_form,
                hospital_level=None,
                service_date=bed.day,
                hours=Fraction(1),
                caregiver_id="",
                institution_id=str(bed.institution_id),
                check_in=None,
                check_out=None,
                lat=None,
                lon=None,
                dementia=plan.entitlement.dementia,
                ref=f"bed_day:{bed.pk}",
                entitled=_in_benefit(plan, bed.day, events),
            )
        )
    for person_id, admitted, discharged, _pk in stays:
        day = max(admitted, first)
        end = min(discharged or last, last)
        while day <= end:
            hospital.add((person_id, day))
            day += dt.timedelta(days=1)
    for person_id, day in sorted(hospital):
        plan_or_none = latest.get(person_id)
        if plan_or_none is None:
            continue  # a stay of someone with no service this month changes nothing
        rows.append(
            ServiceRow(
                person_id=str(person_id),
                disability_level=plan_or_none.entitlement.level,
                person_category=category(person_id, day),
                care_form=HOSPITAL_STAY,
                hospital_level=None,
                service_date=day,
                hours=Fraction(0),
                caregiver_id="",
                institution_id=str(plan_or_none.provider_id or ""),
                check_in=None,
                check_out=None,
                lat=None,
                lon=None,
                dementia=plan_or_none.entitlement.dementia,
                ref=f"hospital:{person_id}:{day.isoformat()}",
            )
        )
    rows.sort(key=lambda r: (int(r.person_id), r.service_date, r.ref))
    yield from rows


def visit_region(user: User, object_id: str) -> str | None:
    """For the files app: a visit's region path when the user may see the visit."""
    if not object_id.isdigit():
        return None
    return visits_for(user).filter(pk=int(object_id)).values_list("region_path", flat=True).first()
