"""Scoped reads of the registry. A person is in scope when their region lies in the user's
region subtree; an insured person sees only their own record. Enrollment rows are further
limited to the schemes the user works on."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from jingban.core.calendar import today as local_today
from jingban.core.errors import NotFound
from jingban.core.models import ActionLog, Scheme, User
from jingban.core.roles import Cap
from jingban.core.scope import region_filter, scheme_codes
from jingban.registry import search
from jingban.registry.models import (
    AgentAuthorisation,
    Enrollment,
    GroupMembership,
    Household,
    HouseholdMember,
    Person,
    SpecialGroup,
)


def persons_for(user: User) -> QuerySet[Person]:
    qs = Person.objects.select_related("region")
    if user.can(Cap.PERSON_VIEW):
        return qs.filter(region_filter(user))
    if user.can(Cap.OWN_RECORD_VIEW):
        return qs.filter(account=user)
    return qs.none()


def search_persons(user: User, query: str) -> QuerySet[Person]:
    """By name (part of it), a whole number, the start or end of one, or a masked number
    (``search.parse_term``), without the logging of a lookup (``services.search_persons``)."""
    term = search.parse_term(query, may_reveal=search.may_reveal(user))
    return search.term_filter(persons_for(user), term)


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
    """A person's special-group memberships, limited like enrollments: staff who work on some
    schemes see only the groups that matter to those schemes (``SpecialGroup.scheme_kinds``);
    the LTC assessor sees the groups relevant to long-term care. The person sees all their own."""
    qs = GroupMembership.objects.select_related("group").filter(person=person)
    codes = scheme_codes(user)
    if codes is not None and not user.can(Cap.OWN_RECORD_VIEW):
        kinds = list(Scheme.objects.filter(code__in=codes).values_list("kind", flat=True))
        qs = qs.filter(group__scheme_kinds__overlap=kinds)
    return qs


def special_groups() -> QuerySet[SpecialGroup]:
    return SpecialGroup.objects.all()


def households_for(user: User) -> QuerySet[Household]:
    """Households in the user's region subtree (staff only)."""
    if not user.can(Cap.PERSON_VIEW):
        return Household.objects.none()
    return Household.objects.select_related("region").filter(region_filter(user))


def household_for(user: User, pk: int) -> Household:
    household = households_for(user).filter(pk=pk).first()
    if household is None:
        raise NotFound()
    return household


def household_members(user: User, household: Household) -> QuerySet[HouseholdMember]:
    """The household's members, current first, limited to persons the user may see (a member
    registered in another region stays hidden from staff whose scope does not reach it)."""
    visible = persons_for(user).values("pk")
    return (
        HouseholdMember.objects.select_related("person")
        .filter(household=household, person__in=visible)
        .order_by("left_on", "joined_on", "id")
    )


def household_member_for(user: User, household: Household, pk: int) -> HouseholdMember:
    member = household_members(user, household).select_related("household__region")
    found = member.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def open_household_membership(person: Person) -> HouseholdMember | None:
    """The household a person belongs to now, if any. The person comes from a scoped query."""
    return (
        HouseholdMember.objects.select_related("household")
        .filter(person=person, left_on__isnull=True)
        .first()
    )


def authorisations_of(user: User, person: Person) -> QuerySet[AgentAuthorisation]:
    """Agents and guardians on record for a person (staff with the person in scope)."""
    if not user.can(Cap.PERSON_VIEW):
        return AgentAuthorisation.objects.none()
    return AgentAuthorisation.objects.select_related("agent").filter(person=person)


def authorisation_for(user: User, pk: int) -> AgentAuthorisation:
    """One authorisation whose person is in the user's scope."""
    found = (
        AgentAuthorisation.objects.select_related("agent", "person__region")
        .filter(pk=pk, person__in=persons_for(user).values("pk"))
        .first()
    )
    if found is None or not user.can(Cap.PERSON_VIEW):
        raise NotFound()
    return found


def _valid_today(agent: User) -> QuerySet[AgentAuthorisation]:
    today = local_today()
    return AgentAuthorisation.objects.select_related("person__region").filter(
        agent=agent,
        agent__is_active=True,
        revoked_at__isnull=True,
        valid_from__lte=today,
        valid_to__gte=today,
    )


def principals_of(agent: User) -> QuerySet[AgentAuthorisation]:
    """The authorisations an agent may use today: whom they act for, and for what."""
    if not agent.can(Cap.AGENT_ACT):
        return AgentAuthorisation.objects.none()
    return _valid_today(agent).order_by("person__name", "id")


def valid_authorisation(agent: User, person_id: int, service: str) -> AgentAuthorisation | None:
    """The authorisation that lets ``agent`` use ``service`` for the person today, if any."""
    if not agent.can(Cap.AGENT_ACT):
        return None
    return _valid_today(agent).filter(person_id=person_id, services__contains=[service]).first()


def lookups_since(user: User, since: dt.datetime) -> int:
    """How many document-number lookups ``user`` ran since ``since`` (the action log counts)."""
    return ActionLog.objects.filter(
        actor=user, action="registry.person.looked_up", at__gte=since
    ).count()
