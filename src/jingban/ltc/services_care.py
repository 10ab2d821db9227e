"""Care: care plans (护理计划), caregivers' visits checked in and out, institutions' bed-days and
hospital stays. Every change is one transaction and one logged action; a refusal stores nothing
and names the field.

Decisions written down here (and in docs/ltc-care.md):
- The LTC care forms map to the providers' designation care forms in ONE place
  (``PROVIDER_FORM``): institution and short-term respite → institutional, home visits → home,
  medical ward → inpatient. Family-caregiver and self-arranged care need no institution; when
  one is named (the home-care provider that trains or checks on the family), it must be
  designated for home care.
- A caregiver sees and records only their own visits, for persons whose current plan is with
  their employer (the plan's provider is that organisation's institution).
- The plan's home coordinates are entered by the operator, or taken from the first visit's
  check-in when empty (``home_from_visit`` says so on the plan). There is no geocoder.
- The check-in checks read ``LtcRules.check_in`` of the pack in force for the plan's region
  and the day; ``on_failure``: ``flag`` accepts with flags, ``reason`` asks for a reason and
  accepts with flags, ``refuse`` refuses with nothing stored. A visit without a location where
  the pack requires one is refused whatever ``on_failure`` says (there is nothing to check).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.errors import DomainError, Message, ValidationFailed
from jingban.core.models import User
from jingban.core.permissions import require_capability
from jingban.engine.policy.families.ltc import CheckFailure, CheckIn, LtcRules, RuleKind
from jingban.ltc import policy
from jingban.ltc.models import (
    BedDay,
    BedDayStatus,
    CareFormCode,
    CarePlan,
    Entitlement,
    EntitlementStatus,
    HospitalStay,
    StaySource,
    Visit,
    VisitStatus,
)
from jingban.providers.models import CareForm, Institution
from jingban.providers.serving import may_serve_reasoned
from jingban.registry.models import Person
from jingban.workforce.models import Caregiver

PLAN_VIEW = "ltc.care_plan.view"
PLAN_EDIT = "ltc.care_plan.edit"
VISIT_RECORD = "ltc.visit.record"
VISIT_VIEW = "ltc.visit.view"
BEDDAY_REPORT = "ltc.bedday.report"

PLAN_OBJECT = "ltc.care_plan"
VISIT_OBJECT = "ltc.visit"
BEDDAY_OBJECT = "ltc.bed_day"
STAY_OBJECT = "ltc.hospital_stay"


# The one place LTC care forms meet the providers' designations.
PROVIDER_FORM: Mapping[str, str] = {
    CareFormCode.INSTITUTION: CareForm.INSTITUTIONAL,
    CareFormCode.SHORT_TERM_RESPITE: CareForm.INSTITUTIONAL,
    CareFormCode.HOME_VISIT: CareForm.HOME,
    CareFormCode.MEDICAL_WARD: CareForm.INPATIENT,
    CareFormCode.FAMILY_CAREGIVER: CareForm.HOME,
    CareFormCode.SELF_ARRANGED: CareForm.HOME,
}
# Forms served by an institution (a provider is required).
NEEDS_PROVIDER = frozenset(
    {
        CareFormCode.INSTITUTION,
        CareFormCode.SHORT_TERM_RESPITE,
        CareFormCode.HOME_VISIT,
        CareFormCode.MEDICAL_WARD,
    }
)
# Forms whose days an institution reports as bed-days.
BED_FORMS = frozenset(
    {CareFormCode.INSTITUTION, CareFormCode.SHORT_TERM_RESPITE, CareFormCode.MEDICAL_WARD}
)

# Service items a caregiver ticks at check-out (a sample list: the packs give none yet).
SERVICE_ITEMS: tuple[tuple[str, Message], ...] = (
    ("hygiene", _("Personal hygiene")),
    ("bathing", _("Bathing")),
    ("feeding", _("Help with eating")),
    ("toileting", _("Help with the toilet")),
    ("transfer", _("Moving and turning")),
    ("skin", _("Skin and pressure-sore care")),
    ("medication", _("Medication reminder")),
    ("exercise", _("Exercise and rehabilitation")),
)
ITEM_CODES = frozenset(code for code, _label in SERVICE_ITEMS)

FLAG_LABELS: Mapping[str, Message] = {
    "distance": _("Too far from the home"),
    "minutes": _("Shorter than the shortest service"),
    "photo": _("No photo"),
}


def _invalid(field: str, message: Message) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


# --- The pack ---------------------------------------------------------------------------------


def _rules(region_path: str, day: dt.date, field: str) -> LtcRules:
    rules = policy.ltc_rules(region_path, day)
    if rules is None:
        raise _invalid(field, _("No long-term care rules are in force for this region and day."))
    return rules


# --- Care plans -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInput:
    care_form: str
    provider: Institution | None
    effective_from: dt.date
    home_lat: Decimal | None = None
    home_lon: Decimal | None = None


def _check_plan(entitlement: Entitlement, data: PlanInput) -> tuple[int | None, Decimal | None]:
    """Refuse a plan the entitlement, the pack or the provider does not allow; answer the
    month's quota (visits, hours a visit) the pack gives."""
    if entitlement.status != EntitlementStatus.ACTIVE:
        raise _invalid(
            "entitlement",
            _("The benefit is %(status)s: no care plan can start.")
            % {"status": entitlement.get_status_display()},
        )
    if not entitlement.start_on <= data.effective_from <= entitlement.end_on:
        raise _invalid(
            "effective_from",
            _("The day must fall within the benefit's period, %(start)s to %(end)s.")
            % {"start": entitlement.start_on, "end": entitlement.end_on},
        )
    if data.care_form not in CareFormCode.values:
        raise _invalid("care_form", _("Choose a care form."))
    rules = _rules(entitlement.region_path, data.effective_from, "care_form")
    rule = rules.care_forms.get(data.care_form)  # type: ignore[call-overload]
    if rule is None:
        raise _invalid("care_form", _("The region's rules do not pay this care form."))
    if data.care_form in NEEDS_PROVIDER and data.provider is None:
        raise _invalid("provider", _("This care form needs a designated provider."))
    if data.provider is not None:
        answer = may_serve_reasoned(
            data.provider, policy.SCHEME, PROVIDER_FORM[data.care_form], data.effective_from
        )
        if not answer:
            raise _invalid(
                "provider",
                _("This provider may not serve this care form on that day: %(reason)s")
                % {"reason": answer.reason},
            )
    if (data.home_lat is None) != (data.home_lon is None):
        raise _invalid("home_lat", _("Give both the latitude and the longitude, or neither."))
    if data.home_lat is not None and not -90 <= data.home_lat <= 90:
        raise _invalid("home_lat", _("A latitude lies between -90 and 90."))
    if data.home_lon is not None and not -180 <= data.home_lon <= 180:
        raise _invalid("home_lon", _("A longitude lies between -180 and 180."))
    if rule.kind != RuleKind.HOURLY_VISITS:
        return None, None
    severity = rules.paid_severity(entitlement.level, dementia=entitlement.dementia)
    visits = (rule.visits_per_month or {}).get(severity) if severity else None
    hours = Decimal(rule.hours_per_visit) if rule.hours_per_visit else None
    return visits, hours


