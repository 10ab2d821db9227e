"""The co-insurer's home panel: their organisation's latest statements."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.coinsurance.queries import statements_for
from jingban.coinsurance.services import known_products
from jingban.core.models import User


def own(user: User) -> Mapping[str, object] | None:
    current = statements_for(user).filter(run__current=True)
    latest = list(current[:5])
    labels = known_products()
    for statement in latest:
        statement.product_label = labels.get(statement.run.product, statement.run.product)  # type: ignore[attr-defined]
    # The count: every current statement of the organisation (the list shows the latest five).
    return {"statements": latest, "count": current.count()}
