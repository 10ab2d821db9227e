"""The providers app's answer to the files app: may this user see check X (evidence files)."""

from __future__ import annotations

from jingban.core.models import User
from jingban.providers.queries import checks_for


def visible(user: User, object_id: str) -> str | None:
    if not object_id.isdigit():
        return None
    return (
        checks_for(user)
        .filter(pk=int(object_id))
        .values_list("agreement__institution__organisation__region__path", flat=True)
        .first()
    )
