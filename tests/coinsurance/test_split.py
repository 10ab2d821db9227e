"""The split, as a property: for any amount (negative, 0, 1 fen, large) and any panel of
positive shares adding up to 100 % (up to four decimals, up to 11 insurers, repeating decimals
such as 1/3 or 1/11), the insurers' parts add up to the amount to the fen, each part is within
one fen of its exact share, a negative amount is the mirror of the positive one, and ties go to
the panel's order."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from jingban.engine.coinsurance import split

amounts = st.integers(min_value=-(10**12), max_value=10**12) | st.sampled_from(
    [0, 1, -1, 2, 10, 11]
)


@st.composite
def panels(draw: st.DrawFn) -> list[Decimal]:
    """Shares in percent with up to four decimals, positive, adding up to exactly 100."""
    count = draw(st.integers(min_value=1, max_value=11))
    # Cut 1_000_000 ten-thousandths of a percent into ``count`` positive pieces.
    cuts = sorted(draw(st.sets(st.integers(1, 999_999), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 1_000_000]
    return [Decimal(b - a) / Decimal(10_000) for a, b in itertools.pairwise(bounds)]


def _fractions(percents: list[Decimal]) -> list[Fraction]:
    return [Fraction(p) / 100 for p in percents]


@settings(max_examples=3000, deadline=None)
@given(amount=amounts, percents=panels())
def test_parts_add_up_to_the_amount_to_the_fen(amount: int, percents: list[Decimal]) -> None:
    shares = _fractions(percents)
    parts = split(amount, shares)
    assert len(parts) == len(shares)
    assert sum(parts) == amount
    for part, share in zip(parts, shares, strict=True):
        assert abs(part - amount * share) < 1
    assert split(-amount, shares) == tuple(-p for p in parts)


@settings(max_examples=1000, deadline=None)
@given(amount=amounts, count=st.integers(min_value=1, max_value=11))
def test_equal_repeating_shares_add_up_and_favour_the_first(amount: int, count: int) -> None:
    """1/3, 1/7, 1/11 …: shares no decimal writes exactly."""
    parts = split(amount, [Fraction(1, count)] * count)
    assert sum(parts) == amount
    assert max(parts) - min(parts) <= 1
    # The leftover fen go in the panel's order: the parts never grow along the panel.
    magnitudes = [abs(p) for p in parts]
    assert magnitudes == sorted(magnitudes, reverse=True)


def test_one_fen_goes_to_the_largest_share_and_ties_to_the_chief() -> None:
    assert split(1, [Fraction(3, 10), Fraction(7, 10)]) == (0, 1)
    assert split(1, [Fraction(1, 2), Fraction(1, 2)]) == (1, 0)
    assert split(-1, [Fraction(1, 2), Fraction(1, 2)]) == (-1, 0)
    assert split(0, [Fraction(1, 11)] * 11) == (0,) * 11
    assert split(100, [Fraction(1, 3)] * 3) == (34, 33, 33)
