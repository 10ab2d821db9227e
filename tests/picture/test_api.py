"""The picture API: its schemas are named for the app, labels come in the caller's language,
and no caller ever gets a full document number or a birth date."""

from __future__ import annotations

from jingban.api import api
from tests.personas import Personas
from tests.picture.helpers import section


def test_the_schemas_are_named_for_the_app() -> None:
    names = set(api.get_openapi_schema()["components"]["schemas"])
    assert {"PictureOut", "PictureSectionOut", "PicturePersonOut"} <= names


def test_labels_follow_the_callers_language(personas: Personas) -> None:
    zh = personas.client("chen").get("/api/v1/picture/me").json()
    assert section(zh, "enrollment.coverage")["title"] == "参保情况"
    chen = personas.client("chen", language="en")
    body = chen.get("/api/v1/picture/me").json()
    coverage = section(body, "enrollment.coverage")
    assert coverage["title"] == "Coverage"
    assert {e["status_label"] for e in coverage["data"]["enrollments"]} == {"Active"}


def test_no_caller_gets_a_full_number_or_a_birth_date(personas: Personas) -> None:
    person = personas.own_person
    for role in ("admin", "wang", "sun", "li", "zhao", "qian"):
        text = personas.client(role).get(f"/api/v1/picture/persons/{person.pk}").content.decode()
        assert person.document_number not in text, role
        assert person.birth_date.isoformat() not in text, role
        assert person.phone not in text, role
