"""docs/hospital-interface.md's worked examples are what the interface answers: each
```json block after a ``<!-- example: NAME -->`` line is compared with a request sent here and
the answer it got (volatile values — ids, times, the person — replaced by fixed stand-ins).
``JINGBAN_WRITE_EXAMPLES=1`` rewrites the blocks instead of comparing them."""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jingban.medical.services import psn_no_of
from tests.medical.national.flows import fee, now_text, quiet_person, settle_input
from tests.medical.national.helpers import Hospital
from tests.medical.national.test_inpatient import admit

DOC = Path(__file__).resolve().parents[3] / "docs" / "hospital-interface.md"
BLOCK = re.compile(r"(<!-- example: (?P<name>[\w-]+) -->\n```json\n)(?P<body>.*?)(\n```)", re.S)

# Stand-ins for what changes from run to run or names the test's person.
STAND_INS = {
    "msgid": "H32050500001202603020900000001",
    "inf_refmsgid": "32050520260302090000a1b2c3d4e5",
    "refmsg_time": "20260302090000123",
    "respond_time": "20260302090000187",
    "inf_time": "2026-03-02 09:00:00",
    "psn_no": "0000000042",
    "psn_name": "张三",
    "certno": "320505********1234",
    "mdtrt_cert_no": "320505198001011234",
    "brdy": "1980-01-01",
    "age": 46,
    "gend": "1",
    "begntime": "2026-03-02 09:00:00",
    "endtime": "2026-03-06 16:00:00",
    "fee_ocur_time": "2026-03-02 10:00:00",
    "setl_time": "2026-03-02 09:00:00",
    "stmt_begndate": "2026-03-02",
    "stmt_enddate": "2026-03-02",
}
IDS = ("mdtrt_id", "setl_id", "medins_setl_id", "orig_setl_id", "sign_no")


class Recorder:
    def __init__(self, hospital: Hospital) -> None:
        self.hospital = hospital
        self.examples: dict[str, Any] = {}
        self.ids: dict[str, str] = {}

    def send(self, name: str, infno: str, payload: dict[str, Any], **envelope: Any) -> dict:
        body = self.hospital.envelope(infno, payload, **envelope)
        answer = self.hospital.post(body, decimals=True)
        assert answer["infcode"] == 0, answer
        self.examples[f"{name}-request"] = self._stand_in(body)
        self.examples[f"{name}-answer"] = self._stand_in(answer)
        return answer

    def _stand_in(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: self._value(key, item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._stand_in(item) for item in value]
        return value

    def _value(self, key: str, item: Any) -> Any:
        if key in STAND_INS and item not in (None, ""):
            return STAND_INS[key]
        if key in IDS and isinstance(item, str) and item:
            if item not in self.ids:
                self.ids[item] = f"{key.upper()}-{len(self.ids) + 1}"
            return self.ids[item]
        return self._stand_in(item)


_DECIMAL_MARK = "\u0000decimal:"


def _marked(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _DECIMAL_MARK + format(value, "f")
    if isinstance(value, dict):
        return {key: _marked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_marked(item) for item in value]
    return value


def _text(value: Any) -> str:
    """Indented JSON with amounts as the interface writes them (``435.50``)."""
    text = json.dumps(_marked(value), ensure_ascii=False, indent=2)
    return re.sub(r'"\\u0000decimal:(-?[0-9.]+)"', r"\1", text)


@pytest.mark.usefixtures("fake_ports")
def test_the_worked_examples_are_what_the_interface_answers(personas, sz_hospital) -> None:
    person = quiet_person()
    record = Recorder(sz_hospital)
    psn = psn_no_of(person)
    # Outpatient: register, upload the fee details, settle.
    registered = record.send(
        "outpatient-2201",
        "2201",
        {
            "data": {
                "psn_no": psn,
                "insutype": "390",
                "begntime": now_text(),
                "mdtrt_cert_type": "02",
                "mdtrt_cert_no": person.document_number,
                "ipt_otp_no": "MZ20260302001",
                "atddr_no": "D001",
                "dr_name": "张医生",
                "dept_code": "A01",
                "dept_name": "内科",
                "caty": "A03",
                "med_type": "11",
            }
        },
    )
    mdtrt_id = registered["output"]["data"]["mdtrt_id"]
    ids = {"mdtrt_id": mdtrt_id, "psn_no": psn}
    record.send(
        "outpatient-2204",
        "2204",
        {
            "feedetail": [
                {**fee("1", "A0001", "100.00", "2", "200.00"), **ids},
                {**fee("2", "A0002", "50.00", "4", "200.00"), **ids},
                {**fee("3", "C0001", "35.50", "1", "35.50"), **ids},
            ]
        },
    )
    record.send("outpatient-2207", "2207", settle_input(person, mdtrt_id, "435.50"))
    # Inpatient: admit, upload, discharge, settle.
    stay = admit(sz_hospital, person, "ZY20260302001")
    ids = {"mdtrt_id": stay, "psn_no": psn}
    record.send(
        "inpatient-2301",
        "2301",
        {
            "feedetail": [
                {**fee("1", "A1001", "3000.00", "1", "3000.00"), **ids},
                {**fee("2", "L1001", "500.00", "2", "1000.00"), **ids},
                {**fee("3", "C1001", "500.00", "1", "500.00"), **ids},
            ]
        },
    )
    sz_hospital.call("2402", {"dscginfo": {**ids, "endtime": now_text(16), "dise_codg": "J18.900"}})
    body = settle_input(person, stay, "4500.00", med_type="21", mid_setl_flag="0")
    body["data"].pop("chrg_bchno")
    record.send("inpatient-2304", "2304", body)

    text = DOC.read_text(encoding="utf-8")
    found = {m.group("name") for m in BLOCK.finditer(text)}
    assert found == set(record.examples), "docs/hospital-interface.md's example blocks"
    if os.environ.get("JINGBAN_WRITE_EXAMPLES") == "1":
        DOC.write_text(
            BLOCK.sub(
                lambda m: m.group(1) + _text(record.examples[m.group("name")]) + m.group(4), text
            ),
            encoding="utf-8",
        )
        return
    for match in BLOCK.finditer(text):
        expected = json.loads(match.group("body"), parse_float=Decimal)
        assert expected == record.examples[match.group("name")], match.group("name")
