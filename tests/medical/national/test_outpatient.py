"""Outpatient settlement over the interface: 1101, 2201, 2204, 2206, 2207, 2208, the same msgid
twice, 2601, 5203 and 5206, and bad input (nothing stored)."""

from __future__ import annotations

import pytest

from jingban.core.models import ActionLog
from jingban.medical.models import PersonYearTotals, Settlement, SettlementKind, Visit
from jingban.medical.national.models import InterfaceMessage
from jingban.medical.services import psn_no_of
from tests.medical.national.flows import (
    fee,
    outpatient_ready,
    quiet_person,
    register,
    settle_input,
    upload,
    yuan,
)
from tests.medical.national.helpers import Hospital

pytestmark = pytest.mark.usefixtures("fake_ports")

# 甲类 400.00 in two lines: outpatient pooling (50 deductible, 50 %, 150 cap) pays 150.
LINES = [fee("1", "A0001", "100.00", "2", "200.00"), fee("2", "A0002", "50.00", "4", "200.00")]


def mine(person):
    return Settlement.objects.filter(person=person)


@pytest.fixture
def person(personas):
    return quiet_person()


def test_person_information(sz_hospital: Hospital, person) -> None:
    answer = sz_hospital.call(
        "1101", {"data": {"mdtrt_cert_type": "02", "mdtrt_cert_no": person.document_number}}
    )
    assert answer["infcode"] == 0, answer
    base = answer["output"]["baseinfo"]
    assert base["psn_no"] == psn_no_of(person)
    assert base["psn_name"] == person.name
    assert base["certno"] != person.document_number and base["certno"].endswith(
        person.document_number[-4:]
    )
    assert isinstance(answer["output"]["insuinfo"], list)
    logged = ActionLog.objects.get(action="medical.national.person_queried")
    assert logged.actor == sz_hospital.user and logged.object_id == str(person.pk)
    assert person.document_number not in str(logged.after)
    unknown = sz_hospital.call(
        "1101", {"data": {"mdtrt_cert_type": "02", "mdtrt_cert_no": "110101199001011237"}}
    )
    assert unknown["infcode"] == -2 and "mdtrt_cert_no" in unknown["err_msg"]


def test_fee_details_are_classified(sz_hospital: Hospital, person) -> None:
    mdtrt_id = register(sz_hospital, person, "MZ-1")
    answer = upload(
        sz_hospital,
        person,
        mdtrt_id,
        [fee("1", "A0001", "100.00", "1", "100.00"), fee("2", "C0001", "30.00", "1", "30.00")],
    )
    assert answer["infcode"] == 0, answer
    result = {row["feedetl_sn"]: row for row in answer["output"]["result"]}
    assert yuan(result["1"]["inscp_scp_amt"]) == 10000
    assert yuan(result["2"]["fulamt_ownpay_amt"]) == 3000


def test_preview_has_no_side_effects_and_settlement_matches_it(
    sz_hospital: Hospital, person
) -> None:
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-2", LINES)
    totals_before = list(PersonYearTotals.objects.values())
    messages_before = InterfaceMessage.objects.count()
    preview = sz_hospital.call("2206", settle_input(person, mdtrt_id, "400.00"))
    assert preview["infcode"] == 0, preview
    assert not Settlement.objects.filter(person=person).exists()
    assert list(PersonYearTotals.objects.values()) == totals_before
    assert InterfaceMessage.objects.count() == messages_before  # a read: not in the log

    settled = sz_hospital.call("2207", settle_input(person, mdtrt_id, "400.00"))
    assert settled["infcode"] == 0, settled
    info = settled["output"]["setlinfo"]
    assert info["setl_id"] and info["mdtrt_id"] == mdtrt_id
    for name in ("hifp_pay", "fund_pay_sumamt", "psn_part_amt", "inscp_scp_amt", "act_pay_dedc"):
        assert info[name] == preview["output"]["setlinfo"][name], name
    assert yuan(info["medfee_sumamt"]) == 40000
    assert yuan(info["inscp_scp_amt"]) == 40000
    assert yuan(info["hifp_pay"]) == 15000  # (400 − 50) × 50 % = 175, capped at 150
    assert yuan(info["fund_pay_sumamt"]) + yuan(info["psn_part_amt"]) == 40000
    assert yuan(info["psn_cash_pay"]) == yuan(info["psn_part_amt"])
    details = settled["output"]["setldetail"]
    assert sum(yuan(d["fund_payamt"]) for d in details) == yuan(info["fund_pay_sumamt"])
    assert any(d["fund_pay_type"] == "390100" for d in details)
    assert Settlement.objects.filter(person=person).count() == 1


