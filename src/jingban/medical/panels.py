"""The home panel of a hospital's staff: today's settlements at their institution."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.core.models import User
from jingban.core.roles import Role
from jingban.medical import queries


def today(user: User) -> Mapping[str, object] | None:
    if user.role != Role.INSTITUTION_STAFF or not user.can(queries.VIEW):
        return None
    rows = queries.today_for(user)
    totals = queries.day_totals(rows)
    if not totals.count and not totals.reversals and user.organisation is not None:
        if user.organisation.kind != "hospital":
            return None  # a care institution settles no hospital bills
    return {"settlements": list(rows[:8]), "totals": totals}