def _new_plan(
    entitlement: Entitlement,
    data: PlanInput,
    quota: tuple[int | None, Decimal | None],
    user: User | None,
) -> CarePlan:
    return CarePlan.objects.create(
        entitlement=entitlement,
        person_id=entitlement.person_id,
        region_path=entitlement.region_path,
        care_form=data.care_form,
        provider=data.provider,
        monthly_visits=quota[0],
        hours_per_visit=quota[1],
        home_lat=data.home_lat,
        home_lon=data.home_lon,
        effective_from=data.effective_from,
        created_by=user,
    )


def _plan_after(plan: CarePlan) -> dict[str, object]:
    return {
        "care_form": plan.care_form,
        "provider": plan.provider_id,
        "effective_from": plan.effective_from.isoformat(),
        "monthly_visits": plan.monthly_visits,
        "hours_per_visit": str(plan.hours_per_visit) if plan.hours_per_visit else None,
    }


def create_plan(entitlement: Entitlement, data: PlanInput, *, acting_user: User | None) -> CarePlan:
    """Open the entitlement's care plan (``ltc.care_plan.created``). Refused while another plan
    of the entitlement is open on that day (change it instead)."""
    require_capability(acting_user, PLAN_EDIT)
    quota = _check_plan(entitlement, data)
    with transaction.atomic():
        Entitlement.objects.select_for_update().get(pk=entitlement.pk)
        clash = CarePlan.objects.filter(entitlement=entitlement).exclude(
            effective_to__lt=data.effective_from
        )
        if clash.exists():
            raise _invalid(
                "effective_from",
                _("The benefit already has a care plan on this day: change that plan instead."),
            )
        plan = _new_plan(entitlement, data, quota, acting_user)
        log_action(
            acting_user=acting_user,
            action="ltc.care_plan.created",
            object_type=PLAN_OBJECT,
            object_id=plan.pk,
            region_path=plan.region_path,
            after=_plan_after(plan),
        )
    return plan


