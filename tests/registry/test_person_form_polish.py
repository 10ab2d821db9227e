"""What a counter operator meets on the person, member and agent forms: one error for a bad
number, "按证件号码识别" only where a document carries sex and birth date, no default relation to
the head, and the agent named by document number or name rather than by a user name."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from jingban.core.models import ActionLog
from jingban.demo.world import resident_id
from jingban.registry import services
from jingban.registry.forms import AuthorisationForm, MemberForm, PersonForm
from jingban.registry.models import AgentAuthorisation, Person
from tests.personas import Personas

VALID = resident_id("320505", dt.date(1980, 5, 17), 12, male=True)
TODAY = dt.date.today()


def _registration(**changes: str) -> dict[str, str]:
    data = {
        "document_type": "resident_id",
        "document_number": VALID,
        "name": "测试人",
        "region": "320505001",
        "sex": "",
        "birth_date": "",
    }
    data.update(changes)
    return data


def _sex_options(html: str) -> list[str]:
    select = re.search(r'<select name="sex".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


def test_a_bad_checksum_is_the_only_error(personas: Personas) -> None:
    bad = VALID[:-1] + ("1" if VALID[-1] != "1" else "2")
    client = personas.client("wang")
    before = Person.objects.count()
    response = client.post(
        reverse("registry:person_create"), data=_registration(document_number=bad)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"document_number"}, errors
    assert len(errors["document_number"]) == 1
    html = response.content.decode()
    assert "校验位" in html
    assert "请选择性别" not in html and "请输入出生日期" not in html
    assert Person.objects.count() == before


def test_a_passport_still_needs_sex_and_birth_date(personas: Personas) -> None:
    client = personas.client("wang")
    response = client.post(
        reverse("registry:person_create"),
        data=_registration(document_type="passport", document_number="E1234567"),
    )
    assert response.status_code == 400
    assert {"sex", "birth_date"} <= set(response.context["form"].errors)


def test_from_the_document_is_offered_only_for_types_that_carry_it(personas: Personas) -> None:
    client = personas.client("wang")
    blank = client.get(reverse("registry:person_create")).content.decode()
    assert _sex_options(blank)[0] == "按证件号码识别"
    assert "person_form.js" in blank
    assert 'data-derived-types="resident_id hkmt_residence foreign_permanent"' in blank
    passport = client.post(
        reverse("registry:person_create"),
        data=_registration(document_type="passport", document_number="E12"),
    ).content.decode()
    options = _sex_options(passport)
    assert "按证件号码识别" not in options
    assert options[0] == "— 请选择 —"
    # Editing a passport holder: the stored type decides.
    user = personas.user("wang")
    form = PersonForm(user=user, initial={"document_type": "passport"})
    assert str(form.fields["sex"].choices[0][1]) != "From the document"  # type: ignore[attr-defined]
    assert form.fields["birth_date"].help_text == ""


def test_the_relation_to_the_head_has_no_default() -> None:
    form = MemberForm()
    assert form.fields["relation"].choices[0][0] == ""  # type: ignore[attr-defined]
    assert '<option value="" selected>' in str(form["relation"])
    bound = MemberForm(data={"document_number": VALID, "joined_on": "2024-01-01"})
    assert not bound.is_valid()
    assert "relation" in bound.errors


def _grant_data(agent: str) -> dict[str, object]:
    return {
        "agent": agent,
        "kind": "agent",
        "services": ["view_record"],
        "valid_from": TODAY.isoformat(),
        "valid_to": (TODAY + dt.timedelta(days=30)).isoformat(),
        "basis": "授权委托书 2026-010",
    }


def test_the_agent_form_asks_for_a_document_number_or_name() -> None:
    form = AuthorisationForm()
    assert "agent" in form.fields and "agent_username" not in form.fields


@pytest.mark.parametrize("by", ["name", "number"])
def test_the_agent_is_chosen_by_name_or_document_number(personas: Personas, by: str) -> None:
    chen = personas.own_person
    person = personas.in_scope_person
    client = personas.client("wang")
    agent = chen.name if by == "name" else chen.document_number
    response = client.post(f"/persons/{person.pk}/agents/new/", _grant_data(agent))
    assert response.status_code == 302, response.context["form"].errors
    auth = AgentAuthorisation.objects.get(person=person)
    assert auth.agent_id == chen.account_id


def test_a_user_name_does_not_name_an_agent(personas: Personas) -> None:
    person = personas.in_scope_person
    client = personas.client("wang")
    response = client.post(f"/persons/{person.pk}/agents/new/", _grant_data("chen"))
    assert response.status_code == 400
    assert "agent" in response.context["form"].errors
    assert not AgentAuthorisation.objects.filter(person=person).exists()


def test_a_person_without_an_account_cannot_be_an_agent(personas: Personas) -> None:
    person = personas.in_scope_person
    other = next(
        p
        for p in personas.world.persons
        if "320500/" in p.region.path and p.account_id is None and p.pk != person.pk
    )
    client = personas.client("wang")
    by_number = client.post(f"/persons/{person.pk}/agents/new/", _grant_data(other.document_number))
    assert by_number.status_code == 400
    assert "此人没有登录账号" in by_number.content.decode()
    by_name = client.post(f"/persons/{person.pk}/agents/new/", _grant_data(other.name))
    assert by_name.status_code == 400
    assert "没有开通账号的此姓名人员" in by_name.content.decode()
    assert not AgentAuthorisation.objects.filter(person=person).exists()


def test_a_non_revealers_number_lookup_is_logged_and_limited(personas: Personas) -> None:
    chen = personas.own_person
    person = personas.in_scope_person
    admin = personas.user("admin")
    assert not admin.can("registry.person.reveal")
    client = personas.client("admin")
    response = client.post(f"/persons/{person.pk}/agents/new/", _grant_data(chen.document_number))
    assert response.status_code == 302
    lookup = ActionLog.objects.filter(action="registry.person.looked_up", actor=admin).get()
    assert lookup.object_id == str(chen.pk)
    assert chen.document_number not in str(lookup.after)
    for _ in range(services.LOOKUPS_PER_MINUTE):
        client.post(f"/persons/{person.pk}/agents/new/", _grant_data("320505198001011234"))
    throttled = client.post(f"/persons/{person.pk}/agents/new/", _grant_data(chen.document_number))
    assert throttled.status_code == 400
    assert "过于频繁" in throttled.content.decode()


def test_the_api_names_the_agent_by_document_number_too(personas: Personas) -> None:
    chen = personas.own_person
    person = personas.in_scope_person
    client = personas.client("wang")
    payload = {**_grant_data(chen.document_number), "services": ["view_record"]}
    response = client.post(
        f"/api/v1/persons/{person.pk}/agents", data=payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert AgentAuthorisation.objects.get(person=person).agent_id == chen.account_id
    nobody = client.post(
        f"/api/v1/persons/{person.pk}/agents",
        data={**payload, "agent": ""},
        content_type="application/json",
    )
    assert nobody.status_code == 400
    assert "agent" in nobody.json()["fields"]
