"""Changing the chronic-disease registrations (门诊慢特病认定): each act checks its input and writes
the registration and its action-log row in one transaction. The import of a catalogue version is
in ``imports``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from jingban.catalogue.models import (
    ChronicDisease,
    ChronicRegistration,
    RegistrationStatus,
)
from jingban.core.actionlog import log_action
from jingban.core.calendar import today as local_today
from jingban.core.errors import ValidationFailed
from jingban.core.models import User
from jingban.registry.models import Person

OBJECT_TYPE = "catalogue.chronic_registration"


@dataclass(frozen=True)
class RegistrationInput:
    person: Person
    disease: ChronicDisease
    valid_from: dt.date
    valid_to: dt.date | None = None
    hospital: str = ""


def _snapshot(registration: ChronicRegistration) -> dict[str, object]:
    return {
        "person_id": registration.person_id,
        "disease": registration.disease.code,
        "valid_from": registration.valid_from.isoformat(),
        "valid_to": registration.valid_to.isoformat() if registration.valid_to else None,
        "status": registration.status,
    }


@transaction.atomic
def register_chronic(data: RegistrationInput, *, acting_user: User | None) -> ChronicRegistration:
    """Register a person for a chronic or special disease over a period. Refuses a period that
    ends before it starts, starts after the person's death, or overlaps a registration in force
    for the same disease. The person's scope is the caller's (a scoped query found them)."""
    errors: dict[str, list[str]] = {}
    if data.valid_to is not None and data.valid_to < data.valid_from:
        errors["valid_to"] = [_("The end of the period is before its start.")]
    if not data.disease.active:
        errors["disease"] = [_("This disease is no longer in the table.")]
    person = Person.objects.select_for_update().get(pk=data.person.pk)
    if person.death_date is not None and data.valid_from > person.death_date:
        errors["valid_from"] = [_("The period starts after the person's death.")]
    hospital = " ".join(data.hospital.split())
    if len(hospital) > 200:
        errors["hospital"] = [_("At most %(n)d characters.") % {"n": 200}]
    if not errors:
        end = data.valid_to or dt.date.max
        for other in ChronicRegistration.objects.filter(person=person, disease=data.disease):
            start, stop = other.effective_period()
            if start <= end and stop >= data.valid_from:
                errors["valid_from"] = [
                    _("The person is already registered for this disease from %(day)s.")
                    % {"day": other.valid_from.isoformat()}
                ]
                break
    if errors:
        raise ValidationFailed(fields=errors)
    registration = ChronicRegistration.objects.create(
        person=person,
        disease=data.disease,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        hospital=hospital,
        registered_by=acting_user,
    )
    log_action(
        acting_user=acting_user,
        action="catalogue.chronic.registered",
        object_type=OBJECT_TYPE,
        object_id=registration.pk,
        region_path=person.region.path,
        after=_snapshot(registration),
    )
    return registration


@transaction.atomic
def end_chronic(
    registration: ChronicRegistration,
    *,
    ended_on: dt.date | None = None,
    reason: str,
    acting_user: User | None,
) -> ChronicRegistration:
    """End a registration on a day (today by default); claims after that day are refused. The
    registration stays, with its end and reason."""
    locked = (
        ChronicRegistration.objects.select_for_update()
        .select_related("person__region", "disease")
        .get(pk=registration.pk)
    )
    day = ended_on or local_today()
    reason = " ".join(reason.split())
    errors: dict[str, list[str]] = {}
    if locked.status != RegistrationStatus.ACTIVE:
        errors["status"] = [_("This registration has already ended.")]
    if not reason:
        errors["reason"] = [_("Give the reason.")]
    elif len(reason) > 300:
        errors["reason"] = [_("At most %(n)d characters.") % {"n": 300}]
    if day < locked.valid_from - dt.timedelta(days=1):
        # Ending the day before the start withdraws a registration that never took effect.
        errors["ended_on"] = [_("The end is before the registration starts.")]
    if errors:
        raise ValidationFailed(fields=errors)
    before = _snapshot(locked)
    locked.status = RegistrationStatus.ENDED
    locked.ended_on = day
    locked.end_reason = reason
    if locked.valid_to is None or locked.valid_to > day:
        locked.valid_to = max(day, locked.valid_from)
    locked.save(update_fields=["status", "ended_on", "end_reason", "valid_to"])
    log_action(
        acting_user=acting_user,
        action="catalogue.chronic.ended",
        object_type=OBJECT_TYPE,
        object_id=locked.pk,
        region_path=locked.person.region.path,
        before=before,
        after=_snapshot(locked),
        reason=reason,
    )
    return locked
