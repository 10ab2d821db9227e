"""Who may open whose picture, on the pages and in the API, for every persona (the core matrix
walks nine of them; renmin and gongbao are walked here too): staff with registry.person.view see
the persons of their scope, 404 outside it (the refusal logged); the insured person their own
and, as an agent, a principal's, 404 for anyone else (logged); everyone else 403. Each view of
another person's picture is logged, an agent's on the person's behalf."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jingban.core.models import ActionLog
from jingban.registry.models import Person
from tests.authz import PERSON_VIEWERS
from tests.personas import Personas

ALL = ["admin", "wang", "sun", "li", "zhao", "kangning", "zhou", "chen", "qian", "renmin"]
ALL += ["gongbao"]


def _neighbour() -> Person:
    return Person.objects.get(name="陆美芳")


@pytest.mark.parametrize("role", ALL)
def test_the_staff_page_and_api_for_every_persona(personas: Personas, role: str) -> None:
    client = personas.client(role)
    inside, outside = personas.in_scope_person.pk, personas.out_of_scope_person.pk
    for pk, in_scope in ((inside, True), (outside, False)):
        page = client.get(reverse("picture:person", args=[pk])).status_code
        api = client.get(f"/api/v1/picture/persons/{pk}").status_code
        if role not in PERSON_VIEWERS:
            expected = 403
        elif in_scope or role == "admin":
            expected = 200
        else:
            expected = 404
        assert (page, api) == (expected, expected), (role, in_scope)


@pytest.mark.parametrize("role", ALL)
def test_the_own_page_and_api_for_every_persona(personas: Personas, role: str) -> None:
    client = personas.client(role)
    expected = 200 if role == "chen" else 403
    assert client.get(reverse("picture:mine")).status_code == expected
    assert client.get("/api/v1/picture/me").status_code == expected


def test_out_of_scope_is_404_and_logged(personas: Personas) -> None:
    outside = personas.out_of_scope_person
    wang = personas.user("wang")
    response = personas.client("wang").get(reverse("picture:person", args=[outside.pk]))
    assert response.status_code == 404
    refused = ActionLog.objects.filter(
        actor=wang, action="registry.access.refused", object_id=str(outside.pk)
    )
    assert refused.count() == 1
    assert not ActionLog.objects.filter(actor=wang, action="picture.person.viewed").exists()


def test_a_staff_view_is_logged_in_the_persons_region(personas: Personas) -> None:
    person = personas.in_scope_person
    client = personas.client("sun")
    assert client.get(reverse("picture:person", args=[person.pk])).status_code == 200
    assert client.get(f"/api/v1/picture/persons/{person.pk}").status_code == 200
    rows = ActionLog.objects.filter(actor=personas.user("sun"), action="picture.person.viewed")
    assert rows.count() == 2
    row = rows.first()
    assert row.object_type == "registry.person" and row.object_id == str(person.pk)
    assert row.region_path == person.region.path and row.on_behalf_of == ""


def test_ones_own_picture_is_not_logged(personas: Personas) -> None:
    client = personas.client("chen")
    assert client.get(reverse("picture:mine")).status_code == 200
    assert (
        client.get(reverse("picture:mine"), {"person": personas.own_person.pk}).status_code == 200
    )
    assert not ActionLog.objects.filter(action="picture.person.viewed").exists()


def test_an_agent_opens_a_principals_picture_on_their_behalf(personas: Personas) -> None:
    neighbour = _neighbour()
    client = personas.client("chen")
    page = client.get(reverse("picture:mine"), {"person": neighbour.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "陆美芳的全景" in html and "您正以代办人身份查看" in html
    body = client.get("/api/v1/picture/me", {"person": neighbour.pk}).json()
    assert body["person"]["id"] == neighbour.pk
    keys = [s["key"] for s in body["sections"]]
    # Her record and coverage (the authorisation covers viewing it) and her filings (it
    # covers filing); never her settlements, diseases or notices (no app shows an agent those).
    assert {"registry.person", "enrollment.coverage", "filing.filings"} <= set(keys)
    assert not {"medical.settlements", "catalogue.chronic", "notices.inbox"} & set(keys)
    agents = next(s for s in body["sections"] if s["key"] == "registry.agents")
    assert [a["name"] for a in agents["data"]["agents"]] == ["陈秀英"]
    assert agents["data"]["acts_for"] == []
    rows = ActionLog.objects.filter(actor=personas.user("chen"), action="picture.person.viewed")
    assert rows.count() == 2
    assert {r.on_behalf_of for r in rows} == {f"registry.person:{neighbour.pk}"}


def test_the_insured_cannot_open_anyone_else(personas: Personas) -> None:
    other = personas.in_scope_person
    client = personas.client("chen")
    assert client.get(reverse("picture:mine"), {"person": other.pk}).status_code == 404
    assert client.get("/api/v1/picture/me", {"person": other.pk}).status_code == 404
    assert client.get(reverse("picture:person", args=[other.pk])).status_code == 403
    refused = ActionLog.objects.filter(
        actor=personas.user("chen"), action="registry.agent.refused", object_id=str(other.pk)
    )
    assert refused.count() == 2
    assert not ActionLog.objects.filter(action="picture.person.viewed").exists()


def test_the_switcher_lists_oneself_and_the_principals(personas: Personas) -> None:
    html = personas.client("chen").get(reverse("picture:mine")).content.decode()
    assert 'name="person"' in html
    assert f'value="{personas.own_person.pk}"' in html and f'value="{_neighbour().pk}"' in html
    assert f'value="{personas.in_scope_person.pk}"' not in html


def test_the_persons_page_links_to_the_picture(personas: Personas) -> None:
    pk = personas.in_scope_person.pk
    html = personas.client("wang").get(reverse("registry:person_detail", args=[pk])).content
    assert reverse("picture:person", args=[pk]) in html.decode()
    home = personas.client("chen").get(reverse("core:home")).content.decode()
    assert reverse("picture:mine") in home and "我的全景" in home
