"""Scoped reads of the registry. A person is in scope when their region lies in the user's
region subtree; an insured person sees only their own record. Enrollment rows are further
limited to the schemes the user works on."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.roles import Cap
from jingban.core.scope import region_filter, scheme_codes
from jingban.registry.models import Enrollment, GroupMembership, Person, SpecialGroup


def persons_for(user: User) -> QuerySet[Person]:
    qs = Person.objects.select_related("region")
    if user.can(Cap.PERSON_VIEW):
        return qs.filter(region_filter(user))
    if user.can(Cap.OWN_RECORD_VIEW):
        return qs.filter(account=user)
    return qs.none()


def search_persons(user: User, query: str) -> QuerySet[Person]:
    """By name (part of it), or a whole document number, or the last digits of one."""
    qs = persons_for(user)
    query = query.strip()
    if not query:
        return qs
    condition = Q(name__contains=query)
    compact = query.replace(" ", "").upper()
    if len(compact) >= 4 and compact.isalnum():
        condition |= Q(document_number=compact) | Q(document_number__endswith=compact)
    return qs.filter(condition)


def person_for(user: User, pk: int) -> Person:
    """One person in the user's scope; out of scope looks exactly like missing."""
    person = persons_for(user).filter(pk=pk).first()
    if person is None:
        raise NotFound()
    return person


def own_person(user: User) -> Person | None:
    return Person.objects.select_related("region").filter(account=user).first()


def enrollments_for(user: User, person: Person) -> QuerySet[Enrollment]:
    qs = Enrollment.objects.select_related("scheme").filter(person=person)
    codes = scheme_codes(user)
    if codes is not None and not user.can(Cap.OWN_RECORD_VIEW):
        qs = qs.filter(scheme__code__in=codes)
    return qs


def memberships_for(user: User, person: Person) -> QuerySet[GroupMembership]:
    return GroupMembership.objects.select_related("group").filter(person=person)


def special_groups() -> QuerySet[SpecialGroup]:
    return SpecialGroup.objects.all()