def test_the_same_msgid_settles_once(sz_hospital: Hospital, person) -> None:
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-3", LINES)
    body = sz_hospital.envelope("2207", settle_input(person, mdtrt_id, "400.00"))
    first = sz_hospital.post(body)
    again = sz_hospital.post(body)
    assert first["infcode"] == 0 and again == first
    assert Settlement.objects.filter(person=person).count() == 1
    # a new msgid for the same visit is refused by the service: a visit settles once
    other = sz_hospital.call("2207", settle_input(person, mdtrt_id, "400.00"))
    assert other["infcode"] == -2 and "mdtrt_id" in other["err_msg"]
    assert Settlement.objects.filter(person=person).count() == 1


def test_cancel_writes_a_reversing_settlement_and_restores_the_accumulators(
    sz_hospital: Hospital, person
) -> None:
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-4", LINES)
    settled = sz_hospital.call("2207", settle_input(person, mdtrt_id, "400.00"))
    setl_id = settled["output"]["setlinfo"]["setl_id"]
    cancelled = sz_hospital.call(
        "2208", {"data": {"setl_id": setl_id, "mdtrt_id": mdtrt_id, "psn_no": psn_no_of(person)}}
    )
    assert cancelled["infcode"] == 0, cancelled
    info = cancelled["output"]["setlinfo"]
    assert info["setl_id"] != setl_id
    assert yuan(info["hifp_pay"]) == -15000 and yuan(info["medfee_sumamt"]) == -40000
    assert Settlement.objects.filter(person=person).count() == 2  # the original stays
    assert mine(person).get(kind=SettlementKind.SETTLEMENT).status == "cancelled"
    accumulations = sz_hospital.call("5206", {"data": {"psn_no": psn_no_of(person)}})
    assert accumulations["infcode"] == 0, accumulations
    assert all(
        yuan(row["cum"]) == 0
        for row in accumulations["output"]["cuminfo"]
        if row["cum_type_code"] not in {"settlements"}
    ), accumulations["output"]["cuminfo"]


def test_reversal_by_the_original_msgid(sz_hospital: Hospital, person) -> None:
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-5", LINES)
    body = sz_hospital.envelope("2207", settle_input(person, mdtrt_id, "400.00"))
    assert sz_hospital.post(body)["infcode"] == 0
    reversal = sz_hospital.call(
        "2601", {"data": {"psn_no": psn_no_of(person), "omsgid": body["msgid"], "oinfno": "2207"}}
    )
    assert reversal["infcode"] == 0, reversal
    assert reversal["output"]["data"]["omsgid"] == body["msgid"]
    assert mine(person).get(kind=SettlementKind.SETTLEMENT).status == "cancelled"
    assert Settlement.objects.filter(person=person, kind=SettlementKind.REVERSAL).count() == 1
    # the original message again is not answered with the settlement that no longer stands
    replay = sz_hospital.post(body)
    assert replay["infcode"] == -2 and "冲正" in replay["err_msg"]
    # nothing to reverse for an unknown message
    unknown = sz_hospital.call(
        "2601", {"data": {"psn_no": psn_no_of(person), "omsgid": "NOPE", "oinfno": "2207"}}
    )
    assert unknown["infcode"] == -2 and "omsgid" in unknown["err_msg"]


