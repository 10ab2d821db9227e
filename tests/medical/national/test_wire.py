"""Amounts, dates and JSON on the wire: exact conversion between yuan and fen."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from jingban.medical.national.wire import (
    FieldProblem,
    dumps,
    fen_to_yuan,
    loads,
    parse_date,
    parse_datetime,
    quantity,
    yuan_to_fen,
)

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (Decimal("0.01"), 1),
        (Decimal("123.45"), 12345),
        (Decimal("100.10"), 10010),
        (100, 10000),
        ("88.8", 8880),
        (" 0 ", 0),
        (Decimal("99999999999999.99"), 9999999999999999),
        (0.29, 29),  # a float that is not exactly 0.29 in binary still means 29 fen
    ],
)
def test_yuan_converts_exactly_to_fen(value: object, fen: int) -> None:
    assert yuan_to_fen(value, "medfee_sumamt") == fen


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (Decimal("-0.01"), "不能为负数"),
        ("-5", "不能为负数"),
        ("12.345", "最多两位小数"),
        (Decimal("0.001"), "最多两位小数"),
        ("abc", "必须是以元为单位的金额"),
        ("1e3", "必须是以元为单位的金额"),
        ("", "必须是以元为单位的金额"),
        (True, "必须是以元为单位的金额"),
        (None, "必须是以元为单位的金额"),
        ([1], "必须是以元为单位的金额"),
        ("NaN", "必须是以元为单位的金额"),
        (Decimal("100000000000000"), "金额过大"),
    ],
)
def test_bad_amounts_name_the_field(value: object, problem: str) -> None:
    with translation.override("zh-hans"), pytest.raises(FieldProblem) as caught:
        yuan_to_fen(value, "medfee_sumamt")
    assert caught.value.field == "medfee_sumamt"
    assert caught.value.message == problem


def test_fen_leave_as_two_decimals() -> None:
    assert str(fen_to_yuan(12330)) == "123.30"
    assert str(fen_to_yuan(0)) == "0.00"
    assert str(fen_to_yuan(-5)) == "-0.05"
    assert str(fen_to_yuan(1)) == "0.01"


def test_round_trip_through_json_keeps_every_fen() -> None:
    for fen in (0, 1, 9, 10, 99, 100, 12345, 987654321, 2**53 + 1):
        text = dumps({"hifp_pay": fen_to_yuan(fen)})
        assert yuan_to_fen(loads(text.encode())["hifp_pay"], "hifp_pay") == fen


def test_json_writes_amounts_with_two_decimals_and_chinese_as_is() -> None:
    text = dumps(
        {
            "a": fen_to_yuan(1230),
            "b": [1, None, True, "苏州"],
            "c": dt.date(2026, 3, 2),
            "d": dt.datetime(2026, 3, 2, 9, 5, 7),
        }
    )
    assert text == '{"a":12.30,"b":[1,null,true,"苏州"],"c":"2026-03-02","d":"2026-03-02 09:05:07"}'
    assert json.loads(text)["a"] == 12.3


def test_quantities_and_dates() -> None:
    assert quantity("2.5", "cnt") == Decimal("2.5")
    with pytest.raises(FieldProblem):
        quantity("0", "cnt")
    with pytest.raises(FieldProblem):
        quantity("1.00001", "cnt")
    assert parse_datetime("2026-03-02 09:00:00", "begntime", TZ) == dt.datetime(
        2026, 3, 2, 9, tzinfo=TZ
    )
    with pytest.raises(FieldProblem) as caught:
        parse_datetime("02/03/2026", "begntime", TZ)
    assert caught.value.field == "begntime"
    assert parse_date("2026-03-31", "stmt_enddate") == dt.date(2026, 3, 31)
    with pytest.raises(FieldProblem):
        parse_date("2026-02-30", "stmt_enddate")
