"""API for households and for agents and guardians (代办人/监护人).

Staff endpoints take the person or household from scoped queries. The ``/acting`` endpoints are
the agent's own: each call is checked against an authorisation valid today for that service, and
logged under the agent's account on the person's behalf; anything else is 404, and logged.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.models import User
from jingban.core.roles import Cap
from jingban.registry import display, queries, services
from jingban.registry.models import (
    AgentAuthorisation,
    AgentKind,
    AgentService,
    Household,
    Relation,
)

router = Router(tags=["registry"])


class MemberOut(Schema):
    id: int
    person_id: int
    name: str
    document_number_masked: str
    relation: str
    joined_on: dt.date
    left_on: dt.date | None


class HouseholdOut(Schema):
    id: int
    number: str
    region: str
    address: str
    members: list[MemberOut]


class HouseholdIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"joined_on": "2024-05-01", "address": "狮山路8号"}]}
    )

    joined_on: dt.date = Field(description="Since when the person heads the household")
    address: str = Field("", max_length=300, description="Empty: the head's address")


class MemberIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"person_id": 1, "relation": "child", "joined_on": "2024-05-01"}]
        }
    )

    person_id: int = Field(description="A registered person in the caller's scope")
    relation: Relation = Field(description="Relation to the head")
    joined_on: dt.date


class LeaveIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"left_on": "2025-01-01", "reason": "迁出"}]}
    )

    left_on: dt.date
    reason: str = Field("", max_length=500)


class AuthorisationOut(Schema):
    id: int
    person_id: int
    agent: str
    kind: str
    relation: str
    services: list[str]
    valid_from: dt.date
    valid_to: dt.date
    basis: str
    state: str = Field(description="in_force, pending, expired or revoked")


def _authorisation_examples(schema: dict[str, object]) -> None:
    # Dates relative to today, so the example never describes an expired authorisation.
    today = dt.date.today()
    schema["examples"] = [
        {
            "agent_username": "chen",
            "kind": "agent",
            "services": [str(AgentService.VIEW_RECORD), str(AgentService.UPDATE_CONTACT)],
            "valid_from": today.isoformat(),
            "valid_to": (today + dt.timedelta(days=365)).isoformat(),
            "basis": "授权委托书 2026-001",
            "relation": "女儿",
        }
    ]


class AuthorisationIn(Schema):
    model_config = ConfigDict(json_schema_extra=_authorisation_examples)  # type: ignore[typeddict-item]

    agent: str = Field(
        "",
        max_length=100,
        description="The agent's document number or name, as on the letter of authorisation "
        "(a number lookup is logged and limited like a search by number)",
    )
    agent_username: str = Field(
        "", max_length=150, description="Or the agent's account user name, when no agent is given"
    )
    kind: AgentKind
    services: list[AgentService] = Field(max_length=10)
    valid_from: dt.date
    valid_to: dt.date
    basis: str = Field(max_length=200, description="The letter of authorisation or court order")
    relation: str = Field("", max_length=100)


class RevokeIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "本人申请撤销"}]})

    reason: str = Field(max_length=500)


class PrincipalOut(Schema):
    person_id: int
    name: str
    document_number_masked: str
    phone_masked: str
    address: str
    region: str
    authorisation: AuthorisationOut


class ContactIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"phone": "13912345678", "address": "狮山路9号"}]}
    )

    phone: str | None = Field(
        None, max_length=30, description='Omitted: kept as on record; "": removed'
    )
    address: str | None = Field(
        None, max_length=300, description='Omitted: kept as on record; "": removed'
    )


def _household(user: User, household: Household) -> HouseholdOut:
    return HouseholdOut(
        id=household.pk,
        number=household.number,
        region=household.region.code,
        address=household.address,
        members=[
            MemberOut(
                id=m.pk,
                person_id=m.person_id,
                name=m.person.name,
                document_number_masked=display.shown(m.person).document,
                relation=m.relation,
                joined_on=m.joined_on,
                left_on=m.left_on,
            )
            for m in queries.household_members(user, household)
        ],
    )


def _authorisation(auth: AgentAuthorisation) -> AuthorisationOut:
    return AuthorisationOut(
        id=auth.pk,
        person_id=auth.person_id,
        agent=auth.agent.get_username(),
        kind=auth.kind,
        relation=auth.relation,
        services=list(auth.services),
        valid_from=auth.valid_from,
        valid_to=auth.valid_to,
        basis=auth.basis,
        state=auth.state,
    )


@router.get(
    "/households/{int:pk}",
    response={200: HouseholdOut, **errors(403, 404)},
    summary="One household and its members",
)
def household_detail(request: HttpRequest, pk: int) -> HouseholdOut:
    user = api_user(request, Cap.PERSON_VIEW)
    return _household(user, services.household_in_scope(user, pk))


@router.post(
    "/persons/{int:pk}/household",
    response={201: HouseholdOut, **errors(400, 403, 404)},
    summary="Open a household with the person as its head",
)
def household_create(request: HttpRequest, pk: int, payload: HouseholdIn) -> Status[HouseholdOut]:
    user = api_user(request, Cap.HOUSEHOLD_EDIT)
    head = services.person_in_scope(user, pk)
    household = services.create_household(
        head, joined_on=payload.joined_on, address=payload.address, acting_user=user
    )
    return Status(201, _household(user, household))


@router.post(
    "/households/{int:pk}/members",
    response={201: HouseholdOut, **errors(400, 403, 404)},
    summary="Add a member to a household",
)
def household_add_member(request: HttpRequest, pk: int, payload: MemberIn) -> Status[HouseholdOut]:
    user = api_user(request, Cap.HOUSEHOLD_EDIT)
    household = services.household_in_scope(user, pk)
    person = services.person_in_scope(user, payload.person_id)
    services.add_household_member(
        household,
        person,
        relation=payload.relation,
        joined_on=payload.joined_on,
        acting_user=user,
    )
    return Status(201, _household(user, household))


@router.post(
    "/households/{int:pk}/members/{int:member_pk}/leave",
    response={200: HouseholdOut, **errors(400, 403, 404)},
    summary="Record that a member left the household",
)
def household_member_leave(
    request: HttpRequest, pk: int, member_pk: int, payload: LeaveIn
) -> HouseholdOut:
    user = api_user(request, Cap.HOUSEHOLD_EDIT)
    household = services.household_in_scope(user, pk)
    member = services.household_member_in_scope(user, household, member_pk)
    services.end_household_membership(
        member, left_on=payload.left_on, reason=payload.reason, acting_user=user
    )
    return _household(user, household)


@router.get(
    "/persons/{int:pk}/agents",
    response={200: list[AuthorisationOut], **errors(403, 404)},
    summary="Agents and guardians on record for a person",
)
def authorisation_list(request: HttpRequest, pk: int) -> list[AuthorisationOut]:
    user = api_user(request, Cap.PERSON_VIEW)
    person = services.person_in_scope(user, pk)
    return [_authorisation(a) for a in queries.authorisations_of(user, person)]


@router.post(
    "/persons/{int:pk}/agents",
    response={201: AuthorisationOut, **errors(400, 403, 404)},
    summary="Record an agent or guardian for a person",
)
def authorisation_create(
    request: HttpRequest, pk: int, payload: AuthorisationIn
) -> Status[AuthorisationOut]:
    user = api_user(request, Cap.AGENT_GRANT)
    person = services.person_in_scope(user, pk)
    data = services.AuthorisationInput(
        agent=payload.agent,
        agent_username=payload.agent_username,
        kind=payload.kind,
        services=tuple(payload.services),
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        basis=payload.basis,
        relation=payload.relation,
    )
    auth = services.grant_authorisation(person, data, acting_user=user)
    return Status(201, _authorisation(auth))


@router.post(
    "/agent-authorisations/{int:pk}/revoke",
    response={200: AuthorisationOut, **errors(400, 403, 404)},
    summary="Revoke an authorisation",
)
def authorisation_revoke(request: HttpRequest, pk: int, payload: RevokeIn) -> AuthorisationOut:
    user = api_user(request, Cap.AGENT_GRANT)
    auth = services.authorisation_in_scope(user, pk)
    return _authorisation(
        services.revoke_authorisation(auth, reason=payload.reason, acting_user=user)
    )


def _principal(auth: AgentAuthorisation) -> PrincipalOut:
    person = auth.person
    shown = display.shown(person)
    return PrincipalOut(
        person_id=person.pk,
        name=person.name,
        document_number_masked=shown.document,
        phone_masked=shown.phone,
        address=person.address,
        region=person.region.code,
        authorisation=_authorisation(auth),
    )


@router.get(
    "/acting",
    response={200: list[PrincipalOut], **errors(403)},
    summary="Whom the signed-in agent may act for today",
)
def acting_list(request: HttpRequest) -> list[PrincipalOut]:
    user = api_user(request, Cap.AGENT_ACT)
    return [_principal(a) for a in queries.principals_of(user)]


@router.get(
    "/acting/{int:person_id}",
    response={200: PrincipalOut, **errors(403, 404)},
    summary="The record of a person the agent acts for (logged)",
)
def acting_record(request: HttpRequest, person_id: int) -> PrincipalOut:
    user = api_user(request, Cap.AGENT_ACT)
    auth = services.authorise_agent_act(user, person_id, AgentService.VIEW_RECORD)
    services.agent_viewed_record(user, auth.person)
    return _principal(auth)


@router.patch(
    "/acting/{int:person_id}/contact",
    response={200: PrincipalOut, **errors(400, 403, 404)},
    summary="The agent updates the person's phone and address (logged)",
)
def acting_contact(request: HttpRequest, person_id: int, payload: ContactIn) -> PrincipalOut:
    user = api_user(request, Cap.AGENT_ACT)
    auth = services.agent_update_contact(
        user, person_id, phone=payload.phone, address=payload.address
    )
    return _principal(auth)
