"""The registry's answer to the files app: may this user see person X (see jingban.files.owners)."""

from __future__ import annotations

from jingban.core.models import User
from jingban.registry.queries import persons_for


def visible(user: User, object_id: str) -> str | None:
    """The person's region path when the person is in the user's scope, else None."""
    if not object_id.isdigit():
        return None
    return (
        persons_for(user).filter(pk=int(object_id)).values_list("region__path", flat=True).first()
    )
