"""The enrollment actions (参保登记): enroll, suspend, end, renew, each with its reason and
effective dates, atomic and logged. The waiting period of 国办发〔2024〕38号 is decided when a
person enrolls, with the contribution pack of the year, and stored on the enrollment
(``benefits_from``); ``coverage`` reads it at settlement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from jingban.core import queries as core_queries
from jingban.core.actionlog import log_action
from jingban.core.calendar import today
from jingban.core.errors import Conflict, Message, ValidationFailed
from jingban.core.models import User
from jingban.core.permissions import require_capability
from jingban.enrollment import caps
from jingban.enrollment import rules as contribution
from jingban.registry.models import Enrollment, EnrollmentStatus, Person

REASON_MAX = 200


@dataclass(frozen=True)
class EnrollInput:
    scheme_code: str
    year: int
    effective: dt.date
    tier: str = ""
    enrolled_on: dt.date | None = None
    reason: str = ""


def _log(action: str, enrollment: Enrollment, *, acting_user: User | None, before: object) -> None:
    log_action(
        acting_user=acting_user,
        action=action,
        object_type="registry.person",
        object_id=enrollment.person_id,
        region_path=enrollment.person.region.path,
        before=before,  # type: ignore[arg-type]
        after=_snapshot(enrollment),
        reason=enrollment.reason,
    )


def _snapshot(enrollment: Enrollment) -> dict[str, object]:
    return {
        "scheme": enrollment.scheme.code,
        "year": enrollment.year,
        "status": enrollment.status,
        "tier": enrollment.tier,
        "since": enrollment.since.isoformat(),
        "benefits_from": enrollment.benefits_from.isoformat() if enrollment.benefits_from else None,
        "status_from": enrollment.status_from.isoformat() if enrollment.status_from else None,
    }


def check_enroll(person: Person, data: EnrollInput) -> dict[str, list[Message]]:
    """Every problem of an enrollment, by field, before anything is written."""
    errors: dict[str, list[Message]] = {}
    scheme = core_queries.schemes().filter(code=data.scheme_code).first()
    if scheme is None:
        errors["scheme"] = [_("Unknown scheme.")]
    if not 1990 <= data.year <= 2100:
        errors["year"] = [_("The year must lie between 1990 and 2100.")]
    elif data.effective.year != data.year:
        errors["effective"] = [_("The effective date must lie in the enrollment year.")]
    if len(data.reason) > REASON_MAX:
        errors["reason"] = [_("At most 200 characters.")]
    if person.death_date is not None and person.death_date < data.effective:
        errors["effective"] = [_("The person died before this date.")]
    if data.effective < person.birth_date:
        errors["effective"] = [_("The person was not yet born on this date.")]
    if data.enrolled_on is not None and data.enrolled_on > today():
        errors["enrolled_on"] = [_("The enrollment date cannot be in the future.")]
    if scheme is not None and "year" not in errors:
        pack = contribution.year_pack(person, scheme.code, data.year)
        if pack is not None:
            tiers = pack.contribution.tiers
            if data.tier not in tiers:
                errors["tier"] = [
                    _("Choose one of the tiers: %(tiers)s.") % {"tiers": "、".join(sorted(tiers))}
                ]
        elif data.tier:
            errors["tier"] = [_("This scheme has no contribution tiers.")]
    return errors


def enroll(person: Person, data: EnrollInput, *, acting_user: User | None) -> Enrollment:
    """参保登记: enroll the person in a scheme for a year from ``effective``, or take back a
    suspended or ended enrollment of that year. The waiting period follows from the day the
    person enrolls (``enrolled_on``, today unless given) and the years missed before."""
    require_capability(acting_user, caps.EDIT)
    errors = check_enroll(person, data)
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        enrollment, before = write_enrollment(person, data)
        _log("enrollment.enrollment.enrolled", enrollment, acting_user=acting_user, before=before)
    return enrollment


def write_enrollment(
    person: Person, data: EnrollInput
) -> tuple[Enrollment, dict[str, object] | None]:
    """Write the enrollment (inside the caller's transaction) and return it with the snapshot
    of the row it replaced, if any."""
    scheme = core_queries.schemes().get(code=data.scheme_code)
    current = (
        Enrollment.objects.select_for_update()
        .filter(person=person, scheme=scheme, year=data.year)
        .first()
    )
    if current is not None and current.status == EnrollmentStatus.ACTIVE:
        raise Conflict(
            _("The person is already enrolled in this scheme for %(year)s.") % {"year": data.year},
            fields={"year": [_("Already enrolled for this year.")]},
        )
    pack = contribution.year_pack(person, scheme.code, data.year)
    waiting = contribution.waiting_for(
        pack.contribution if pack is not None else None,
        person,
        scheme_code=scheme.code,
        year=data.year,
        effective=data.effective,
        enrolled_on=data.enrolled_on or today(),
    )
    before = _snapshot(current) if current is not None else None
    values = {
        "status": EnrollmentStatus.ACTIVE,
        "since": data.effective,
        "tier": data.tier,
        "enrolled_on": data.enrolled_on or today(),
        "benefits_from": waiting.benefits_from,
        "status_from": None,
        "reason": data.reason,
    }
    try:
        with transaction.atomic():
            enrollment, _created = Enrollment.objects.update_or_create(
                person=person, scheme=scheme, year=data.year, defaults=values
            )
    except IntegrityError:  # a concurrent enrollment of the same year won the race
        raise Conflict(fields={"year": [_("Already enrolled for this year.")]}) from None
    enrollment.person = person
    return enrollment, before


def _change_status(
    enrollment: Enrollment,
    *,
    status: str,
    allowed_from: tuple[str, ...],
    effective: dt.date,
    reason: str,
    action: str,
    acting_user: User | None,
) -> Enrollment:
    require_capability(acting_user, caps.EDIT)
    errors: dict[str, list[Message]] = {}
    if not reason.strip():
        errors["reason"] = [_("Give the reason.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("At most 200 characters.")]
    if effective.year != enrollment.year:
        errors["effective"] = [_("The effective date must lie in the enrollment year.")]
    elif effective < enrollment.since:
        errors["effective"] = [_("The effective date is before the enrollment started.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        locked = (
            Enrollment.objects.select_for_update()
            .select_related("scheme", "person__region")
            .get(pk=enrollment.pk)
        )
        if locked.status not in allowed_from:
            raise Conflict(
                _("This cannot be done to an enrollment that is %(status)s.")
                % {"status": locked.get_status_display()},
                fields={"status": [_("Not possible in the enrollment's present status.")]},
            )
        before = _snapshot(locked)
        locked.status = status
        locked.status_from = effective
        locked.reason = reason.strip()
        locked.save(update_fields=["status", "status_from", "reason"])
        _log(action, locked, acting_user=acting_user, before=before)
    return locked


def suspend(
    enrollment: Enrollment, *, effective: dt.date, reason: str, acting_user: User | None
) -> Enrollment:
    """暂停参保: benefits stop from ``effective`` (an active enrollment only)."""
    return _change_status(
        enrollment,
        status=EnrollmentStatus.SUSPENDED,
        allowed_from=(EnrollmentStatus.ACTIVE,),
        effective=effective,
        reason=reason,
        action="enrollment.enrollment.suspended",
        acting_user=acting_user,
    )


def end(
    enrollment: Enrollment, *, effective: dt.date, reason: str, acting_user: User | None
) -> Enrollment:
    """终止参保: the enrollment ends on ``effective`` (active or suspended; death, moving away,
    joining the employees' scheme …). It cannot be undone except by enrolling again."""
    return _change_status(
        enrollment,
        status=EnrollmentStatus.ENDED,
        allowed_from=(EnrollmentStatus.ACTIVE, EnrollmentStatus.SUSPENDED),
        effective=effective,
        reason=reason,
        action="enrollment.enrollment.ended",
        acting_user=acting_user,
    )


def renew(
    enrollment: Enrollment,
    *,
    reason: str = "",
    enrolled_on: dt.date | None = None,
    tier: str | None = None,
    acting_user: User | None,
) -> Enrollment:
    """续保: enroll the person for the year after ``enrollment``'s, from its first day, in the
    same tier unless another is given. Renewing inside the concentrated period keeps benefits
    without a waiting period."""
    require_capability(acting_user, caps.EDIT)
    if enrollment.status == EnrollmentStatus.ENDED:
        raise Conflict(fields={"status": [_("An ended enrollment cannot be renewed.")]})
    person = Person.objects.select_related("region").get(pk=enrollment.person_id)
    data = EnrollInput(
        scheme_code=enrollment.scheme.code,
        year=enrollment.year + 1,
        effective=dt.date(enrollment.year + 1, 1, 1),
        tier=enrollment.tier if tier is None else tier,
        enrolled_on=enrolled_on,
        reason=reason,
    )
    errors = check_enroll(person, data)
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        renewed, before = write_enrollment(person, data)
        _log("enrollment.enrollment.renewed", renewed, acting_user=acting_user, before=before)
    return renewed


def agent_views_payments(agent: User, person_id: int) -> Person:
    """An agent (代办人) opens the payment history and enrollment of a person they act for:
    authorised for viewing the record (``registry``'s check, which logs a refusal) and logged."""
    from jingban.registry.models import AgentService
    from jingban.registry.services import authorise_agent_act

    auth = authorise_agent_act(agent, person_id, AgentService.VIEW_RECORD)
    person = Person.objects.select_related("region").get(pk=auth.person_id)
    with transaction.atomic():
        log_action(
            acting_user=agent,
            action="enrollment.payment.viewed",
            object_type="registry.person",
            object_id=person.pk,
            region_path=person.region.path,
            on_behalf_of=f"registry.person:{person.pk}",
        )
    return person
