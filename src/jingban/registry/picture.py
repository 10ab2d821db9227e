"""The registry's sections of the person's whole picture (``core.picture``): the person (name,
masked number, region, household, special groups) and the agents (who may act for the person,
and for whom the person acts).

``relation`` says how a viewer stands to a person: the person themself, an agent with an
authorisation valid today (and its services), or staff. The picture app has already checked
that the viewer may see the person at all; the other apps' sections use ``relation`` to apply
their own rules for the insured side.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jingban.core.models import User
from jingban.core.picture import PictureSection
from jingban.core.roles import Cap
from jingban.registry import display, queries
from jingban.registry.models import AgentAuthorisation, Person


@dataclass(frozen=True)
class Relation:
    """How ``viewer`` stands to the person: ``own`` (their own record), ``services`` (an agent:
    the services of the authorisations valid today; empty otherwise) or ``staff`` (a
    capability to view persons, the scope checked by the picture app)."""

    own: bool
    staff: bool
    services: frozenset[str]

    @property
    def agent(self) -> bool:
        return bool(self.services)


def relation(person: Person, viewer: User) -> Relation:
    own = person.account_id is not None and person.account_id == viewer.pk
    services: set[str] = set()
    if not own and viewer.can(Cap.AGENT_ACT):
        for auth in queries.principals_of(viewer).filter(person_id=person.pk):
            services.update(auth.services or [])
    return Relation(own=own, staff=viewer.can(Cap.PERSON_VIEW), services=frozenset(services))


def _person_link(person: Person, rel: Relation) -> str:
    from django.urls import reverse

    if rel.staff:
        return reverse("registry:person_detail", args=[person.pk])
    if rel.own:
        return reverse("registry:my_record")
    return reverse("registry:acting_record", args=[person.pk])


def person_section(person: Person, viewer: User, *, year: int | None) -> PictureSection | None:
    """登记信息: who the person is, as the registry's own pages show them to this viewer."""
    rel = relation(person, viewer)
    if not (rel.staff or rel.own or "view_record" in rel.services):
        return None
    shown = display.shown(person)
    membership = queries.open_household_membership(person)
    if rel.staff or rel.own:
        groups = list(queries.memberships_for(viewer, person))
    else:
        groups = list(person.memberships.select_related("group"))
    data = {
        "name": person.name,
        "document_masked": shown.document,
        "age": shown.age,
        "sex": str(person.get_sex_display()),
        "region": person.region.name,
        "deceased": person.death_date is not None,
        "household": (
            {
                "number": membership.household.number,
                "relation": str(membership.get_relation_display()),
            }
            if membership is not None
            else None
        ),
        "special_groups": [
            {
                "name": str(m.group),
                "valid_from": m.valid_from.isoformat(),
                "valid_to": m.valid_to.isoformat() if m.valid_to else None,
            }
            for m in groups
        ],
    }
    return PictureSection(
        key="registry.person",
        title=_("Personal details"),
        order=100,
        template="registry/picture/person.html",
        context={"person": person, "shown": shown, "membership": membership, "groups": groups},
        data=data,
        count=1,
        link=_person_link(person, rel),
    )


def _authorisation(auth: AgentAuthorisation, *, name: str) -> dict[str, object]:
    return {
        "name": name,
        "kind": str(auth.get_kind_display()),
        "relation": auth.relation,
        "services": auth.service_labels(),
        "valid_from": auth.valid_from.isoformat(),
        "valid_to": auth.valid_to.isoformat(),
        "state": auth.state,
    }


def _agent_name(auth: AgentAuthorisation) -> str:
    own = Person.objects.filter(account_id=auth.agent_id).values_list("name", flat=True).first()
    return own or auth.agent.display_name or auth.agent.get_username()


def agents_section(person: Person, viewer: User, *, year: int | None) -> PictureSection | None:
    """代办与授权: who may act for the person (staff and the person see every authorisation on
    record; an agent only their own), and for whom the person acts (staff and the person)."""
    rel = relation(person, viewer)
    if not (rel.staff or rel.own or rel.agent):
        return None
    acting_for = AgentAuthorisation.objects.select_related("agent").filter(person=person)
    if not (rel.staff or rel.own):
        acting_for = acting_for.filter(agent=viewer)
    acting_for = acting_for.order_by("-valid_to", "-pk")
    agents = [(auth, _agent_name(auth)) for auth in acting_for]
    principals: list[tuple[AgentAuthorisation, str]] = []
    if (rel.staff or rel.own) and person.account_id is not None:
        rows = AgentAuthorisation.objects.select_related("person").filter(
            agent_id=person.account_id
        )
        if rel.staff:
            # Staff see the principals in their own scope only.
            rows = rows.filter(person__in=queries.persons_for(viewer).values("pk"))
        principals = [(auth, auth.person.name) for auth in rows.order_by("-valid_to", "-pk")]
    return PictureSection(
        key="registry.agents",
        title=_("Agents and authorisations"),
        order=700,
        template="registry/picture/agents.html",
        context={"agents": agents, "principals": principals},
        data={
            "agents": [_authorisation(a, name=n) for a, n in agents],
            "acts_for": [_authorisation(a, name=n) for a, n in principals],
        },
        count=len(agents) + len(principals),
    )
