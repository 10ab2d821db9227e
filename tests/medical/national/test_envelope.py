"""The common envelope: what is required, what is ignored, how an answer looks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from jingban.medical.national.envelope import answer, parse_envelope, problem_message
from jingban.medical.national.wire import FieldProblem

BASE = {
    "infno": "9001",
    "msgid": "H32050500001202603020900000001",
    "fixmedins_code": "X",
    "input": {},
}


def test_unknown_fields_are_ignored_and_known_ones_read() -> None:
    envelope = parse_envelope(
        {**BASE, "cainfo": "whatever", "dev_safe_info": {"nested": 1}, "insuplc_admdvs": "320500"}
    )
    assert envelope.infno == "9001"
    assert envelope.insuplc_admdvs == "320500"
    assert envelope.input == {}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"infno": None}, "infno", "必填"),
        ({"infno": "90"}, "infno", "必须是四位数字的交易编号"),
        ({"msgid": ""}, "msgid", "必填"),
        ({"msgid": "x" * 31}, "msgid", "最多30位字母或数字"),
        ({"fixmedins_code": None}, "fixmedins_code", "必填"),
        ({"insuplc_admdvs": "3205"}, "insuplc_admdvs", "必须是六位行政区划代码"),
        ({"input": []}, "input", "必须是JSON对象"),
    ],
)
def test_a_missing_or_malformed_field_is_named(change: dict, field: str, message: str) -> None:
    with translation.override("zh-hans"), pytest.raises(FieldProblem) as caught:
        parse_envelope({**BASE, **change})
    assert caught.value.field == field
    assert caught.value.message == message
    with translation.override("zh-hans"):
        assert problem_message(caught.value) == f"字段 {field}：{message}"


def test_answer_has_every_envelope_field() -> None:
    received = dt.datetime(2026, 3, 2, 9, 0, 0, 123000)
    out = answer(
        infcode=-2, output=None, received=received, now=received, admdvs="320505", err_msg="错"
    )
    assert set(out) == {
        "infcode",
        "inf_refmsgid",
        "refmsg_time",
        "respond_time",
        "err_msg",
        "warn_msg",
        "output",
    }
    assert out["refmsg_time"] == "20260302090000123"
    assert out["inf_refmsgid"].startswith("32050520260302090000")
    assert out["output"] == {} and out["err_msg"] == "错" and out["warn_msg"] is None
