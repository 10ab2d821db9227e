"""Co-insurance (联合承保) arithmetic: one amount split among the insurers of a product by their
shares, to the fen, so that no fen is lost or created.

The rule is the largest remainder (Hamilton's method): each insurer first gets the floor of
``amount × share``; the fen left over go one each to the insurers with the largest fractional
remainders; equal remainders go in the panel's order (the chief insurer is listed first). A
negative amount (a refund, a reversed claim) is split as its absolute value and negated, so a
reversal undoes its original exactly, insurer by insurer.

Shares are exact fractions of one (``Decimal`` or ``Fraction``), and they must add up to one
exactly: ``check_shares`` says which rule a panel breaks.

Apps that sell a co-insured product report its premiums and claims as ``CoinsuredItem``s through
their plugin's ``extra["coinsured_items"]`` (see ``jingban.coinsurance``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from jingban.engine.errors import CodedError

Share = Decimal | Fraction | int

ItemKind = Literal["premium", "claim"]


@dataclass(frozen=True)
class CoinsuredItem:
    """One premium or claim of a co-insured product, in fen (negative for a refund or reversal).

    ``product`` is the product's pack id; ``ref`` identifies the item in its app (unique per
    product and kind, stable across runs: a statement lists it); ``day`` is the day it counts
    on (the premium's payment day, the claim's payment day)."""

    product: str
    kind: ItemKind
    ref: str
    day: dt.date
    amount: int


class SharesInvalid(CodedError):
    """A panel of shares that does not split amounts: empty, a share not above zero, or a sum
    other than exactly one."""


def _fraction(share: Share) -> Fraction:
    return Fraction(share)


def check_shares(shares: Sequence[Share]) -> None:
    """Raise ``SharesInvalid`` unless the shares are positive and add up to exactly one."""
    if not shares:
        raise SharesInvalid("coinsurance.shares_empty", "a panel needs at least one insurer")
    fractions = [_fraction(s) for s in shares]
    for position, share in enumerate(fractions):
        if share <= 0:
            raise SharesInvalid(
                "coinsurance.share_not_positive",
                f"share {position + 1} is {float(share):.6g}, not above zero",
                position=position + 1,
            )
    total = sum(fractions, Fraction(0))
    if total != 1:
        raise SharesInvalid(
            "coinsurance.shares_not_whole",
            f"the shares add up to {float(total * 100):.6g} %, not 100 %",
            percent=str(Decimal(total.numerator * 100) / Decimal(total.denominator)),
        )


def split(amount: int, shares: Sequence[Share]) -> tuple[int, ...]:
    """``amount`` fen split by ``shares`` (largest remainder; ties in the panel's order). The
    parts add up to ``amount`` exactly; ``check_shares`` must hold."""
    check_shares(shares)
    if amount < 0:
        return tuple(-part for part in split(-amount, shares))
    fractions = [_fraction(s) for s in shares]
    exact = [amount * share for share in fractions]
    parts = [int(value) for value in exact]  # floor: the values are not negative
    left = amount - sum(parts)
    # The largest remainders first; a stable sort keeps the panel's order between equals.
    order = sorted(range(len(parts)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[:left]:
        parts[i] += 1
    return tuple(parts)
