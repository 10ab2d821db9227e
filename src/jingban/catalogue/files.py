"""The catalogue's answer to the files app: may this user see chronic-disease registration X
(its evidence: a certificate, a discharge summary)? The registrations' own scope decides: bureau
staff see those of persons in their region subtree; anything else is None (404)."""

from __future__ import annotations

from jingban.catalogue.queries import registrations_for
from jingban.core.models import User

REGISTRATION = "catalogue.chronic_registration"


def visible(user: User, object_id: str) -> str | None:
    if not object_id.isdigit() or len(object_id) > 18:
        return None
    return (
        registrations_for(user)
        .filter(pk=int(object_id))
        .values_list("person__region__path", flat=True)
        .first()
    )
