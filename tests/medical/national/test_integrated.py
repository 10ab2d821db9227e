"""The interface with the real parts (enrollment's coverage, the catalogue, filing): a settlement
of catalogue items over 2201 → 2204 → 2207. Needs every step-8 branch merged and fails loudly
(ImportError, in the test rather than at collection) until they are, like
tests/medical/test_settlement_integrated.py."""

from __future__ import annotations

import pytest

from jingban.medical.models import Settlement
from tests.medical.national.flows import fee, register, settle_input, upload, yuan
from tests.medical.national.helpers import Hospital

AMOXICILLIN = "XJ01CAA381A0010100000"  # 甲类
VITAMIN_C = "XA11GAA115A0010100108"  # 丙类
CONSULTATION = "00210514630000"  # 甲类, price limit 10.00


@pytest.mark.django_db
def test_a_settlement_with_the_real_catalogue(personas, sz_hospital: Hospital) -> None:
    import jingban.catalogue.classify  # noqa: F401 - fails loudly (here, not at collection)

    person = personas.own_person  # 陈秀英, enrolled in resident medical insurance this year
    mdtrt_id = register(sz_hospital, person, "MZ-REAL-1")
    uploaded = upload(
        sz_hospital,
        person,
        mdtrt_id,
        [
            fee("1", AMOXICILLIN, "20.00", "2", "40.00"),
            fee("2", VITAMIN_C, "12.50", "1", "12.50"),
            fee("3", CONSULTATION, "15.00", "1", "15.00"),
        ],
    )
    assert uploaded["infcode"] == 0, uploaded
    lines = {row["feedetl_sn"]: row for row in uploaded["output"]["result"]}
    assert yuan(lines["2"]["fulamt_ownpay_amt"]) == 1250  # 丙类: fully self-paid
    assert yuan(lines["3"]["overlmt_amt"]) == 500  # 15.00 against a limit of 10.00
    settled = sz_hospital.call("2207", settle_input(person, mdtrt_id, "67.50"))
    assert settled["infcode"] == 0, settled
    info = settled["output"]["setlinfo"]
    assert yuan(info["fulamt_ownpay_amt"]) == 1250
    assert yuan(info["overlmt_selfpay"]) == 500
    assert yuan(info["inscp_scp_amt"]) == 4000 + 1000
    assert yuan(info["fund_pay_sumamt"]) + yuan(info["psn_part_amt"]) == 6750
    assert sum(yuan(d["fund_payamt"]) for d in settled["output"]["setldetail"]) == yuan(
        info["fund_pay_sumamt"]
    )
    assert Settlement.objects.filter(person=person, visit__ipt_otp_no="MZ-REAL-1").count() == 1
