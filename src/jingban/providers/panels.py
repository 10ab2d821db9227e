"""The home panel of an institution's staff: their open rectification orders."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.core.models import User
from jingban.providers import queries


def own_orders(user: User) -> Mapping[str, object] | None:
    if not user.can(queries.OWN):
        return None
    orders = queries.open_orders(user)
    return {"orders": list(orders[:10]), "orders_total": orders.count()}
