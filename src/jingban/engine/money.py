"""Money in integer fen (分), ratios as exact fractions, and the named rounding rules.

Every amount the engine handles is an ``int`` of fen. A ratio (a payment share, a rate) is a
``fractions.Fraction`` built from the decimal written in the pack, so 0.65 is exactly 13/20 and
no binary float ever touches money. Multiplying fen by a ratio is the one place rounding happens,
and the pack names the rule.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from jingban.engine.errors import CodedError

FEN_PER_YUAN = 100
ZERO = Fraction(0)
ONE = Fraction(1)

_YUAN = re.compile(r"^(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?$")


class Rounding(StrEnum):
    """How a fraction of a fen becomes a whole fen."""

    HALF_UP = "half_up"  # 四舍五入: 0.5 fen and above rounds up
    HALF_EVEN = "half_even"  # banker's rounding: a tie goes to the even fen
    DOWN = "down"  # truncation: a payment never exceeds the exact share


class MoneyError(CodedError):
    """A text that is not an amount of yuan."""


def parse_yuan(text: str) -> int:
    """Parse an amount of yuan written with at most two decimals into fen.

    Refuses an empty text, a sign, thousands separators, exponents and a third decimal, so a
    figure is never silently rounded on the way in.
    """
    value = text.strip()
    if not value:
        raise MoneyError("money.empty", "an amount is required")
    if value.startswith("-"):
        raise MoneyError("money.negative", f"{value!r} is negative")
    match = _YUAN.match(value)
    if match is None:
        raise MoneyError("money.not_a_number", f"{value!r} is not an amount of yuan")
    frac = match["frac"] or ""
    if len(frac) > 2:
        raise MoneyError("money.too_precise", f"{value!r} has more than two decimals")
    return int(match["int"]) * FEN_PER_YUAN + int((frac + "00")[:2])


def yuan_to_fen(value: object) -> int:
    """A pack figure (int, float written in YAML, or text) in yuan, as fen."""
    if isinstance(value, bool):
        raise MoneyError("money.not_a_number", f"{value!r} is not an amount of yuan")
    if isinstance(value, int):
        if value < 0:
            raise MoneyError("money.negative", f"{value} is negative")
        return value * FEN_PER_YUAN
    if isinstance(value, float):
        # YAML hands 1000.5 over as a float; its shortest repr is the text that was written.
        return parse_yuan(repr(value))
    if isinstance(value, str):
        return parse_yuan(value)
    raise MoneyError("money.not_a_number", f"{value!r} is not an amount of yuan")


def to_ratio(value: object) -> Fraction:
    """A pack ratio (0.65, "0.65" or "65%") as an exact fraction."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a ratio")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    text = repr(value) if isinstance(value, float) else str(value).strip()
    percent = text.endswith("%")
    try:
        number = Decimal(text[:-1] if percent else text)
    except InvalidOperation as err:
        raise ValueError(f"{value!r} is not a ratio") from err
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a ratio")
    ratio = Fraction(number)
    return ratio / 100 if percent else ratio


def apply_ratio(fen: int, ratio: Fraction, rounding: Rounding) -> int:
    """``fen × ratio`` rounded to a whole fen by ``rounding`` (for fen ≥ 0 and ratio ≥ 0)."""
    num = fen * ratio.numerator
    den = ratio.denominator
    if den == 1:
        return num
    if rounding is Rounding.DOWN:
        return num // den
    quotient, remainder = divmod(num, den)
    twice = 2 * remainder
    if twice > den or (twice == den and (rounding is Rounding.HALF_UP or quotient % 2 == 1)):
        return quotient + 1
    return quotient


def round_fraction(value: Fraction, rounding: Rounding) -> int:
    """A non-negative exact amount of fen rounded to a whole fen."""
    return apply_ratio(1, value, rounding) if value >= 0 else -apply_ratio(1, -value, rounding)


def fen_to_yuan_text(fen: int) -> str:
    """Fen as plain yuan with two decimals (``123456`` → ``"1234.56"``), for files."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}.{part:02d}"


def format_yuan(fen: int) -> str:
    """Fen for display: ``¥1,234.56``."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}¥{whole:,}.{part:02d}"


def format_ratio(ratio: Fraction) -> str:
    """A ratio as a percentage with no needless decimals: 13/20 → ``65%``, 0.525 → ``52.5%``."""
    percent = Decimal(ratio.numerator * 100) / Decimal(ratio.denominator)
    text = format(percent.normalize(), "f")
    return f"{text}%"