def change_plan(plan: CarePlan, data: PlanInput, *, acting_user: User | None) -> CarePlan:
    """Change the provider or the care form from ``data.effective_from``: the plan ends the day
    before and a new one opens (``ltc.care_plan.changed``). The home's coordinates carry over
    unless new ones are given."""
    require_capability(acting_user, PLAN_EDIT)
    if plan.effective_to is not None and plan.effective_to < data.effective_from:
        raise _invalid("effective_from", _("This plan has ended before that day."))
    if data.effective_from <= plan.effective_from:
        raise _invalid(
            "effective_from",
            _("A change takes effect after the plan's start, %(day)s.")
            % {"day": plan.effective_from},
        )
    if data.care_form == plan.care_form and data.provider == plan.provider:
        raise _invalid("care_form", _("Change the care form or the provider."))
    if data.home_lat is None and data.home_lon is None:
        data = PlanInput(
            data.care_form, data.provider, data.effective_from, plan.home_lat, plan.home_lon
        )
    entitlement = plan.entitlement
    quota = _check_plan(entitlement, data)
    with transaction.atomic():
        locked = CarePlan.objects.select_for_update().get(pk=plan.pk)
        if Visit.objects.filter(care_plan=locked, service_date__gte=data.effective_from).exists():
            raise _invalid(
                "effective_from",
                _("Visits are already recorded under this plan on or after that day."),
            )
        before = {"effective_to": locked.effective_to.isoformat() if locked.effective_to else None}
        locked.effective_to = data.effective_from - dt.timedelta(days=1)
        locked.save(update_fields=["effective_to"])
        new = _new_plan(entitlement, data, quota, acting_user)
        new.home_from_visit = plan.home_from_visit and new.home_lat == plan.home_lat
        new.save(update_fields=["home_from_visit"])
        log_action(
            acting_user=acting_user,
            action="ltc.care_plan.changed",
            object_type=PLAN_OBJECT,
            object_id=locked.pk,
            region_path=locked.region_path,
            before={**before, **_plan_after(locked)},
            after={
                "effective_to": locked.effective_to.isoformat(),
                "new_plan": new.pk,
                **_plan_after(new),
            },
        )
    return new


# --- Visits -----------------------------------------------------------------------------------


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle (haversine) distance in metres, on a sphere of the Earth's mean radius."""
    radius = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(min(1.0, math.sqrt(a)))


def caregiver_of(user: User) -> Caregiver | None:
    return Caregiver.objects.filter(account=user).select_related("employer").first()


