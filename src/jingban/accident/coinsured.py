"""C3: the co-insured items of the accident products, for the co-insurance app.

Premiums are given one item per enrolled person (``premium:<enrollment pk>``, on the day the
payment was received), not one per group payment: a group's payment then splits among the
co-insurers person by person, and a person's cover can be traced to the shares it paid; the sum
is the payment's amount all the same (the payment's check constraint: count × premium). Claims
are one item per paid claim (``claim:<pk>``, on the day it was paid)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from jingban.accident.models import Claim, ClaimStatus, Enrollment
from jingban.accident.rules import products as _products
from jingban.engine.coinsurance import CoinsuredItem


def products() -> list[tuple[str, str]]:
    return _products()


def items(start: dt.date, end: dt.date) -> Iterator[CoinsuredItem]:
    """Every premium received and every claim paid with its day in ``[start, end)``."""
    premiums = (
        Enrollment.objects.filter(payment__paid_on__gte=start, payment__paid_on__lt=end)
        .order_by("pk")
        .values_list("pk", "product", "payment__paid_on", "premium")
    )
    for pk, product, day, premium in premiums.iterator(chunk_size=5000):
        yield CoinsuredItem(product, "premium", f"premium:{pk}", day, premium)
    claims = (
        Claim.objects.filter(status=ClaimStatus.PAID, decided_on__gte=start, decided_on__lt=end)
        .order_by("pk")
        .values_list("pk", "enrollment__product", "decided_on", "amount")
    )
    for pk, product, decided, amount in claims.iterator(chunk_size=5000):
        if decided is not None:
            yield CoinsuredItem(product, "claim", f"claim:{pk}", decided, amount)
