"""What long-term care hears from medical settlement (``extra["medical_inpatient_settled"]`` and
``extra["medical_inpatient_cancelled"]`` of the care part's plugin; medical calls them without
importing long-term care): a settled hospital stay of a person with a care plan pauses their
institutional care days; cancelling that settlement removes the stay again."""

from __future__ import annotations

import datetime as dt

from jingban.core.actionlog import log_action
from jingban.core.models import User
from jingban.ltc.models import CarePlan, HospitalStay, StaySource
from jingban.ltc.services_care import STAY_OBJECT, _store_stay
from jingban.registry.models import Person


def record_settled_stay(
    *,
    person_id: int,
    institution_id: int,
    admitted_on: dt.date,
    discharged_on: dt.date,
    acting_user: User,
) -> HospitalStay | None:
    """Record the stay (source: settlement) unless the person has no care plan or a stay
    already covers those days (recorded by the care institution, or settled before)."""
    if not CarePlan.objects.filter(person_id=person_id).exists():
        return None
    overlap = HospitalStay.objects.filter(
        person_id=person_id, admitted_on__lte=discharged_on
    ).exclude(discharged_on__lt=admitted_on)
    if overlap.exists():
        return None
    person = Person.objects.select_related("region").get(pk=person_id)
    stay = _store_stay(person, admitted_on, discharged_on, acting_user, StaySource.SETTLEMENT)
    HospitalStay.objects.filter(pk=stay.pk).update(hospital_id=institution_id)
    return stay


def remove_settled_stay(
    *,
    person_id: int,
    institution_id: int,
    admitted_on: dt.date,
    discharged_on: dt.date,
    acting_user: User,
) -> int:
    """The settlement of a stay was cancelled (``extra["medical_inpatient_cancelled"]``): the
    stay it recorded (source: settlement, same hospital and days) is removed and logged
    (``ltc.hospital_stay.removed``). A stay recorded or imported by staff stays. The bed-days
    are left as they are: those the stay marked ``in hospital`` are not paid, and the
    institution may report them again, no longer held to ``in hospital``. Returns how many
    stays were removed (0 or 1)."""
    stays = list(
        HospitalStay.objects.select_for_update().filter(
            person_id=person_id,
            hospital_id=institution_id,
            admitted_on=admitted_on,
            discharged_on=discharged_on,
            source=StaySource.SETTLEMENT,
        )
    )
    for stay in stays:
        log_action(
            acting_user=acting_user,
            action="ltc.hospital_stay.removed",
            object_type=STAY_OBJECT,
            object_id=stay.pk,
            region_path=stay.region_path,
            before={
                "admitted_on": stay.admitted_on.isoformat(),
                "discharged_on": stay.discharged_on.isoformat() if stay.discharged_on else None,
                "source": stay.source,
            },
            after={"reason": "medical settlement cancelled"},
        )
        stay.delete()
    return len(stays)
