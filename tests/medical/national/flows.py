"""Whole flows over the interface, as a hospital system sends them: the input nodes of each
transaction for an outpatient and an inpatient case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jingban.medical.services import psn_no_of
from jingban.registry.models import Person
from tests.medical.national.helpers import Hospital


def now_text(hour: int = 9) -> str:
    return f"{timezone.localdate():%Y-%m-%d} {hour:02d}:00:00"


def fee(sn: str, code: str, price: str, cnt: str, amount: str, **ids: str) -> dict[str, Any]:
    return {
        "feedetl_sn": sn,
        "chrg_bchno": "B1",
        "rx_circ_flag": "0",
        "fee_ocur_time": now_text(10),
        "med_list_codg": code,
        "medins_list_codg": f"H-{code}",
        "medins_list_name": f"项目{sn}",
        "det_item_fee_sumamt": amount,
        "cnt": cnt,
        "pric": price,
        "bilg_dept_codg": "A01",
        "bilg_dept_name": "内科",
        "bilg_dr_codg": "D001",
        "bilg_dr_name": "张医生",
        "hosp_appr_flag": "0",
        **ids,
    }


def register(hospital: Hospital, person: Person, number: str, med_type: str = "11") -> str:
    answer = hospital.call(
        "2201",
        {
            "data": {
                "psn_no": psn_no_of(person),
                "insutype": "390",
                "begntime": now_text(),
                "mdtrt_cert_type": "02",
                "mdtrt_cert_no": person.document_number,
                "ipt_otp_no": number,
                "atddr_no": "D001",
                "dr_name": "张医生",
                "dept_code": "A01",
                "dept_name": "内科",
                "caty": "A03",
                "med_type": med_type,
            }
        },
    )
    assert answer["infcode"] == 0, answer
    mdtrt_id: str = answer["output"]["data"]["mdtrt_id"]
    return mdtrt_id


def upload(hospital: Hospital, person: Person, mdtrt_id: str, lines: list[dict]) -> dict:
    ids = {"mdtrt_id": mdtrt_id, "psn_no": psn_no_of(person)}
    return hospital.call("2204", {"feedetail": [{**line, **ids} for line in lines]})


def settle_input(person: Person, mdtrt_id: str, total: str, **change: Any) -> dict[str, Any]:
    data = {
        "psn_no": psn_no_of(person),
        "mdtrt_cert_type": "02",
        "mdtrt_cert_no": person.document_number,
        "med_type": "11",
        "medfee_sumamt": total,
        "psn_setlway": "01",
        "mdtrt_id": mdtrt_id,
        "chrg_bchno": "B1",
        "insutype": "390",
        "acct_used_flag": "0",
        **change,
    }
    return {"data": data}


def outpatient_ready(hospital: Hospital, person: Person, number: str, lines: list[dict]) -> str:
    """Registered, with fee details uploaded: ready for 2206/2207."""
    mdtrt_id = register(hospital, person, number)
    answer = upload(hospital, person, mdtrt_id, lines)
    assert answer["infcode"] == 0, answer
    return mdtrt_id


def yuan(text: Any) -> int:
    """An answer's amount (a JSON number with two decimals) in fen, exactly."""
    from decimal import Decimal

    return int(Decimal(str(text)) * 100)


def quiet_person(index: int = 0) -> Person:
    """A living Suzhou person without an account and without any visit: the demo world's
    settlements are of other persons, so this one's accumulators start at zero."""
    return (
        Person.objects.filter(
            region__path__contains="320500/",
            account__isnull=True,
            death_date__isnull=True,
            visits__isnull=True,
        )
        .select_related("region")
        .order_by("pk")[index]
    )


def today() -> dt.date:
    return timezone.localdate()
