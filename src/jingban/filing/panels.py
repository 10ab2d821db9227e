"""The operator's home panel: filings waiting for approval in scope."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.core.models import User
from jingban.filing.models import Status
from jingban.filing.queries import filings_for


def pending(user: User) -> Mapping[str, object] | None:
    waiting = filings_for(user).filter(status=Status.PENDING)
    return {"count": waiting.count(), "filings": list(waiting.order_by("filed_on", "pk")[:5])}
