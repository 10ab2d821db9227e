"""Scoped reads of filings. Staff (``filing.filing.view``) see the filings of persons in their
region subtree; an insured person sees their own and those of the persons they are an agent of
for cross-region filing today. Out of scope looks exactly like missing."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.scope import region_path_filter
from jingban.filing.models import Filing
from jingban.registry.models import Person

VIEW = "filing.filing.view"
OWN = "filing.own.file"
AGENT_SERVICE = "cross_region_filing"


def principals(user: User) -> list[Person]:
    """Whom an insured person may file for: themself first, then those they are an authorised
    agent of for cross-region filing today."""
    from jingban.registry.queries import principals_of

    found: list[Person] = []
    own = Person.objects.select_related("region").filter(account=user).first()
    if own is not None:
        found.append(own)
    for auth in principals_of(user):
        if AGENT_SERVICE in (auth.services or []) and auth.person_id not in {p.pk for p in found}:
            found.append(auth.person)
    return found


def filings_for(user: User) -> QuerySet[Filing]:
    qs = Filing.objects.select_related("person", "person__region")
    if user.can(VIEW):
        return qs.filter(region_path_filter(user))
    if user.can(OWN):
        return qs.filter(Q(person__in=[p.pk for p in principals(user)]))
    return qs.none()


def filing_for(user: User, pk: int) -> Filing:
    filing = filings_for(user).filter(pk=pk).first()
    if filing is None:
        raise NotFound()
    return filing


def person_in_scope(user: User, person_id: int) -> bool:
    from jingban.registry.queries import persons_for

    return persons_for(user).filter(pk=person_id).exists()


def visible(user: User, object_id: str) -> str | None:
    """The files app's question: the filing's region path when the user may see it."""
    if not object_id.isdigit():
        return None
    return filings_for(user).filter(pk=int(object_id)).values_list("region_path", flat=True).first()
