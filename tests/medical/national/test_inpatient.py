"""Inpatient settlement over the interface: 2401 admission, 2301 fee details, 2402 discharge,
2303 pre-settlement, 2304 settlement, 2305 cancel; 2404, 2405 and 2302."""

from __future__ import annotations

import pytest

from jingban.medical.models import Settlement, SettlementKind, Visit
from jingban.medical.services import psn_no_of
from tests.medical.national.flows import fee, now_text, quiet_person, settle_input, yuan
from tests.medical.national.helpers import Hospital

pytestmark = pytest.mark.usefixtures("fake_ports")


@pytest.fixture
def person(personas):
    return quiet_person()


def admit(hospital: Hospital, person, number: str) -> str:
    answer = hospital.call(
        "2401",
        {
            "mdtrtinfo": {
                "psn_no": psn_no_of(person),
                "insutype": "390",
                "coner_name": "",
                "tel": "",
                "begntime": now_text(8),
                "mdtrt_cert_type": "02",
                "mdtrt_cert_no": person.document_number,
                "med_type": "21",
                "ipt_no": number,
                "medrcdno": "",
                "atddr_no": "D002",
                "chfpdr_name": "李医生",
                "adm_diag_dscr": "肺炎",
                "adm_dept_codg": "B01",
                "adm_dept_name": "呼吸内科",
                "adm_bed": "12",
                "dscg_maindiag_code": "J18.900",
                "dscg_maindiag_name": "肺炎",
            },
            "diseinfo": [{"psn_no": psn_no_of(person), "diag_type": "1", "diag_code": "J18.900"}],
        },
    )
    assert answer["infcode"] == 0, answer
    mdtrt_id: str = answer["output"]["result"]["mdtrt_id"]
    return mdtrt_id


def inpatient_ready(hospital: Hospital, person, number: str) -> str:
    mdtrt_id = admit(hospital, person, number)
    ids = {"mdtrt_id": mdtrt_id, "psn_no": psn_no_of(person)}
    lines = [
        {**fee("1", "A1001", "3000.00", "1", "3000.00"), **ids},
        {**fee("2", "L1001", "500.00", "2", "1000.00"), **ids},
        {**fee("3", "C1001", "500.00", "1", "500.00"), **ids},
    ]
    uploaded = hospital.call("2301", {"feedetail": lines})
    assert uploaded["infcode"] == 0, uploaded
    discharged = hospital.call(
        "2402",
        {
            "dscginfo": {
                **ids,
                "insutype": "390",
                "endtime": now_text(16),
                "dise_codg": "J18.900",
                "dise_name": "肺炎",
                "dscg_way": "1",
            }
        },
    )
    assert discharged["infcode"] == 0, discharged
    return mdtrt_id


def test_inpatient_settlement_and_cancel(sz_hospital: Hospital, person) -> None:
    mdtrt_id = inpatient_ready(sz_hospital, person, "ZY-1")
    body = settle_input(person, mdtrt_id, "4500.00", med_type="21", mid_setl_flag="0")
    body["data"].pop("chrg_bchno")
    preview = sz_hospital.call("2303", body)
    assert preview["infcode"] == 0, preview
    assert not Settlement.objects.filter(person=person).exists()
    settled = sz_hospital.call("2304", body)
    assert settled["infcode"] == 0, settled
    info = settled["output"]["setlinfo"]
    assert info["hifp_pay"] == preview["output"]["setlinfo"]["hifp_pay"]
    assert yuan(info["fulamt_ownpay_amt"]) == 50000  # 丙类 500.00
    assert yuan(info["overlmt_selfpay"]) == 50000  # half of a price-limited 1,000.00
    assert yuan(info["preselfpay_amt"]) == 0
    assert yuan(info["inscp_scp_amt"]) == 350000
    assert yuan(info["fund_pay_sumamt"]) + yuan(info["psn_part_amt"]) == 450000
    # level 3 (sample pack): deductible 800, 65 % → (3,500 − 800) × 65 % = 1,755.00
    assert yuan(info["act_pay_dedc"]) == 80000
    assert yuan(info["hifp_pay"]) == 175500
    cancelled = sz_hospital.call(
        "2305",
        {"data": {"mdtrt_id": mdtrt_id, "setl_id": info["setl_id"], "psn_no": psn_no_of(person)}},
    )
    assert cancelled["infcode"] == 0, cancelled
    assert yuan(cancelled["output"]["setlinfo"]["hifp_pay"]) == -yuan(info["hifp_pay"])
    assert Settlement.objects.filter(person=person, kind=SettlementKind.REVERSAL).count() == 1


def test_admission_and_discharge_can_be_undone(sz_hospital: Hospital, person) -> None:
    mdtrt_id = inpatient_ready(sz_hospital, person, "ZY-2")
    ids = {"mdtrt_id": mdtrt_id, "psn_no": psn_no_of(person)}
    assert sz_hospital.call("2405", {"data": ids})["infcode"] == 0
    assert Visit.objects.filter(person=person).get().endtime is None
    removed = sz_hospital.call("2302", {"data": [{**ids, "feedetl_sn": "3"}]})
    assert removed["infcode"] == 0, removed
    assert sz_hospital.call("2404", {"data": ids})["infcode"] == 0
    assert Visit.objects.filter(person=person).get().status == "cancelled"
    refused = sz_hospital.call("2304", settle_input(person, mdtrt_id, "4000.00", med_type="21"))
    assert refused["infcode"] == -2
    assert not Settlement.objects.filter(person=person).exists()


def test_a_discharge_before_the_admission_is_refused(sz_hospital: Hospital, person) -> None:
    mdtrt_id = admit(sz_hospital, person, "ZY-3")
    answer = sz_hospital.call(
        "2402",
        {
            "dscginfo": {
                "mdtrt_id": mdtrt_id,
                "psn_no": psn_no_of(person),
                "endtime": now_text(7),
                "dise_codg": "J18.900",
            }
        },
    )
    assert answer["infcode"] == -2 and "endtime" in answer["err_msg"], answer
    assert Visit.objects.filter(person=person).get().endtime is None
