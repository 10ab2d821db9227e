"""The co-insurer's home panel: their organisation's latest statements."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.coinsurance.queries import statements_for
from jingban.coinsurance.services import known_products
from jingban.core.models import User


def own(user: User) -> Mapping[str, object] | None:
    latest = list(statements_for(user).filter(run__current=True)[:5])
    labels = known_products()
    for statement in latest:
        statement.product_label = labels.get(statement.run.product, statement.run.product)  # type: ignore[attr-defined]
    return {"statements": latest}
