"""Agents and guardians (代办人/监护人): granting an authorisation, acting within it, and the
refusals — another person, another service, expired, revoked — each a 404 that is logged."""

from __future__ import annotations

import datetime as dt

import pgtrigger
import pytest
from django.db import connection
from django.test import Client

from jingban.core.actionlog import seal_pending, verify
from jingban.core.actionlog.personal import decrypted
from jingban.core.errors import Forbidden, NotFound, ValidationFailed
from jingban.core.models import ActionLog, User
from jingban.core.roles import Role
from jingban.core.services.accounts import create_account, issue_api_token
from jingban.registry import queries, services
from jingban.registry.models import AgentAuthorisation, AgentService, Person
from tests.personas import Personas

TODAY = dt.date.today()


def _agent(username: str = "chenwei") -> User:
    return create_account(
        username=username,
        password="agent-pass-123",
        role=Role.INSURED,
        display_name="陈伟",
        acting_user=None,
    )


def _grant(
    personas: Personas,
    person: Person,
    agent: User,
    services_: tuple[str, ...] = (AgentService.VIEW_RECORD, AgentService.UPDATE_CONTACT),
    **changes: object,
) -> AgentAuthorisation:
    data = {
        "agent_username": agent.username,
        "kind": "agent",
        "services": services_,
        "valid_from": TODAY - dt.timedelta(days=10),
        "valid_to": TODAY + dt.timedelta(days=365),
        "basis": "授权委托书 2026-001",
        "relation": "女儿",
    }
    data.update(changes)
    return services.grant_authorisation(
        person,
        services.AuthorisationInput(**data),  # type: ignore[arg-type]
        acting_user=personas.user("wang"),
    )


def _refusals() -> list[ActionLog]:
    return list(ActionLog.objects.filter(action="registry.agent.refused").order_by("id"))


def test_an_agent_acts_within_the_authorisation_and_every_act_is_logged(
    personas: Personas,
) -> None:
    agent = _agent()
    person = personas.in_scope_person
    auth = _grant(personas, person, agent)
    granted = ActionLog.objects.get(action="registry.agent.granted", object_id=str(person.pk))
    assert granted.actor == personas.user("wang")
    assert granted.after["services"] == ["update_contact", "view_record"]

    client = Client()
    client.force_login(agent)
    listing = client.get("/persons/acting/").content.decode()
    assert person.name in listing
    record = client.get(f"/persons/acting/{person.pk}/")
    assert record.status_code == 200
    assert person.document_number not in record.content.decode()  # masked
    viewed = ActionLog.objects.get(action="registry.agent.viewed_record")
    assert (viewed.actor, viewed.on_behalf_of) == (agent, f"registry.person:{person.pk}")

    saved = client.post(
        f"/persons/acting/{person.pk}/contact/",
        {"phone": "139 0000 1111", "address": "狮山路1号"},
    )
    assert saved.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.address) == ("13900001111", "狮山路1号")
    changed = ActionLog.objects.get(action="registry.person.contact_updated")
    assert changed.actor == agent
    assert changed.on_behalf_of == f"registry.person:{person.pk}"
    assert decrypted(changed).after == {"phone": "13900001111", "address": "狮山路1号"}
    # The person's history (pghistory) holds the change as well.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM registry_personevent WHERE pgh_obj_id = %s AND phone = %s",
            [person.pk, "13900001111"],
        )
        assert cursor.fetchone()[0] == 1
    assert _refusals() == []
    assert auth.state == "in_force"


def test_outside_the_authorisation_is_404_and_logged(personas: Personas) -> None:
    agent = _agent()
    person = personas.in_scope_person
    stranger = next(p for p in personas.world.persons if p.pk != person.pk and p.account_id is None)
    _grant(personas, person, agent, services_=(AgentService.VIEW_RECORD,))
    client = Client()
    client.force_login(agent)

    # Another person, and a service the authorisation does not cover.
    assert client.get(f"/persons/acting/{stranger.pk}/").status_code == 404
    assert client.get(f"/persons/acting/{person.pk}/contact/").status_code == 404
    assert (
        client.post(f"/persons/acting/{person.pk}/contact/", {"phone": "13900001111"}).status_code
        == 404
    )
    person.refresh_from_db()
    assert person.phone != "13900001111"
    refused = _refusals()
    assert [(r.object_id, r.after["service"]) for r in refused] == [
        (str(stranger.pk), "view_record"),
        (str(person.pk), "update_contact"),
        (str(person.pk), "update_contact"),
    ]
    assert all(r.actor == agent for r in refused)
    assert refused[0].on_behalf_of == f"registry.person:{stranger.pk}"
    # Staff pages stay closed to the agent.
    assert client.get(f"/persons/{person.pk}/").status_code == 403


