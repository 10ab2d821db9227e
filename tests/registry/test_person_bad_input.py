"""Bad input on the person form and the API: a clear field error, in Chinese and in English, and
not one row written to the live, action-log or history tables."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from jingban.core.models import ActionLog
from jingban.demo.world import resident_id
from jingban.registry.models import Person
from tests.personas import Personas

VALID = resident_id("320505", dt.date(1980, 5, 17), 12, male=True)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _history_count() -> int:
    return sum(m.objects.count() for m in (Person.pgh_event_model,))  # type: ignore[attr-defined]


def _counts() -> tuple[int, int, int]:
    return Person.objects.count(), ActionLog.objects.count(), _history_count()


def _base(**changes: str) -> dict[str, str]:
    data = {
        "document_type": "resident_id",
        "document_number": VALID,
        "name": "测试人",
        "region": "320505001",
        "phone": "13912345678",
        "address": "示例路1号",
    }
    data.update(changes)
    return data


def _future_id() -> str:
    return resident_id("320505", dt.date.today() + dt.timedelta(days=400), 3, male=False)


# case → (changes to a valid registration, the field that must carry the error)
CASES = {
    "bad checksum": (
        lambda p: _base(document_number=VALID[:-1] + ("1" if VALID[-1] != "1" else "2")),
        "document_number",
    ),
    "impossible birth date": (
        lambda p: _base(document_number=_with_date("19990230")),
        "document_number",
    ),
    "future birth date": (lambda p: _base(document_number=_future_id()), "document_number"),
    "duplicate document": (
        lambda p: _base(document_number=p.in_scope_person.document_number),
        "document_number",
    ),
    "unknown region": (lambda p: _base(region="999999"), "region"),
    "region out of scope": (lambda p: _base(region="320102"), "region"),
    "malformed phone": (lambda p: _base(phone="12345"), "phone"),
    "type the number does not fit": (
        lambda p: _base(document_type="hkmt_residence"),
        "document_type",
    ),
}


def _with_date(yyyymmdd: str) -> str:
    from jingban.demo.world import _check_char

    body = "320505" + yyyymmdd + "123"
    return body + _check_char(body)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_api_rejects(personas: Personas, case: str, language: str) -> None:
    build, field = CASES[case]
    payload = build(personas)
    client = personas.client("wang", language=language)
    before = _counts()
    response = client.post("/api/v1/persons", data=payload, content_type="application/json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body) == {"code", "message", "fields"}
    messages = body["fields"][field]
    assert messages and all(m.strip() for m in messages)
    assert bool(CJK.search(messages[0])) is (language == "zh-hans"), messages
    assert bool(CJK.search(body["message"])) is (language == "zh-hans")
    assert _counts() == before


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_form_rejects(personas: Personas, case: str, language: str) -> None:
    build, field = CASES[case]
    client = personas.client("wang", language=language)
    before = _counts()
    response = client.post(reverse("registry:person_create"), data=build(personas))
    assert response.status_code == 400
    # Messages are lazy: read them in the request's language, then find them in the page.
    with translation.override(language):
        errors = {k: [str(m) for m in v] for k, v in response.context["form"].errors.items()}
    assert field in errors, errors
    assert bool(CJK.search(errors[field][0])) is (language == "zh-hans"), errors
    html = response.content.decode()
    assert escape(errors[field][0]) in html
    assert _counts() == before


def test_edit_with_bad_input_changes_nothing(personas: Personas) -> None:
    person = personas.in_scope_person
    client = personas.client("wang")
    data = {
        **_base(document_number=person.document_number, name="改名"),
        "phone": "abc",
        "region": person.region.code,
    }
    before = _counts()
    response = client.post(reverse("registry:person_edit", args=[person.pk]), data=data)
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    person.refresh_from_db()
    assert person.name != "改名"
    assert _counts() == before


def test_api_rejects_malformed_body_with_field_names(personas: Personas) -> None:
    client = personas.client("wang", language="en")
    before = _counts()
    response = client.post(
        "/api/v1/persons",
        data={"document_type": "resident_id", "birth_date": "2001-02-30"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert {"document_number", "name", "region", "birth_date"} <= set(body["fields"])
    assert _counts() == before
