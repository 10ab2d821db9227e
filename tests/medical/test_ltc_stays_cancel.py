"""Cancelling (or reversing, 2601) an inpatient settlement removes the long-term care hospital
stay it recorded (``hooks.inpatient_cancelled``), and only that one: a stay staff recorded stays,
and another settled admission over the same days is recorded in its place."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.core.models import ActionLog
from jingban.ltc.models import BedDay, CarePlan, HospitalStay, StaySource
from jingban.ltc.services_care import _store_stay, report_bed_days
from jingban.medical.services import cancel, psn_no_of, reverse
from tests.medical.conftest import today
from tests.medical.test_ltc_stays import _admission

pytestmark = pytest.mark.django_db


@pytest.fixture
def beneficiary():
    plan = CarePlan.objects.filter(care_form="institution").select_related("person").first()
    assert plan is not None, "the demo has an institutional care plan"
    HospitalStay.objects.filter(person=plan.person).delete()
    return plan.person


def _days() -> tuple[dt.date, dt.date]:
    admitted, discharged = today() - dt.timedelta(days=6), today() - dt.timedelta(days=2)
    if admitted.year != today().year:  # the first days of January: stay inside the year
        return today(), today()
    return admitted, discharged


def _cancel(renmin, hospital, info, msgid: str):
    return cancel(
        renmin,
        hospital,
        setl_id=info.setl_id,
        mdtrt_id=info.mdtrt_id,
        psn_no=info.psn_no,
        msgid=msgid,
    )


def test_cancelling_the_settlement_removes_its_stay(
    fake_ports, renmin, hospital, beneficiary, personas
):
    admitted, discharged = _days()
    info = _admission(renmin, hospital, beneficiary, admitted, discharged, "ZY-CX-1")
    stay = HospitalStay.objects.get(person=beneficiary)
    assert stay.source == StaySource.SETTLEMENT

    _cancel(renmin, hospital, info, "ZY-CX-1-cancel")

    assert not HospitalStay.objects.filter(person=beneficiary).exists()
    entry = ActionLog.objects.get(action="ltc.hospital_stay.removed", object_id=str(stay.pk))
    assert entry.actor == renmin
    assert entry.before["admitted_on"] == admitted.isoformat()
    # The institution may report those days again, no longer held to "in hospital".
    plan = CarePlan.objects.get(person=beneficiary, care_form="institution")
    staff = personas.user("kangning")
    assert plan.provider.organisation_id == staff.organisation_id
    assert plan.effective_from <= discharged
    rows = report_bed_days(discharged, {beneficiary.pk: "present"}, acting_user=staff)
    assert rows[0].status == "present"
    assert BedDay.objects.get(person=beneficiary, day=discharged).status == "present"


def test_a_2601_reversal_removes_the_stay_too(fake_ports, renmin, hospital, beneficiary):
    admitted, discharged = _days()
    _admission(renmin, hospital, beneficiary, admitted, discharged, "ZY-CX-2")
    assert HospitalStay.objects.filter(person=beneficiary).count() == 1

    reverse(renmin, hospital, omsgid="ZY-CX-2", oinfno="2304", msgid="ZY-CX-2-rev")

    assert not HospitalStay.objects.filter(person=beneficiary).exists()


def test_a_stay_staff_recorded_is_kept(fake_ports, renmin, hospital, beneficiary):
    admitted, discharged = _days()
    recorded = _store_stay(beneficiary, admitted, discharged, renmin, StaySource.RECORDED)
    info = _admission(renmin, hospital, beneficiary, admitted, discharged, "ZY-CX-3")

    _cancel(renmin, hospital, info, "ZY-CX-3-cancel")

    assert list(HospitalStay.objects.filter(person=beneficiary)) == [recorded]
    assert not ActionLog.objects.filter(action="ltc.hospital_stay.removed").exists()


def test_another_settled_admission_over_those_days_takes_the_stay_over(
    fake_ports, renmin, hospital, beneficiary
):
    admitted, discharged = _days()
    first = _admission(renmin, hospital, beneficiary, admitted, discharged, "ZY-CX-4")
    _admission(renmin, hospital, beneficiary, admitted, discharged, "ZY-CX-5")
    assert HospitalStay.objects.filter(person=beneficiary).count() == 1

    _cancel(renmin, hospital, first, "ZY-CX-4-cancel")

    stays = list(HospitalStay.objects.filter(person=beneficiary))
    assert [(s.admitted_on, s.discharged_on, s.source) for s in stays] == [
        (admitted, discharged, StaySource.SETTLEMENT)
    ]
    assert ActionLog.objects.filter(action="ltc.hospital_stay.removed").count() == 1
    assert psn_no_of(beneficiary) == first.psn_no
