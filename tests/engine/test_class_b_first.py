"""乙类先行自付 computed item by item by the catalogue (``Claim.class_b_first``): the engine
takes it instead of ``class_b`` × the pack's rate, refuses one above ``class_b``, and keeps
conservation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jingban.engine.codes import VisitType
from jingban.engine.medical.cascade import adjudicate
from jingban.engine.medical.claim import Claim, ClaimInvalid
from tests.engine.packs import shipped

PACK = shipped("sample-resident-2025")


def _claim(**changes: object) -> Claim:
    values: dict[str, object] = {
        "claim_id": "c1",
        "person_id": "p1",
        "visit_type": VisitType.INPATIENT,
        "hospital_level": 3,
        "service_date": dt.date(2025, 3, 1),
        "total": 6_000_000,
        "out_of_scope": 500_000,
        "class_b": 2_000_000,
    }
    values.update(changes)
    return Claim(**values)  # type: ignore[arg-type]


def _line(result, code: str):  # type: ignore[no-untyped-def]
    return next(line for line in result.lines if line.layer == "scope" and line.code == code)


def test_without_class_b_first_the_pack_rate_applies() -> None:
    result = adjudicate(_claim(), [PACK])
    first = _line(result, "class_b_first")
    assert first.amount == 200_000  # 20,000 yuan × 10 %
    assert "10%" in first.texts.rule_zh


def test_class_b_first_from_the_catalogue_replaces_the_pack_rate() -> None:
    # The catalogue found 1,500 yuan of first payment (items at 5 % and 15 %).
    result = adjudicate(_claim(class_b_first=150_000), [PACK])
    first = _line(result, "class_b_first")
    assert first.amount == 150_000
    assert first.base == 2_000_000
    assert first.texts.rule_zh == "乙类项目逐项按目录先行自付比例"
    in_scope = _line(result, "in_scope")
    assert in_scope.amount == 6_000_000 - 500_000 - 150_000
    # Basic fund: (53,500 − 800) × 65 % = 34,255 yuan.
    assert result.basic_fund == 3_425_500
    assert result.paid + result.out_of_pocket == result.total


def test_zero_class_b_first_is_taken_as_given() -> None:
    result = adjudicate(_claim(class_b_first=0), [PACK])
    assert _line(result, "class_b_first").amount == 0
    assert _line(result, "in_scope").amount == 5_500_000


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"class_b_first": 2_000_001}, "claim.class_b_first_above_class_b"),
        ({"class_b": 0, "class_b_first": 1}, "claim.class_b_first_above_class_b"),
        ({"class_b_first": -1}, "money.negative"),
    ],
)
def test_class_b_first_that_contradicts_the_claim_is_refused(
    changes: dict[str, object], code: str
) -> None:
    with pytest.raises(ClaimInvalid) as caught:
        adjudicate(_claim(**changes), [PACK])
    assert caught.value.code == code
    assert caught.value.field == "class_b_first"


@given(
    total=st.integers(0, 50_000_000),
    out_share=st.fractions(0, 1),
    b_share=st.fractions(0, 1),
    first_share=st.fractions(0, 1),
)
def test_conservation_with_any_class_b_first(total, out_share, b_share, first_share) -> None:  # type: ignore[no-untyped-def]
    out = int(total * out_share)
    class_b = int((total - out) * b_share)
    first = int(class_b * first_share)
    result = adjudicate(
        _claim(total=total, out_of_scope=out, class_b=class_b, class_b_first=first), [PACK]
    )
    assert _line(result, "class_b_first").amount == first
    assert (
        result.basic_fund
        + result.critical_illness
        + result.medical_assistance
        + (result.supplementary)
        + result.out_of_pocket
        == total
    )
    assert min(result.basic_fund, result.critical_illness, result.out_of_pocket) >= 0
