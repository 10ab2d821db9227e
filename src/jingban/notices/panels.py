"""The home page's "waiting for you": the user's unread notices of open matters."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.core.models import User
from jingban.notices import queries

PANEL_SIZE = 10


def waiting(user: User) -> Mapping[str, object] | None:
    notices = queries.waiting_for(user)
    total = notices.count()
    if not total:
        return None
    return {"notices_total": total, "notices": notices[:PANEL_SIZE]}
