"""An inpatient settlement of a person in long-term care records their hospital stay for LTC
(source: settlement), which marks the bed-days of those days ``hospital``."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.ltc.models import BedDay, CarePlan, HospitalStay, StaySource
from jingban.medical.services import (
    DischargeIn,
    SettleIn,
    VisitIn,
    discharge,
    psn_no_of,
    record_fee_lines,
    register_visit,
    settle,
)
from tests.medical.conftest import at, line, today

pytestmark = pytest.mark.django_db


def _admission(renmin, hospital, person, admitted: dt.date, discharged: dt.date, number: str):
    psn = psn_no_of(person)
    visit = register_visit(
        renmin,
        hospital,
        VisitIn(
            psn_no=psn, insutype="390", med_type="21", begntime=at(admitted), ipt_otp_no=number
        ),
    )
    record_fee_lines(
        renmin, hospital, mdtrt_id=visit.mdtrt_id, psn_no=psn, lines=[line("1", "A100", 500_000)]
    )
    discharge(renmin, hospital, DischargeIn(visit.mdtrt_id, psn, at(discharged)))
    return settle(
        renmin,
        hospital,
        SettleIn(psn_no=psn, mdtrt_id=visit.mdtrt_id, medfee_sumamt=500_000),
        msgid=number,
    )


def test_an_ltc_beneficiarys_settled_stay_pauses_bed_days(fake_ports, renmin, hospital):
    plan = CarePlan.objects.filter(care_form="institution").select_related("person").first()
    assert plan is not None, "the demo has an institutional care plan"
    person = plan.person
    HospitalStay.objects.filter(person=person).delete()
    admitted, discharged = today() - dt.timedelta(days=6), today() - dt.timedelta(days=2)
    if admitted.year != today().year:  # the first days of January: stay inside the year
        admitted, discharged = today(), today()
    BedDay.objects.filter(person=person, day__gte=admitted, day__lte=discharged).update(
        status="present"
    )
    _admission(renmin, hospital, person, admitted, discharged, "ZY-LTC-1")
    stay = HospitalStay.objects.get(person=person)
    assert (stay.admitted_on, stay.discharged_on, stay.source) == (
        admitted,
        discharged,
        StaySource.SETTLEMENT,
    )
    assert stay.hospital_id == hospital.pk
    days = BedDay.objects.filter(person=person, day__gte=admitted, day__lte=discharged)
    assert all(d.status == "hospital" for d in days)
    # A second settlement over the same days records nothing more.
    _admission(renmin, hospital, person, admitted, discharged, "ZY-LTC-2")
    assert HospitalStay.objects.filter(person=person).count() == 1


def test_no_stay_for_a_person_outside_long_term_care(fake_ports, renmin, hospital, personas):
    person = next(
        p
        for p in personas.world.persons
        if "320500/" in p.region.path and not CarePlan.objects.filter(person=p).exists()
    )
    before = HospitalStay.objects.count()
    _admission(renmin, hospital, person, today(), today(), "ZY-NOLTC")
    assert HospitalStay.objects.count() == before
