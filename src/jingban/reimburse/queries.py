"""Scoped reads of reimbursements. Staff (``reimburse.reimbursement.view``) see the applications
of persons in their region subtree; an insured person sees their own and those of the persons
they are an agent of for reimbursement claims today. Out of scope looks exactly like missing."""

from __future__ import annotations

from django.db.models import QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.scope import region_path_filter
from jingban.registry.models import Person
from jingban.reimburse.models import Reimbursement

VIEW = "reimburse.reimbursement.view"
OWN = "reimburse.own.apply"
AGENT_SERVICE = "submit_claim"


def principals(user: User) -> list[Person]:
    """Whom an insured person may apply for: themself first, then those they are an authorised
    agent of for reimbursement claims today."""
    from jingban.registry.queries import principals_of

    found: list[Person] = []
    own = Person.objects.select_related("region").filter(account=user).first()
    if own is not None:
        found.append(own)
    for auth in principals_of(user):
        if AGENT_SERVICE in (auth.services or []) and auth.person_id not in {p.pk for p in found}:
            found.append(auth.person)
    return found


def reimbursements_for(user: User) -> QuerySet[Reimbursement]:
    qs = Reimbursement.objects.select_related("person", "person__region", "institution")
    if user.can(VIEW):
        return qs.filter(region_path_filter(user))
    if user.can(OWN):
        return qs.filter(person__in=[p.pk for p in principals(user)])
    return qs.none()


def reimbursement_for(user: User, pk: int) -> Reimbursement:
    item = reimbursements_for(user).filter(pk=pk).first()
    if item is None:
        raise NotFound()
    return item


def person_in_scope(user: User, person_id: int) -> bool:
    from jingban.registry.queries import persons_for

    return persons_for(user).filter(pk=person_id).exists()


def visible(user: User, object_id: str) -> str | None:
    """The files app's question: the application's region path when the user may see it."""
    if not object_id.isdigit():
        return None
    return (
        reimbursements_for(user)
        .filter(pk=int(object_id))
        .values_list("region_path", flat=True)
        .first()
    )
