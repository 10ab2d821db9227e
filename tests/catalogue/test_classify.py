"""Classification of fee details through catalogue rules (``classify_with``, no database): each
class, the price limit, the visit types, an unknown code, bad lines, and conservation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jingban.catalogue.classify import (
    FeeLine,
    FeeLineInvalid,
    ItemRule,
    classify_with,
)
from jingban.engine.codes import VisitType

RULES = {
    "A1": ItemRule("A1", "阿莫西林胶囊", "A"),
    "B10": ItemRule("B10", "头孢克肟片", "B", first_pay_rate=Fraction(1, 10)),
    "B5": ItemRule("B5", "伊马替尼片", "B", first_pay_rate=Fraction(5, 100), price_limit=1300),
    "C1": ItemRule("C1", "维生素C咀嚼片", "C"),
    "N1": ItemRule("N1", "辅酶Q10胶囊", "none"),
    "BED": ItemRule(
        "BED", "床位费（单人间）", "A", price_limit=5000, visit_types=frozenset({"inpatient"})
    ),
    "INP": ItemRule(
        "INP",
        "注射用美罗培南",
        "B",
        first_pay_rate=Fraction(1, 5),
        visit_types=frozenset({"inpatient"}),
    ),
}


def line(line_id: str, code: str, quantity: str, price: int, amount: int | None = None) -> FeeLine:
    q = Decimal(quantity)
    total = amount if amount is not None else int(q * price)
    return FeeLine(line_id, code, code, q, price, total)


def run(*lines: FeeLine, visit: VisitType = VisitType.INPATIENT):  # type: ignore[no-untyped-def]
    return classify_with(lines, RULES, visit_type=visit, version="v-test")


def test_class_a_is_wholly_in_scope() -> None:
    result = run(line("1", "A1", "24", 50))
    (only,) = result.lines
    assert (only.category, only.inscp, only.fulamt_ownpay, only.preselfpay) == ("A", 1200, 0, 0)
    assert (result.total, result.inscp_scp_amt, result.class_b) == (1200, 1200, 0)


def test_class_b_pays_its_own_first_rate() -> None:
    # 6 × 3.50 = 21.00; 10 % first payment = 2.10.
    result = run(line("1", "B10", "6", 350))
    (only,) = result.lines
    assert (only.preselfpay, only.inscp) == (210, 1890)
    assert (result.class_b, result.preselfpay_amt, result.inscp_scp_amt) == (2100, 210, 1890)


def test_class_b_first_pay_rounds_half_up_per_line() -> None:
    # 0.35 × 10 % = 0.035 yuan = 3.5 fen → 4 fen; two such lines → 8 fen, not 7.
    result = run(line("1", "B10", "1", 35), line("2", "B10", "1", 35))
    assert [c.preselfpay for c in result.lines] == [4, 4]
    assert result.preselfpay_amt == 8


def test_class_c_and_outside_are_fully_self_paid() -> None:
    result = run(line("1", "C1", "2", 1000), line("2", "N1", "1", 8800))
    assert [c.fulamt_ownpay for c in result.lines] == [2000, 8800]
    assert [c.reason for c in result.lines] == ["class_c", "outside"]
    assert result.fulamt_ownpay_amt == 10_800
    assert result.inscp_scp_amt == 0


def test_above_the_price_limit_is_the_persons_and_the_rest_is_classified() -> None:
    # 伊马替尼: 30 tablets at 15.00, limit 13.00 → 60.00 above the limit; 390.00 allowed, 5 %.
    result = run(line("1", "B5", "30", 1500))
    (only,) = result.lines
    assert only.overlmt == 6000
    assert only.preselfpay == 1950
    assert only.inscp == 39_000 - 1950
    assert only.reason == "over_limit"
    assert only.warning is not None and "¥13.00" in only.warning and "¥60.00" in only.warning
    assert result.overlmt_selfpay == 6000
    assert result.class_b == 39_000


def test_a_single_room_above_the_bed_limit() -> None:
    result = run(line("1", "BED", "3", 15000))
    (only,) = result.lines
    assert (only.overlmt, only.inscp) == (30_000, 15_000)


def test_an_item_not_covered_for_the_visit_type_is_fully_self_paid_with_the_reason() -> None:
    result = run(line("1", "INP", "2", 10000), visit=VisitType.OUTPATIENT_GENERAL)
    (only,) = result.lines
    assert (only.fulamt_ownpay, only.preselfpay, only.inscp) == (20_000, 0, 0)
    assert only.reason == "not_covered"
    assert only.warning and "注射用美罗培南" in only.warning
    assert result.class_b == 0
    # The same item in an admission is covered.
    assert run(line("1", "INP", "2", 10000)).lines[0].preselfpay == 4000


def test_an_unknown_code_is_fully_self_paid_with_a_warning_not_an_error() -> None:
    result = run(line("1", "XUNKNOWN", "1", 999))
    (only,) = result.lines
    assert (only.category, only.fulamt_ownpay, only.reason) == ("none", 999, "unknown_code")
    assert only.warning is not None and "XUNKNOWN" in only.warning and "v-test" in only.warning


def test_a_fractional_quantity_rounds_to_the_fen() -> None:
    # 0.5 box at 3.33 = 1.665 → 1.67.
    result = run(FeeLine("1", "A1", "", Decimal("0.5"), 333, 167))
    assert result.total == 167


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (FeeLine("1", "A1", "", Decimal(2), 50, 101), "amount"),
        (FeeLine("1", "A1", "", Decimal(2), -50, -100), "price"),
        (FeeLine("1", "A1", "", Decimal(-2), 50, 100), "quantity"),
        (FeeLine("1", "A1", "", Decimal(0), 50, 0), "quantity"),
        (FeeLine("1", "A1", "", Decimal("NaN"), 50, 100), "quantity"),
        (FeeLine("1", "A1", "", "abc", 50, 100), "quantity"),  # type: ignore[arg-type]
        (FeeLine("1", "A1", "", Decimal(1), "50", 50), "price"),  # type: ignore[arg-type]
        (FeeLine("1", "", "", Decimal(1), 50, 50), "code"),
        (FeeLine("", "A1", "", Decimal(1), 50, 50), "line_id"),
    ],
)
def test_a_bad_line_is_refused_naming_it(bad: FeeLine, field: str) -> None:
    good = line("0", "A1", "1", 10)
    with pytest.raises(FeeLineInvalid) as caught:
        run(good, bad)
    assert caught.value.field == field
    assert caught.value.code == "fee_line.invalid"
    assert field in caught.value.fields


def test_a_line_id_given_twice_is_refused() -> None:
    with pytest.raises(FeeLineInvalid) as caught:
        run(line("7", "A1", "1", 10), line("7", "C1", "1", 10))
    assert caught.value.line_id == "7"
    assert "7" in str(caught.value.message)


_CODES = st.sampled_from([*RULES, "UNKNOWN"])


@st.composite
def fee_lines(draw: st.DrawFn) -> list[FeeLine]:
    count = draw(st.integers(1, 8))
    lines = []
    for index in range(count):
        quantity = Decimal(draw(st.integers(1, 4000))) / Decimal(
            draw(st.sampled_from([1, 2, 4, 100]))
        )
        price = draw(st.integers(0, 2_000_000))
        amount = int((Fraction(quantity) * price + Fraction(1, 2)) // 1)
        lines.append(FeeLine(str(index), draw(_CODES), "", quantity, price, amount))
    return lines


@given(lines=fee_lines(), visit=st.sampled_from(list(VisitType)))
def test_every_line_and_the_total_are_conserved(lines: list[FeeLine], visit: VisitType) -> None:
    result = classify_with(lines, RULES, visit_type=visit, version="v")
    for c in result.lines:
        assert c.fulamt_ownpay + c.overlmt + c.preselfpay + c.inscp == c.amount
        assert min(c.fulamt_ownpay, c.overlmt, c.preselfpay, c.inscp) >= 0
        if c.category in ("C", "none"):
            assert c.fulamt_ownpay == c.amount
        if c.category != "B":
            assert c.preselfpay == 0
    assert result.total == sum(line.amount for line in lines)
    assert (
        result.fulamt_ownpay_amt
        + result.overlmt_selfpay
        + result.preselfpay_amt
        + result.inscp_scp_amt
        == result.total
    )
    assert result.preselfpay_amt <= result.class_b <= result.total - result.out_of_scope
