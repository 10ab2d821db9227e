"""jingban's own REST operations for direct settlement: the whole flow through the one service,
scoped reads, errors naming the field."""

from __future__ import annotations

import json

import pytest

from jingban.medical.models import Settlement
from jingban.medical.services import psn_no_of

pytestmark = pytest.mark.django_db


def post(client, path: str, body: dict) -> tuple[int, dict]:
    response = client.post(path, data=json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_the_whole_outpatient_flow(fake_ports, personas):
    hospital_staff = personas.client("renmin")
    chen = personas.own_person
    status, visit = post(
        hospital_staff,
        "/api/v1/medical/visits",
        {
            "mdtrt_cert_type": "02",
            "mdtrt_cert_no": chen.document_number,
            "insutype": "390",
            "med_type": "11",
            "ipt_otp_no": "API-1",
        },
    )
    assert status == 201, visit
    assert visit["psn_no"] == psn_no_of(chen) and visit["institution"] == "SZ-HOSP-1"
    base = f"/api/v1/medical/visits/{visit['visit_id']}"
    status, lines = post(
        hospital_staff,
        f"{base}/fee-lines",
        {
            "lines": [
                {
                    "feedetl_sn": "1",
                    "med_list_codg": "A01",
                    "cnt": "2",
                    "pric": 5000,
                    "det_item_fee_sumamt": 10000,
                },
                {
                    "feedetl_sn": "2",
                    "med_list_codg": "C01",
                    "cnt": "1",
                    "pric": 700,
                    "det_item_fee_sumamt": 700,
                },
            ]
        },
    )
    assert status == 201, lines
    assert [ln["chrgitm_lv"] for ln in lines["lines"]] == ["01", "03"]
    status, preview = post(hospital_staff, f"{base}/preview", {})
    assert status == 200, preview
    assert preview["settlement_id"] is None and preview["medfee_sumamt"] == 10700
    count = Settlement.objects.count()
    status, wrong = post(hospital_staff, f"{base}/settle", {"medfee_sumamt": 10000})
    assert status == 400 and "medfee_sumamt" in wrong["fields"]
    assert Settlement.objects.count() == count
    status, settled = post(hospital_staff, f"{base}/settle", {"medfee_sumamt": 10700})
    assert status == 201, settled
    assert settled["fund_pay_sumamt"] == preview["fund_pay_sumamt"]
    assert settled["psn_cash_pay"] == 10700 - settled["fund_pay_sumamt"]
    assert (
        settled["psn_name_masked"].startswith(chen.name[:1]) and "*" in settled["psn_name_masked"]
    )
    assert any("统筹基金" in text for text in settled["explanation"])
    detail = hospital_staff.get(f"/api/v1/medical/settlements/{settled['settlement_id']}").json()
    assert (
        detail["setl_id"] == settled["setl_id"] and detail["explanation"] == settled["explanation"]
    )
    # Scope: the bureau sees it, chen sees her own, another institution's staff do not.
    assert (
        personas.client("wang")
        .get(f"/api/v1/medical/settlements/{settled['settlement_id']}")
        .status_code
        == 200
    )
    assert (
        personas.client("chen")
        .get(f"/api/v1/medical/settlements/{settled['settlement_id']}")
        .status_code
        == 403
    )
    assert (
        personas.client("kangning")
        .get(f"/api/v1/medical/settlements/{settled['settlement_id']}")
        .status_code
        == 404
    )
    listed = hospital_staff.get("/api/v1/medical/settlements?status=settled").json()
    assert settled["setl_id"] in {r["setl_id"] for r in listed["results"]}
    status, reversal = post(
        hospital_staff, f"/api/v1/medical/settlements/{settled['settlement_id']}/cancel", {}
    )
    assert status == 201, reversal
    assert reversal["medfee_sumamt"] == -10700 and reversal["orig_setl_id"] == settled["setl_id"]


def test_bureau_names_the_institution_and_errors_name_the_field(fake_ports, personas):
    wang = personas.client("wang")
    status, body = post(
        wang,
        "/api/v1/medical/visits",
        {
            "psn_no": psn_no_of(personas.in_scope_person),
            "insutype": "390",
            "med_type": "11",
            "ipt_otp_no": "B1",
        },
    )
    assert status == 400 and "fixmedins_code" in body["fields"]
    status, body = post(
        wang,
        "/api/v1/medical/visits",
        {
            "fixmedins_code": "SZ-HOSP-1",
            "psn_no": psn_no_of(personas.in_scope_person),
            "insutype": "390",
            "med_type": "11",
            "ipt_otp_no": "B1",
        },
    )
    assert status == 201, body
    # Nanjing's hospital is outside wang's region.
    status, body = post(
        wang,
        "/api/v1/medical/visits",
        {
            "fixmedins_code": "NJ-HOSP-1",
            "psn_no": psn_no_of(personas.in_scope_person),
            "insutype": "390",
            "med_type": "21",
            "ipt_otp_no": "B2",
        },
    )
    assert status == 403 and body["code"] == "medical.wrong_institution"
    # Reviewers may read but not settle.
    status, body = post(
        personas.client("sun"),
        "/api/v1/medical/visits",
        {
            "fixmedins_code": "SZ-HOSP-1",
            "psn_no": "1",
            "insutype": "390",
            "med_type": "11",
            "ipt_otp_no": "B3",
        },
    )
    assert status == 403
