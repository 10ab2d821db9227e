"""Scoped reads. Staff (``supplementary.enrollment.view``) see the enrollments, premiums and
claims of persons in their region subtree; an insured person their own and those of the persons
they are an authorised agent of for claims today. Anyone else (the co-insurer's staff too) sees
nothing. Out of scope looks exactly like missing."""

from __future__ import annotations

from django.db.models import QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.scope import region_path_filter
from jingban.registry.models import Person
from jingban.supplementary.models import Claim, Enrollment, Premium

VIEW = "supplementary.enrollment.view"
RECORD = "supplementary.enrollment.record"
OWN = "supplementary.own.enroll"
AGENT_SERVICE = "submit_claim"


def principals(user: User) -> list[Person]:
    """Whom an insured person acts for: themself first, then their principals for claims."""
    from jingban.registry.queries import principals_of

    found: list[Person] = []
    own = Person.objects.select_related("region").filter(account=user).first()
    if own is not None:
        found.append(own)
    for auth in principals_of(user):
        if AGENT_SERVICE in (auth.services or []) and auth.person_id not in {p.pk for p in found}:
            found.append(auth.person)
    return found


def enrollments_for(user: User) -> QuerySet[Enrollment]:
    qs = Enrollment.objects.select_related("person", "person__region")
    if user.can(VIEW):
        return qs.filter(region_path_filter(user))
    if user.can(OWN):
        return qs.filter(person__in=[p.pk for p in principals(user)])
    return qs.none()


def enrollment_for(user: User, pk: int) -> Enrollment:
    row = enrollments_for(user).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def premiums_for(user: User) -> QuerySet[Premium]:
    return Premium.objects.filter(enrollment__in=enrollments_for(user)).select_related("enrollment")


def claims_for(user: User) -> QuerySet[Claim]:
    return Claim.objects.filter(enrollment__in=enrollments_for(user)).select_related(
        "enrollment", "settlement"
    )


def person_for(user: User, person_id: int) -> Person:
    """A person the user may enroll: in scope for an operator, a principal for the insured."""
    from jingban.registry.queries import persons_for

    if user.can(RECORD):
        person = persons_for(user).select_related("region").filter(pk=person_id).first()
    elif user.can(OWN):
        person = next((p for p in principals(user) if p.pk == person_id), None)
    else:
        person = None
    if person is None:
        raise NotFound()
    return person