def _check_visit_allowed(plan: CarePlan, caregiver: Caregiver, day: dt.date) -> None:
    entitlement = plan.entitlement
    if entitlement.status != EntitlementStatus.ACTIVE:
        raise _invalid(
            "person",
            _("The person's benefit is %(status)s: no visit can be recorded.")
            % {"status": entitlement.get_status_display()},
        )
    if (
        not entitlement.start_on <= day <= entitlement.end_on
        or day < plan.effective_from
        or (plan.effective_to is not None and day > plan.effective_to)
    ):
        raise _invalid("service_date", _("The day is outside the care plan's period."))
    if plan.care_form != CareFormCode.HOME_VISIT:
        raise _invalid("care_plan", _("This care plan is not for home visits."))
    if plan.provider is None or plan.provider.organisation_id != caregiver.employer_id:
        raise _invalid("care_plan", _("This care plan is with another provider."))


def _failed(check: CheckIn, flags: list[str], reason: str, field: str) -> None:
    """Apply ``on_failure`` to the failed checks: refuse (nothing stored), or ask for a reason."""
    if not flags:
        return
    labels = "、".join(str(FLAG_LABELS[f]) for f in flags)
    if check.on_failure == CheckFailure.REFUSE:
        raise _invalid(field, _("The check failed: %(checks)s.") % {"checks": labels})
    if check.on_failure == CheckFailure.REASON and not reason.strip():
        raise _invalid(
            "reason",
            _("The check failed (%(checks)s): give the reason to go on.") % {"checks": labels},
        )


def _location(lat: Decimal | None, lon: Decimal | None, check: CheckIn) -> None:
    if (lat is None) != (lon is None):
        raise _invalid("location", _("The location is incomplete."))
    if lat is None and check.location_required:
        raise _invalid(
            "location",
            _("The location is required: allow the browser to share it and try again."),
        )
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _invalid("location", _("The location is not valid."))


