"""3201 reconciliation of totals: matching and not matching."""

from __future__ import annotations

import pytest

from jingban.medical.services import psn_no_of
from tests.medical.national.flows import (
    fee,
    outpatient_ready,
    quiet_person,
    settle_input,
    today,
    yuan,
)
from tests.medical.national.helpers import Hospital

pytestmark = pytest.mark.usefixtures("fake_ports")


def _reconcile(hospital: Hospital, medfee: str, fund: str, count: int) -> dict:
    return hospital.call(
        "3201",
        {
            "data": {
                "insutype": "390",
                "clr_type": "11",
                "setl_optins": "320500",
                "stmt_begndate": f"{today():%Y-%m-%d}",
                "stmt_enddate": f"{today():%Y-%m-%d}",
                "medfee_sumamt": medfee,
                "fund_pay_sumamt": fund,
                "acct_pay": "0.00",
                "fixmedins_setl_cnt": count,
            }
        },
    )


def _yuan_text(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def test_reconciliation_matching_and_not(personas, sz_hospital: Hospital) -> None:
    # What the institution settled today before this test (the demo's own settlements): the
    # answer gives jingban's totals beside the result.
    base = _reconcile(sz_hospital, "0.00", "0.00", 0)["output"]["stmtinfo"]
    base_fee, base_count = yuan(base["medfee_sumamt"]), base["fixmedins_setl_cnt"]
    base_fund = yuan(base["fund_pay_sumamt"])
    person = quiet_person()
    lines = [fee("1", "A0001", "100.00", "4", "400.00")]
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-R1", lines)
    info = sz_hospital.call("2207", settle_input(person, mdtrt_id, "400.00"))["output"]["setlinfo"]
    fund = base_fund + yuan(info["fund_pay_sumamt"])
    assert yuan(info["fund_pay_sumamt"]) == 15000

    balanced = _reconcile(
        sz_hospital, _yuan_text(base_fee + 40000), _yuan_text(fund), base_count + 1
    )
    assert balanced["infcode"] == 0, balanced
    assert balanced["output"]["stmtinfo"]["stmt_rslt"] == "0", balanced

    off = _reconcile(sz_hospital, _yuan_text(base_fee + 40001), _yuan_text(fund), base_count + 2)
    assert off["infcode"] == 0, off
    result = off["output"]["stmtinfo"]
    assert result["stmt_rslt"] == "1"
    assert _yuan_text(base_fee + 40001) in result["stmt_rslt_dscr"]
    assert _yuan_text(base_fee + 40000) in result["stmt_rslt_dscr"]
    assert yuan(result["medfee_sumamt"]) == base_fee + 40000
    assert result["fixmedins_setl_cnt"] == base_count + 1

    # a cancelled settlement nets to zero
    sz_hospital.call(
        "2208",
        {"data": {"setl_id": info["setl_id"], "mdtrt_id": mdtrt_id, "psn_no": psn_no_of(person)}},
    )
    again = _reconcile(sz_hospital, _yuan_text(base_fee), _yuan_text(base_fund), base_count)
    assert again["output"]["stmtinfo"]["stmt_rslt"] == "0", again


def test_reconciliation_dates_in_the_wrong_order(sz_hospital: Hospital) -> None:
    answer = sz_hospital.call(
        "3201",
        {
            "data": {
                "insutype": "390",
                "stmt_begndate": "2026-03-02",
                "stmt_enddate": "2026-03-01",
                "medfee_sumamt": "0",
                "fund_pay_sumamt": "0",
                "fixmedins_setl_cnt": 0,
            }
        },
    )
    assert answer["infcode"] == -2 and "stmt_enddate" in answer["err_msg"]