def test_an_expired_authorisation_no_longer_works(personas: Personas) -> None:
    agent = _agent()
    person = personas.in_scope_person
    auth = _grant(personas, person, agent)
    # Time passes: the authorisation ran out yesterday.
    AgentAuthorisation.objects.filter(pk=auth.pk).update(
        valid_from=TODAY - dt.timedelta(days=400), valid_to=TODAY - dt.timedelta(days=1)
    )
    auth.refresh_from_db()
    assert auth.state == "expired"
    assert list(queries.principals_of(agent)) == []
    with pytest.raises(NotFound):
        services.authorise_agent_act(agent, person.pk, AgentService.VIEW_RECORD)
    client = Client()
    client.force_login(agent)
    assert client.get(f"/persons/acting/{person.pk}/").status_code == 404
    assert len(_refusals()) == 2
    page = personas.client("wang", language="en").get(f"/persons/{person.pk}/")
    assert "Expired" in page.content.decode()


def test_a_revoked_authorisation_no_longer_works(personas: Personas) -> None:
    agent = _agent()
    person = personas.in_scope_person
    auth = _grant(personas, person, agent)
    with pytest.raises(ValidationFailed) as no_reason:
        services.revoke_authorisation(auth, reason=" ", acting_user=personas.user("wang"))
    assert set(no_reason.value.fields) == {"reason"}
    services.revoke_authorisation(auth, reason="本人申请撤销", acting_user=personas.user("wang"))
    auth.refresh_from_db()
    assert auth.state == "revoked" and auth.revoked_by == personas.user("wang")
    with pytest.raises(ValidationFailed):
        services.revoke_authorisation(auth, reason="again", acting_user=personas.user("wang"))
    client = Client()
    client.force_login(agent)
    assert client.get(f"/persons/acting/{person.pk}/").status_code == 404
    assert len(_refusals()) == 1
    revoked = ActionLog.objects.get(action="registry.agent.revoked")
    assert revoked.before["revoked_at"] is None and revoked.after["revoked_at"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {
                "valid_from": TODAY - dt.timedelta(days=400),
                "valid_to": TODAY - dt.timedelta(days=1),
            },
            "valid_to",
        ),
        ({"valid_to": TODAY - dt.timedelta(days=20)}, "valid_to"),
        ({"valid_to": TODAY + dt.timedelta(days=6 * 366)}, "valid_to"),
        ({"services": ()}, "services"),
        ({"services": ("fly_a_plane",)}, "services"),
        ({"kind": "friend"}, "kind"),
        ({"basis": "  "}, "basis"),
        ({"agent_username": "nobody-here"}, "agent"),
        ({"agent_username": "wang"}, "agent"),
        ({"agent_username": "chen"}, "agent"),
    ],
)
def test_bad_grants_name_the_field_and_write_nothing(
    personas: Personas, changes: dict[str, object], field: str
) -> None:
    agent = _agent()
    # 陈秀英 herself for the "own agent" case; anyone else otherwise.
    person = personas.own_person if changes.get("agent_username") == "chen" else None
    person = person or personas.in_scope_person
    before = (AgentAuthorisation.objects.count(), ActionLog.objects.count())
    with pytest.raises(ValidationFailed) as err:
        _grant(personas, person, agent, **changes)
    assert field in err.value.fields
    assert (AgentAuthorisation.objects.count(), ActionLog.objects.count()) == before