def check_in(
    plan: CarePlan,
    *,
    acting_user: User,
    lat: Decimal | None,
    lon: Decimal | None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Visit:
    """A caregiver arrives (``ltc.visit.checked_in``): the visit opens with the time and place;
    the distance from the plan's home is checked against the pack."""
    require_capability(acting_user, VISIT_RECORD)
    caregiver = caregiver_of(acting_user)
    if caregiver is None:
        raise _invalid("caregiver", _("Your account is not a caregiver's."))
    at = at or timezone.now()
    day = timezone.localdate(at)
    _check_visit_allowed(plan, caregiver, day)
    check = _rules(plan.region_path, day, "service_date").check_in
    _location(lat, lon, check)
    flags: list[str] = []
    distance: int | None = None
    with transaction.atomic():
        locked = CarePlan.objects.select_for_update().get(pk=plan.pk)
        if Visit.objects.filter(caregiver=caregiver, status=VisitStatus.OPEN).exists():
            raise _invalid("care_plan", _("Check out of your open visit first."))
        if lat is not None and lon is not None and locked.home_lat is not None:
            distance = round(
                distance_m(
                    float(lat), float(lon), float(locked.home_lat), float(locked.home_lon or 0)
                )
            )
            if distance > check.max_distance_m:
                flags.append("distance")
        _failed(check, flags, reason, "location")
        if lat is not None and locked.home_lat is None:
            locked.home_lat, locked.home_lon, locked.home_from_visit = lat, lon, True
            locked.save(update_fields=["home_lat", "home_lon", "home_from_visit"])
            distance = 0
        visit = Visit.objects.create(
            care_plan=locked,
            person_id=locked.person_id,
            caregiver=caregiver,
            institution=locked.provider,
            region_path=locked.region_path,
            service_date=day,
            check_in=at,
            in_lat=lat,
            in_lon=lon,
            distance_m=distance,
            flags=flags,
            reason=reason.strip() if flags else "",
        )
        log_action(
            acting_user=acting_user,
            action="ltc.visit.checked_in",
            object_type=VISIT_OBJECT,
            object_id=visit.pk,
            region_path=visit.region_path,
            after={"distance_m": distance, "flags": flags, "located": lat is not None},
        )
    return visit


def check_out(
    visit: Visit,
    *,
    acting_user: User,
    lat: Decimal | None,
    lon: Decimal | None,
    items: Iterable[str] = (),
    photo: UploadedFile | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Visit:
    """The caregiver leaves (``ltc.visit.checked_out``): the minutes and the photo are checked;
    the visit is completed, or completed with its flags kept for audit."""
    require_capability(acting_user, VISIT_RECORD)
    caregiver = caregiver_of(acting_user)
    if caregiver is None or visit.caregiver_id != caregiver.pk:
        raise _invalid("caregiver", _("This is not your visit."))
    if visit.status != VisitStatus.OPEN:
        raise _invalid("check_out", _("Check in first: this visit is not open."))
    at = at or timezone.now()
    if at <= visit.check_in:
        raise _invalid("check_out", _("The check-out must come after the check-in."))
    chosen = list(dict.fromkeys(items))
    unknown = [code for code in chosen if code not in ITEM_CODES]
    if unknown:
        raise _invalid("items", _("Choose service items from the list."))
    plan = visit.care_plan
    check = _rules(plan.region_path, visit.service_date, "check_out").check_in
    _location(lat, lon, check)
    flags = list(visit.flags)
    new_flags: list[str] = []
    minutes = (at - visit.check_in).total_seconds() / 60
    if minutes < check.min_minutes:
        new_flags.append("minutes")
    if check.photo_required and photo is None:
        new_flags.append("photo")
    _failed(check, new_flags, reason, "check_out" if "minutes" in new_flags else "photo")
    flags.extend(f for f in new_flags if f not in flags)
    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if locked.status != VisitStatus.OPEN:
            raise _invalid("check_out", _("Check in first: this visit is not open."))
        locked.check_out = at
        locked.out_lat, locked.out_lon = lat, lon
        locked.items = chosen
        locked.flags = flags
        if new_flags and reason.strip():
            locked.reason = "\n".join(r for r in (locked.reason, reason.strip()) if r)
        locked.status = VisitStatus.FLAGGED if flags else VisitStatus.DONE
        locked.save()
        if photo is not None:
            from jingban.files.services import attach_file

            attach_file(VISIT_OBJECT, str(locked.pk), photo, acting_user=acting_user)
        log_action(
            acting_user=acting_user,
            action="ltc.visit.checked_out",
            object_type=VISIT_OBJECT,
            object_id=locked.pk,
            region_path=locked.region_path,
            after={
                "status": locked.status,
                "minutes": int(minutes),
                "flags": flags,
                "items": chosen,
                "photo": photo is not None,
            },
        )
    return locked


# --- Bed-days and hospital stays -------------------------------------------------------------


def institution_of(user: User) -> Institution | None:
    if user.organisation_id is None:
        return None
    return Institution.objects.filter(organisation_id=user.organisation_id).first()


def _stay_days(
    person_ids: Iterable[int], first: dt.date, last: dt.date
) -> set[tuple[int, dt.date]]:
    """(person, day) pairs in hospital between ``first`` and ``last`` (one query)."""
    days: set[tuple[int, dt.date]] = set()
    stays = HospitalStay.objects.filter(
        person_id__in=list(person_ids), admitted_on__lte=last
    ).exclude(discharged_on__lt=first)
    for person_id, admitted, discharged in stays.values_list(
        "person_id", "admitted_on", "discharged_on"
    ):
        day = max(admitted, first)
        end = min(discharged or last, last)
        while day <= end:
            days.add((person_id, day))
            day += dt.timedelta(days=1)
    return days


def report_bed_days(
    day: dt.date,
    statuses: Mapping[int, str],
    *,
    acting_user: User,
    notes: Mapping[int, str] | None = None,
) -> list[BedDay]:
    """An institution reports the day for its own beneficiaries (person id → present / absent /
    hospital; ``ltc.bed_day.reported``). A day in a recorded hospital stay is ``hospital``
    whatever is reported. Refused for a person without a bed plan with this institution that
    day, a future day or an unknown status; all rows or none."""
    require_capability(acting_user, BEDDAY_REPORT)
    institution = institution_of(acting_user)
    if institution is None:
        raise _invalid("institution", _("Your account is not an institution's."))
    if day > timezone.localdate():
        raise _invalid("day", _("A day can be reported once it has come."))
    if not statuses:
        raise _invalid("day", _("Mark at least one person."))
    for status in statuses.values():
        if status not in BedDayStatus.values:
            raise _invalid("status", _("Choose in care, absent or in hospital."))
    plans = {
        plan.person_id: plan
        for plan in CarePlan.objects.filter(
            provider=institution,
            care_form__in=BED_FORMS,
            person_id__in=list(statuses),
            effective_from__lte=day,
        ).exclude(effective_to__lt=day)
    }
    missing = [pk for pk in statuses if pk not in plans]
    if missing:
        raise _invalid("person", _("A person is not in your care on this day."))
    in_hospital = _stay_days(statuses, day, day)
    rows: list[BedDay] = []
    with transaction.atomic():
        for person_id, status in statuses.items():
            plan = plans[person_id]
            final = BedDayStatus.HOSPITAL if (person_id, day) in in_hospital else status
            row, _created = BedDay.objects.update_or_create(
                person_id=person_id,
                day=day,
                defaults={
                    "care_plan": plan,
                    "institution": institution,
                    "region_path": plan.region_path,
                    "status": final,
                    "note": (notes or {}).get(person_id, "")[:200],
                    "reported_by": acting_user,
                },
            )
            rows.append(row)
        log_action(
            acting_user=acting_user,
            action="ltc.bed_day.reported",
            object_type=BEDDAY_OBJECT,
            object_id=f"{institution.pk}:{day.isoformat()}",
            region_path=institution.organisation.region.path,
            after={
                "day": day.isoformat(),
                "count": len(rows),
                "present": sum(r.status == BedDayStatus.PRESENT for r in rows),
            },
        )
    return rows


def _check_stay(admitted: dt.date | None, discharged: dt.date | None) -> list[tuple[str, Message]]:
    problems: list[tuple[str, Message]] = []
    if admitted is None:
        problems.append(("admitted_on", _("Give the day of admission.")))
    elif admitted > timezone.localdate():
        problems.append(("admitted_on", _("The admission cannot be in the future.")))
    if admitted and discharged and discharged < admitted:
        problems.append(("discharged_on", _("The discharge cannot come before the admission.")))
    return problems


def _own_person(institution: Institution, person: Person, day: dt.date) -> bool:
    return (
        CarePlan.objects.filter(provider=institution, person=person, effective_from__lte=day)
        .exclude(effective_to__lt=day)
        .exists()
    )


def record_stay(
    person: Person,
    admitted_on: dt.date,
    discharged_on: dt.date | None,
    *,
    acting_user: User,
    source: str = StaySource.RECORDED,
) -> HospitalStay:
    """A beneficiary's hospital stay (``ltc.hospital_stay.recorded``): the institution's own
    beneficiaries only; the bed-days it covers become ``hospital``."""
    require_capability(acting_user, BEDDAY_REPORT)
    institution = institution_of(acting_user)
    if institution is None:
        raise _invalid("institution", _("Your account is not an institution's."))
    problems = _check_stay(admitted_on, discharged_on)
    if problems:
        raise ValidationFailed(fields={f: [m] for f, m in problems})
    if not _own_person(institution, person, admitted_on):
        raise _invalid("person", _("The person is not in your care on the day of admission."))
    with transaction.atomic():
        return _store_stay(person, admitted_on, discharged_on, acting_user, source)


def _store_stay(
    person: Person, admitted: dt.date, discharged: dt.date | None, user: User, source: str
) -> HospitalStay:
    overlap = HospitalStay.objects.filter(
        person=person, admitted_on__lte=discharged or dt.date.max
    ).exclude(discharged_on__lt=admitted)
    if overlap.exists():
        raise _invalid("admitted_on", _("The person already has a hospital stay in these days."))
    plan = CarePlan.objects.filter(person=person).order_by("-effective_from").first()
    region = plan.region_path if plan else person.region.path
    stay = HospitalStay.objects.create(
        person=person,
        region_path=region,
        admitted_on=admitted,
        discharged_on=discharged,
        source=source,
        recorded_by=user,
    )
    BedDay.objects.filter(
        person=person, day__gte=admitted, day__lte=discharged or dt.date.max
    ).update(status=BedDayStatus.HOSPITAL)
    log_action(
        acting_user=user,
        action="ltc.hospital_stay.recorded",
        object_type=STAY_OBJECT,
        object_id=stay.pk,
        region_path=region,
        after={
            "admitted_on": admitted.isoformat(),
            "discharged_on": discharged.isoformat() if discharged else None,
            "source": source,
        },
    )
    return stay


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str
    message: str


STAY_COLUMNS = ("document_number", "admitted_on", "discharged_on")
# The same columns with Chinese headers (a file made for the Chinese page).
STAY_HEADERS_ZH = {
    "证件号码": "document_number",
    "入院日期": "admitted_on",
    "出院日期": "discharged_on",
}


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def import_stays(content: str, *, acting_user: User) -> tuple[int, list[RowProblem]]:
    """Hospital stays from a CSV file (columns ``document_number, admitted_on, discharged_on``,
    dates as 2026-03-01). Every row is checked first; with any problem nothing is stored and
    the problems are answered by line; otherwise every row is stored (``ltc.hospital_stay.recorded``
    each, source ``imported``)."""
    require_capability(acting_user, BEDDAY_REPORT)
    institution = institution_of(acting_user)
    if institution is None:
        raise _invalid("institution", _("Your account is not an institution's."))
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")))
    header = [STAY_HEADERS_ZH.get(name.strip(), name.strip()) for name in next(reader, [])]
    if set(STAY_COLUMNS) - set(header):
        raise _invalid(
            "file",
            _("The file needs the columns %(columns)s.")
            % {"columns": _("document_number, admitted_on, discharged_on")},
        )
    rows = [
        dict(zip(header, line, strict=False)) for line in reader if any(c.strip() for c in line)
    ]
    numbers = {(row.get("document_number") or "").strip() for row in rows}
    persons = {p.document_number: p for p in Person.objects.filter(document_number__in=numbers)}
    problems: list[RowProblem] = []
    ready: list[tuple[Person, dt.date, dt.date | None]] = []
    for line, row in enumerate(rows, start=2):
        number = (row.get("document_number") or "").strip()
        admitted = _date(row.get("admitted_on") or "")
        discharged_text = (row.get("discharged_on") or "").strip()
        discharged = _date(discharged_text) if discharged_text else None
        person = persons.get(number)
        if person is None:
            problems.append(
                RowProblem(
                    line, "document_number", str(_("No insured person has this document number."))
                )
            )
            continue
        if (row.get("admitted_on") or "").strip() and admitted is None:
            problems.append(
                RowProblem(line, "admitted_on", str(_("Write the date as 2026-03-01.")))
            )
            continue
        if discharged_text and discharged is None:
            problems.append(
                RowProblem(line, "discharged_on", str(_("Write the date as 2026-03-01.")))
            )
            continue
        found = _check_stay(admitted, discharged)
        if found:
            problems.extend(RowProblem(line, f, str(m)) for f, m in found)
            continue
        assert admitted is not None
        if not _own_person(institution, person, admitted):
            problems.append(
                RowProblem(
                    line,
                    "document_number",
                    str(_("The person is not in your care on the day of admission.")),
                )
            )
            continue
        ready.append((person, admitted, discharged))
    if not rows:
        raise _invalid("file", _("The file has no rows."))
    if problems:
        return 0, problems
    try:
        with transaction.atomic():
            for person, admitted, discharged in ready:
                _store_stay(person, admitted, discharged, acting_user, StaySource.IMPORTED)
    except DomainError as error:
        return 0, [RowProblem(0, "file", str(error.message))]
    return len(ready), []
