"""Money in fen: parsing yuan, rounding rules, exact ratios."""

from __future__ import annotations

from fractions import Fraction

import pytest

from jingban.engine.money import (
    MoneyError,
    Rounding,
    apply_ratio,
    fen_to_yuan_text,
    format_ratio,
    format_yuan,
    parse_yuan,
    to_ratio,
    yuan_to_fen,
)


@pytest.mark.parametrize(
    ("text", "fen"),
    [("0", 0), ("12", 1200), ("12.3", 1230), ("12.34", 1234), (" 7.05 ", 705), ("0.01", 1)],
)
def test_parse_yuan(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "money.empty"),
        ("-1", "money.negative"),
        ("1.234", "money.too_precise"),
        ("abc", "money.not_a_number"),
        ("1,000", "money.not_a_number"),
        ("1e3", "money.not_a_number"),
        ("+5", "money.not_a_number"),
        ("١٢", "money.not_a_number"),
    ],
)
def test_parse_yuan_refuses(text: str, code: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_yuan(text)
    assert caught.value.code == code


def test_pack_figures_in_yuan() -> None:
    assert yuan_to_fen(1000) == 100_000
    assert yuan_to_fen(1000.5) == 100_050
    assert yuan_to_fen("0.10") == 10
    for bad in (True, None, -3, 0.001):
        with pytest.raises(MoneyError):
            yuan_to_fen(bad)


@pytest.mark.parametrize(
    ("fen", "ratio", "rounding", "expected"),
    [
        (5, Fraction(1, 2), Rounding.HALF_UP, 3),
        (5, Fraction(1, 2), Rounding.HALF_EVEN, 2),
        (7, Fraction(1, 2), Rounding.HALF_EVEN, 4),
        (5, Fraction(1, 2), Rounding.DOWN, 2),
        (222_222, Fraction(9, 10), Rounding.HALF_UP, 200_000),
        (222_222, Fraction(9, 10), Rounding.DOWN, 199_999),
        (100, Fraction(1, 3), Rounding.HALF_UP, 33),
        (200, Fraction(1, 3), Rounding.HALF_UP, 67),
        (1234, Fraction(1), Rounding.DOWN, 1234),
        (0, Fraction(13, 20), Rounding.HALF_UP, 0),
    ],
)
def test_apply_ratio(fen: int, ratio: Fraction, rounding: Rounding, expected: int) -> None:
    assert apply_ratio(fen, ratio, rounding) == expected


def test_ratios_are_exact() -> None:
    assert to_ratio(0.65) == Fraction(13, 20)
    assert to_ratio("65%") == Fraction(13, 20)
    assert to_ratio("0.1") * 3 == Fraction(3, 10)
    assert to_ratio(1) == 1
    for bad in ("x", True, "nan", "inf"):
        with pytest.raises(ValueError):
            to_ratio(bad)


def test_display() -> None:
    assert fen_to_yuan_text(123_456) == "1234.56"
    assert fen_to_yuan_text(-5) == "-0.05"
    assert format_yuan(123_456_789) == "¥1,234,567.89"
    assert format_ratio(Fraction(13, 20)) == "65%"
    assert format_ratio(Fraction(21, 40)) == "52.5%"
    assert format_ratio(Fraction(1)) == "100%"