def test_overlapping_grant_is_refused_and_only_granters_may_grant(personas: Personas) -> None:
    agent = _agent()
    person = personas.in_scope_person
    _grant(personas, person, agent)
    with pytest.raises(ValidationFailed) as twice:
        _grant(personas, person, agent)
    assert set(twice.value.fields) == {"agent"}
    with pytest.raises(Forbidden):
        services.grant_authorisation(
            person,
            services.AuthorisationInput(
                agent_username=agent.username,
                kind="agent",
                services=("view_record",),
                valid_from=TODAY,
                valid_to=TODAY,
                basis="x",
            ),
            acting_user=personas.user("sun"),
        )


def _agent_person(personas: Personas, agent: User, *, but: Person) -> Person:
    """A Suzhou person other than ``but`` whose account is ``agent``."""
    holder = next(
        p
        for p in personas.world.persons
        if "320500/" in p.region.path and p.account_id is None and p.pk != but.pk
    )
    return services.link_account(holder, agent, acting_user=None)


def test_grant_form_shows_an_expired_period_as_a_field_error(personas: Personas) -> None:
    agent = _agent()
    person = personas.in_scope_person
    holder = _agent_person(personas, agent, but=person)
    client = personas.client("wang", language="en")
    response = client.post(
        f"/persons/{person.pk}/agents/new/",
        {
            "agent": holder.name,
            "kind": "guardian",
            "services": ["view_record"],
            "valid_from": "2020-01-01",
            "valid_to": "2021-01-01",
            "basis": "法院判决书",
        },
    )
    assert response.status_code == 400
    assert "This authorisation has already expired." in response.content.decode()
    assert not AgentAuthorisation.objects.filter(agent=agent).exists()
    ok = client.post(
        f"/persons/{person.pk}/agents/new/",
        {
            "agent": holder.name,
            "kind": "guardian",
            "services": ["view_record"],
            "valid_from": TODAY.isoformat(),
            "valid_to": (TODAY + dt.timedelta(days=30)).isoformat(),
            "basis": "法院判决书",
        },
    )
    assert ok.status_code == 302
    assert AgentAuthorisation.objects.get(agent=agent).kind == "guardian"


def test_the_api_serves_the_agent_within_scope_only(personas: Personas) -> None:
    agent = _agent()
    person = personas.in_scope_person
    _grant(personas, person, agent)
    token = issue_api_token(agent, name="app", acting_user=None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    listing = client.get("/api/v1/acting", **auth).json()
    assert [p["person_id"] for p in listing] == [person.pk]
    record = client.get(f"/api/v1/acting/{person.pk}", **auth)
    assert record.status_code == 200
    assert record.json()["authorisation"]["state"] == "in_force"
    changed = client.patch(
        f"/api/v1/acting/{person.pk}/contact",
        data={"phone": "0512-66668888", "address": "木渎镇2号"},
        content_type="application/json",
        **auth,
    )
    assert changed.status_code == 200, changed.content
    person.refresh_from_db()
    assert person.phone == "0512-66668888"
    bad_phone = client.patch(
        f"/api/v1/acting/{person.pk}/contact",
        data={"phone": "12345"},
        content_type="application/json",
        **auth,
    )
    assert bad_phone.status_code == 400 and "phone" in bad_phone.json()["fields"]
    outside = personas.out_of_scope_person
    missing = client.get(f"/api/v1/acting/{outside.pk}", **auth)
    assert missing.status_code == 404
    assert _refusals()[-1].object_id == str(outside.pk)
    # Staff endpoints are closed to the agent.
    assert client.get(f"/api/v1/persons/{person.pk}/agents", **auth).status_code == 403


def test_on_behalf_of_is_covered_by_the_chain(personas: Personas) -> None:
    agent = _agent()
    person = personas.in_scope_person
    _grant(personas, person, agent)
    services.agent_viewed_record(agent, person)
    seal_pending()
    assert verify().ok
    entry = ActionLog.objects.get(action="registry.agent.viewed_record")
    # Someone with database access switches the immutability trigger off and re-attributes the
    # act to another person: verify notices.
    with (
        pgtrigger.ignore("core.ActionLog:actionlog_sealed_immutable"),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE core_actionlog SET on_behalf_of = %s WHERE id = %s",
            ["registry.person:1", entry.pk],
        )
    report = verify()
    assert [p.seq for p in report.problems] == [entry.seq]