def test_settlement_query_is_scoped_to_the_institution(
    sz_hospital: Hospital, nj_hospital: Hospital, person
) -> None:
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-6", LINES)
    setl_id = sz_hospital.call("2207", settle_input(person, mdtrt_id, "400.00"))["output"][
        "setlinfo"
    ]["setl_id"]
    own = sz_hospital.call("5203", {"data": {"setl_id": setl_id, "psn_no": psn_no_of(person)}})
    assert own["infcode"] == 0 and own["output"]["setlinfo"]["setl_id"] == setl_id
    other = nj_hospital.call("5203", {"data": {"setl_id": setl_id, "psn_no": psn_no_of(person)}})
    assert other["infcode"] == -2 and other["output"] == {}
    missing = sz_hospital.call("5203", {"data": {"setl_id": "999999999"}})
    assert missing["infcode"] == -2
    assert other["err_msg"] == missing["err_msg"]  # another's looks exactly like a missing one


@pytest.mark.parametrize(
    ("total", "fragment"),
    [
        ("-400.00", "字段 medfee_sumamt：不能为负数"),
        ("四百", "字段 medfee_sumamt：必须是以元为单位的金额"),
        ("400.001", "字段 medfee_sumamt：最多两位小数"),
        ("399.99", "medfee_sumamt"),  # the fee details add up to 400.00
    ],
)
def test_bad_amounts_settle_nothing(
    sz_hospital: Hospital, person, total: str, fragment: str
) -> None:
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-7", LINES)
    answer = sz_hospital.call("2207", settle_input(person, mdtrt_id, total))
    assert answer["infcode"] == -2
    assert fragment in answer["err_msg"], answer["err_msg"]
    assert not Settlement.objects.filter(person=person).exists()


def test_a_missing_required_field_is_named(sz_hospital: Hospital, person) -> None:
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-8", LINES)
    data = settle_input(person, mdtrt_id, "400.00")
    del data["data"]["psn_setlway"]
    answer = sz_hospital.call("2207", data)
    assert answer["infcode"] == -2 and "字段 psn_setlway：必填" in answer["err_msg"]
    no_area = sz_hospital.call("2207", settle_input(person, mdtrt_id, "400.00"), insuplc_admdvs="")
    assert "字段 insuplc_admdvs" in no_area["err_msg"]
    assert not Settlement.objects.filter(person=person).exists()


def test_bad_fee_details_store_nothing(sz_hospital: Hospital, person) -> None:
    mdtrt_id = register(sz_hospital, person, "MZ-9")
    wrong_product = upload(
        sz_hospital, person, mdtrt_id, [fee("1", "A0001", "100.00", "2", "150.00")]
    )
    assert wrong_product["infcode"] == -2, wrong_product
    negative = upload(sz_hospital, person, mdtrt_id, [fee("1", "A0001", "-1.00", "1", "-1.00")])
    assert negative["infcode"] == -2 and "feedetail[0].pric" in negative["err_msg"]
    repeated = upload(
        sz_hospital,
        person,
        mdtrt_id,
        [fee("1", "A0001", "1.00", "1", "1.00"), fee("1", "A0001", "1.00", "1", "1.00")],
    )
    assert "feedetail[1].feedetl_sn" in repeated["err_msg"]
    assert not Visit.objects.filter(person=person).get().fee_lines.exists()


def test_cancel_registration_and_fee_details(sz_hospital: Hospital, person) -> None:
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-10", LINES)
    ids = {"mdtrt_id": mdtrt_id, "psn_no": psn_no_of(person)}
    assert sz_hospital.call("2205", {"data": {**ids, "chrg_bchno": "0000"}})["infcode"] == 0
    nothing = sz_hospital.call("2207", settle_input(person, mdtrt_id, "400.00"))
    assert nothing["infcode"] == -2
    assert sz_hospital.call("2202", {"data": {**ids, "ipt_otp_no": "MZ-10"}})["infcode"] == 0
    assert sz_hospital.call("2207", settle_input(person, mdtrt_id, "0.01"))["infcode"] == -2
    assert not Settlement.objects.filter(person=person).exists()
