"""Probes and lookups: a search by document number is logged and limited for users who may not
reveal; a reveal needs a purpose; registering a document held outside the scope is refused
neutrally and logged; opening an object outside the scope is logged where only that region's
viewers see it. Messages in Chinese and English."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from jingban.core import queries as core_queries
from jingban.core.actionlog.personal import decrypted
from jingban.core.errors import NotFound
from jingban.core.models import ActionLog
from jingban.registry import services
from jingban.registry.documents import mask_document
from jingban.registry.services import probes
from tests.personas import Personas

LOOKED_UP = "registry.person.looked_up"


def _rows(action: str) -> list[ActionLog]:
    return list(ActionLog.objects.filter(action=action).order_by("id"))


def _in_clear(entry: ActionLog, number: str) -> bool:
    text = json.dumps([entry.before, entry.after, entry.reason, entry.object_id], default=str)
    return number in text


# Lookups ---------------------------------------------------------------------------------------


def test_a_full_number_search_by_a_role_without_reveal_is_logged(personas: Personas) -> None:
    person = personas.in_scope_person
    page = personas.client("li").post(
        reverse("registry:person_list"), {"q": person.document_number}
    )
    assert page.status_code == 200
    assert person.name in page.content.decode()
    [entry] = _rows(LOOKED_UP)
    assert (entry.actor, entry.object_type, entry.object_id) == (
        personas.user("li"),
        "registry.person",
        str(person.pk),
    )
    assert entry.region_path == person.region.path
    after = decrypted(entry).after
    assert after is not None
    assert after["term"] == mask_document(person.document_type, person.document_number)
    assert after["term_digest"] == probes.term_digest(person.document_number)
    assert after["matches"] == 1
    assert not _in_clear(entry, person.document_number)


def test_a_search_that_finds_no_one_is_logged_without_an_object(personas: Personas) -> None:
    outside = personas.out_of_scope_person
    answer = personas.client("qian").post(
        "/api/v1/persons/search", {"q": outside.document_number}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["count"] == 0
    [entry] = _rows(LOOKED_UP)
    assert entry.object_id == "" and decrypted(entry).after == {
        "term": mask_document("resident_id", outside.document_number),
        "term_digest": probes.term_digest(outside.document_number),
        "matches": 0,
    }
    # In the searcher's own region: nothing about the Nanjing person.
    assert entry.region_path == personas.user("qian").region.path
    assert not _in_clear(entry, outside.document_number)


def test_names_short_suffixes_and_revealers_are_not_lookups(personas: Personas) -> None:
    person = personas.in_scope_person
    li = personas.client("li")
    li.post(reverse("registry:person_list"), {"q": person.name})
    li.post(reverse("registry:person_list"), {"q": person.document_number[-4:]})
    personas.client("wang").post(reverse("registry:person_list"), {"q": person.document_number})
    assert _rows(LOOKED_UP) == []
    # A longer tail says more than the masked number shows: refused, not searched.
    refused = li.post(reverse("registry:person_list"), {"q": person.document_number[-8:]})
    assert refused.status_code == 400
    assert "只能使用掩码号码显示的部分" in refused.content.decode()
    assert refused.context["rows"] == []
    # The whole number is a lookup.
    li.post(reverse("registry:person_list"), {"q": person.document_number})
    assert len(_rows(LOOKED_UP)) == 1


def test_the_api_get_search_is_logged_too(personas: Personas) -> None:
    person = personas.in_scope_person
    found = personas.client("li").get("/api/v1/persons", {"q": person.document_number}).json()
    assert [r["id"] for r in found["results"]] == [person.pk]
    assert len(_rows(LOOKED_UP)) == 1


@pytest.mark.parametrize(
    ("language", "text"),
    [("zh-hans", "按证件号码查询过于频繁"), ("en", "searched by document number too often")],
)
def test_lookups_are_limited_per_minute(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, language: str, text: str
) -> None:
    monkeypatch.setattr(probes, "LOOKUPS_PER_MINUTE", 3)
    number = personas.in_scope_person.document_number
    client = personas.client("li", language=language)
    for _ in range(3):
        assert client.post(reverse("registry:person_list"), {"q": number}).status_code == 200
    refused = client.post(reverse("registry:person_list"), {"q": number})
    assert refused.status_code == 429
    assert text in refused.content.decode()
    assert personas.in_scope_person.name not in refused.content.decode()
    api = client.post("/api/v1/persons/search", {"q": number}, content_type="application/json")
    assert api.status_code == 429 and api.json()["code"] == "throttled"
    assert text in api.json()["message"]
    assert len(_rows(LOOKED_UP)) == 3
    # Searching by name still works; the limit is about numbers.
    by_name = client.post(reverse("registry:person_list"), {"q": personas.in_scope_person.name})
    assert by_name.status_code == 200
    # A minute later the user may search again.
    ActionLog.objects.filter(action=LOOKED_UP).update(at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert client.post(reverse("registry:person_list"), {"q": number}).status_code == 200


def test_adding_a_household_member_by_number_is_a_lookup(personas: Personas) -> None:
    from tests.core.test_authorization_matrix import household

    pk = household(personas, True)
    head = personas.in_scope_person
    person = next(
        p
        for p in personas.world.persons
        if "320500/" in p.region.path and p.pk != head.pk and p.account_id is None
    )
    personas.client("admin").post(
        reverse("registry:household_add_member", args=[pk]),
        {"document_number": person.document_number, "relation": "child", "joined_on": "2024-05-01"},
    )
    [entry] = _rows(LOOKED_UP)
    assert entry.actor == personas.user("admin") and not _in_clear(entry, person.document_number)


def test_the_search_form_posts_and_an_address_query_is_ignored(personas: Personas) -> None:
    client = personas.client("li")
    page = client.get(reverse("registry:person_list")).content.decode()
    assert 'method="post"' in page and 'method="get"' not in page
    everyone = client.get(reverse("registry:person_list")).context["total"]
    person = personas.in_scope_person
    with_q = client.get(reverse("registry:person_list"), {"q": person.document_number})
    assert with_q.context["total"] == everyone > 1
    assert _rows(LOOKED_UP) == []


# Reveals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"), [("zh-hans", "请选择查看完整号码的原因"), ("en", "Choose why")]
)
def test_a_reveal_without_a_purpose_is_refused(
    personas: Personas, language: str, text: str
) -> None:
    person = personas.in_scope_person
    client = personas.client("wang", language=language)
    page = client.post(reverse("registry:person_reveal", args=[person.pk]))
    assert page.status_code == 400
    assert text in page.content.decode() and person.document_number not in page.content.decode()
    api = client.post(f"/api/v1/persons/{person.pk}/reveal", {}, content_type="application/json")
    assert api.status_code == 400
    assert api.json()["code"] == "invalid" and text in api.json()["fields"]["purpose"][0]
    other = client.post(
        f"/api/v1/persons/{person.pk}/reveal",
        {"purpose": "other"},
        content_type="application/json",
    )
    assert other.status_code == 400 and "note" in other.json()["fields"]
    unknown = client.post(
        f"/api/v1/persons/{person.pk}/reveal",
        {"purpose": "curiosity"},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and "purpose" in unknown.json()["fields"]
    assert not ActionLog.objects.filter(action="registry.person.document_revealed").exists()


def test_a_reveal_logs_its_purpose_and_answers_the_number(personas: Personas) -> None:
    person = personas.in_scope_person
    client = personas.client("zhao")
    answer = client.post(
        f"/api/v1/persons/{person.pk}/reveal",
        {"purpose": "audit", "note": "稽核 2026-12"},
        content_type="application/json",
    ).json()
    assert answer["document_number"] == person.document_number
    assert answer["birth_date"] == f"{person.birth_date:%Y-%m-%d}"
    entry = ActionLog.objects.get(action="registry.person.document_revealed")
    clear = decrypted(entry)
    assert clear.after == {"purpose": "audit"} and clear.reason == "稽核: 稽核 2026-12"


def test_the_reveal_form_on_the_page_asks_for_the_purpose(personas: Personas) -> None:
    person = personas.in_scope_person
    page = personas.client("wang").get(reverse("registry:person_detail", args=[person.pk]))
    html = page.content.decode()
    assert (
        'name="purpose"' in html and "核实身份" in html and 'hx-target="#document-reveal"' in html
    )
    refused = personas.client("wang").post(
        reverse("registry:person_reveal", args=[person.pk]), HTTP_HX_REQUEST="true"
    )
    # htmx swaps only successful answers: the refusal comes back as the form with its error.
    assert refused.status_code == 200
    assert "<form" in refused.content.decode() and "请选择" in refused.content.decode()
    assert person.document_number not in refused.content.decode()
    assert (
        "Show full number"
        not in personas.client("li")
        .get(reverse("registry:person_detail", args=[person.pk]))
        .content.decode()
    )


# Registering a document held outside the scope ---------------------------------------------------


def _register(personas: Personas, number: str, language: str = "zh-hans"):
    return personas.client("wang", language=language).post(
        reverse("registry:person_create"),
        {
            "document_type": "resident_id",
            "document_number": number,
            "name": "试探",
            "region": "320505",
        },
    )


@pytest.mark.parametrize(
    ("language", "neutral", "already"),
    [
        ("zh-hans", "此证件无法在此登记，请联系医保局。", "持此证件的人员已登记。"),
        (
            "en",
            "This document cannot be registered here. Please contact the bureau.",
            "A person with this document is already registered.",
        ),
    ],
)
def test_registering_a_document_held_outside_the_scope_is_refused_neutrally(
    personas: Personas, language: str, neutral: str, already: str
) -> None:
    outside, inside = personas.out_of_scope_person, personas.in_scope_person
    page = _register(personas, outside.document_number, language).content.decode()
    assert neutral in page and already not in page
    assert outside.name not in page
    [entry] = _rows("registry.person.registration_refused")
    assert (entry.actor, entry.object_id) == (personas.user("wang"), str(outside.pk))
    assert entry.region_path == outside.region.path
    assert not _in_clear(entry, outside.document_number)
    # Suzhou's auditor does not see the row; an administrator does.
    assert not core_queries.action_log_for(personas.user("zhao")).filter(pk=entry.pk).exists()
    assert core_queries.action_log_for(personas.user("admin")).filter(pk=entry.pk).exists()
    # A document the user may see is simply "already registered", and nothing is logged.
    page = _register(personas, inside.document_number, language).content.decode()
    assert already in page and neutral not in page
    assert len(_rows("registry.person.registration_refused")) == 1


def test_the_api_answers_the_same_neutral_message(personas: Personas) -> None:
    outside = personas.out_of_scope_person
    answer = personas.client("wang").post(
        "/api/v1/persons",
        {
            "document_type": "resident_id",
            "document_number": outside.document_number,
            "name": "试探",
            "region": "320505",
        },
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["fields"]["document_number"] == ["此证件无法在此登记，请联系医保局。"]
    person = personas.in_scope_person
    changed = personas.client("wang").patch(
        f"/api/v1/persons/{person.pk}",
        {"document_number": outside.document_number},
        content_type="application/json",
    )
    assert changed.status_code == 400
    assert changed.json()["fields"]["document_number"] == ["此证件无法在此登记，请联系医保局。"]
    assert len(_rows("registry.person.registration_refused")) == 2


# Opening objects outside the scope ---------------------------------------------------------------


def test_opening_a_person_outside_the_scope_is_logged_in_that_region(personas: Personas) -> None:
    outside = personas.out_of_scope_person
    wang = personas.client("wang")
    assert wang.get(reverse("registry:person_detail", args=[outside.pk])).status_code == 404
    assert wang.get(f"/api/v1/persons/{outside.pk}").status_code == 404
    assert wang.get(reverse("registry:person_detail", args=[999_999_999])).status_code == 404
    rows = _rows("registry.access.refused")
    assert [(r.actor.username, r.object_type, r.object_id) for r in rows] == [
        ("wang", "registry.person", str(outside.pk)),
        ("wang", "registry.person", str(outside.pk)),
        ("wang", "registry.person", "999999999"),
    ]
    assert [r.region_path for r in rows] == [outside.region.path, outside.region.path, ""]
    zhao = core_queries.action_log_for(personas.user("zhao"))
    assert not zhao.filter(action="registry.access.refused").exists()
    assert (
        core_queries.action_log_for(personas.user("admin"))
        .filter(action="registry.access.refused")
        .count()
        == 3
    )
    # The action log page of Suzhou's auditor does not list the attempt either (its label is
    # only among the actions the list can be filtered by).
    page = personas.client("zhao").get(reverse("core:action_log")).content.decode()
    listed = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "访问辖区外的记录，被拒绝" not in listed and "registry.access.refused" not in listed
    admin = personas.client("admin").get(reverse("core:action_log")).content.decode()
    assert "访问辖区外的记录，被拒绝" in admin[admin.index("<tbody>") : admin.index("</tbody>")]


def test_households_and_authorisations_outside_the_scope_are_logged(personas: Personas) -> None:
    from tests.core.test_authorization_matrix import authorisation, household

    house, auth = household(personas, False), authorisation(personas, False)
    wang = personas.client("wang")
    assert wang.get(reverse("registry:household_detail", args=[house])).status_code == 404
    assert wang.get(reverse("registry:authorisation_revoke", args=[auth])).status_code == 404
    assert wang.get(f"/api/v1/households/{house}").status_code == 404
    types = [r.object_type for r in _rows("registry.access.refused")]
    assert types == ["registry.household", "registry.agent_authorisation", "registry.household"]


def test_a_refusal_stays_logged_though_the_request_fails(personas: Personas) -> None:
    outside = personas.out_of_scope_person
    with pytest.raises(NotFound):
        services.person_in_scope(personas.user("li"), outside.pk)
    assert len(_rows("registry.access.refused")) == 1
