"""What long-term care hears from medical settlement (``extra["medical_inpatient_settled"]`` of
the care part's plugin; medical calls it without importing long-term care): a settled hospital
stay of a person with a care plan pauses their institutional care days."""

from __future__ import annotations

import datetime as dt

from jingban.core.models import User
from jingban.ltc.models import CarePlan, HospitalStay, StaySource
from jingban.ltc.services_care import _store_stay
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
