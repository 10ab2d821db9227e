"""The registry's home-page panels: recent persons in scope, and one's own enrollment."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.core.models import User
from jingban.core.pagination import about, counted
from jingban.registry import queries as registry_queries
from jingban.registry.documents import mask_document

HOME_LIST_SIZE = 10


def recent_persons(user: User) -> Mapping[str, object] | None:
    """The ten last registered and how many there are: counted exactly up to ``COUNT_CAP``,
    estimated beyond (counting a million rows on every home page cost most of its time)."""
    persons = registry_queries.persons_for(user).order_by("-id")
    total, exact = counted(persons)
    return {
        "persons_total": total if exact else about(total),
        "persons_exact": exact,
        "persons": [
            (p, mask_document(p.document_type, p.document_number)) for p in persons[:HOME_LIST_SIZE]
        ],
    }


def own_enrollment(user: User) -> Mapping[str, object] | None:
    person = registry_queries.own_person(user)
    if person is None:
        return {"own_person": None}
    enrollments = registry_queries.enrollments_for(user, person)
    return {
        "own_person": person,
        "enrollments_total": enrollments.count(),
        "enrollments": enrollments,
    }
