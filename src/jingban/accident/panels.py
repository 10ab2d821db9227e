"""The reviewer's home panel: accident claims waiting for review in scope."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.accident import queries
from jingban.accident.models import ClaimStatus
from jingban.core.models import User


def waiting(user: User) -> Mapping[str, object] | None:
    qs = queries.claims_for(user).filter(status=ClaimStatus.REPORTED)
    count = qs.count()
    if not count:
        return None
    return {"count": count, "claims": list(qs.order_by("reported_on", "pk")[:5])}
