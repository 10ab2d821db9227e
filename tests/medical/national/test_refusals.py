"""The settlement service's refusals reach the hospital as infcode −2 with the service's Chinese
message naming the field, and nothing is stored: not enrolled, waiting period, after death (the
coverage contract), a chronic disease without registration (2203 and 2201), an institution that
may not serve."""

from __future__ import annotations

import pytest

from jingban.core.errors import DomainError
from jingban.medical.models import Settlement, Visit
from jingban.medical.national.models import InterfaceMessage
from jingban.medical.services import psn_no_of
from tests.medical.national.flows import fee, outpatient_ready, quiet_person, register, settle_input
from tests.medical.national.helpers import Hospital, hospital

LINES = [fee("1", "A0001", "100.00", "4", "400.00")]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("coverage.not_enrolled", "该人员本年度未参加城乡居民基本医疗保险"),
        ("coverage.waiting_period", "待遇等待期内，2026-07-01起享受待遇"),
        ("coverage.after_death", "该人员已于就诊日前死亡"),
    ],
)
def test_coverage_refusals_store_nothing(
    personas, sz_hospital: Hospital, fake_ports, code: str, message: str
) -> None:
    person = quiet_person()
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-X", LINES)
    fake_ports.refused[person.pk] = DomainError(message, code=code, fields={"psn_no": [message]})
    before = InterfaceMessage.objects.count()
    answer = sz_hospital.call("2207", settle_input(person, mdtrt_id, "400.00"))
    assert answer["infcode"] == -2
    assert answer["err_msg"] == f"字段 psn_no：{message}"
    assert answer["output"] == {}
    assert not Settlement.objects.filter(person=person).exists()
    assert InterfaceMessage.objects.count() == before + 1  # the refusal is that msgid's answer
    preview = sz_hospital.call("2206", settle_input(person, mdtrt_id, "400.00"))
    assert preview["infcode"] == -2 and message in preview["err_msg"]


def test_a_chronic_disease_needs_its_registration(personas, sz_hospital: Hospital, fake_ports):
    person = quiet_person()
    mdtrt_id = register(sz_hospital, person, "MZ-CH")
    info = {"mdtrt_id": mdtrt_id, "psn_no": psn_no_of(person), "begntime": "2026-03-02 09:00:00"}
    refused = sz_hospital.call(
        "2203", {"mdtrtinfo": {**info, "med_type": "14", "dise_codg": "M03900"}}
    )
    assert refused["infcode"] == -2 and "dise_codg" in refused["err_msg"], refused
    assert Visit.objects.filter(person=person).get().med_type == "11"
    fake_ports.registered.add((person.pk, "M03900"))
    accepted = sz_hospital.call(
        "2203", {"mdtrtinfo": {**info, "med_type": "14", "dise_codg": "M03900"}}
    )
    assert accepted["infcode"] == 0, accepted
    assert Visit.objects.filter(person=person).get().med_type == "14"


def test_an_institution_that_may_not_serve(personas, fake_ports) -> None:
    """康宁护理院 is a care institution: its staff hold the interface's capability, but it may
    not serve resident medical insurance."""
    care_home = personas.user("kangning").organisation
    staff = hospital(care_home.code, "his_kangning")
    person = quiet_person()
    answer = staff.call(
        "2201",
        {
            "data": {
                "psn_no": psn_no_of(person),
                "insutype": "390",
                "begntime": "2026-03-02 09:00:00",
                "mdtrt_cert_type": "02",
                "ipt_otp_no": "K-1",
            }
        },
        mdtrtarea_admvs="320506",
    )
    assert answer["infcode"] == -2, answer
    assert "字段 fixmedins_code" in answer["err_msg"] and "定点资格" in answer["err_msg"]
    assert not Visit.objects.filter(person=person).exists()
