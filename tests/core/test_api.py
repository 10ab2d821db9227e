"""The API's authentication, its one error shape, and its language."""

from __future__ import annotations

from django.test import Client

from jingban.core.actionlog.personal import decrypted
from jingban.core.models import ActionLog
from jingban.core.services.accounts import issue_api_token
from tests.personas import Personas


def test_token_authenticates_and_a_bad_token_does_not(personas: Personas) -> None:
    raw = issue_api_token(personas.user("wang"), name="his", acting_user=None)
    client = Client()
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200
    assert me.json()["username"] == "wang"
    assert "registry.person.reveal" in me.json()["capabilities"]
    bad = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer jb_not-a-token")
    assert bad.status_code == 401
    assert bad.json()["code"] == "unauthenticated"


def test_token_user_reveals_and_the_reveal_is_logged(personas: Personas) -> None:
    raw = issue_api_token(personas.user("sun"), name="review", acting_user=None)
    person = personas.in_scope_person
    response = Client().post(
        f"/api/v1/persons/{person.pk}/reveal",
        data={"purpose": "audit"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.json()["document_number"] == person.document_number
    entry = ActionLog.objects.get(action="registry.person.document_revealed")
    assert entry.actor == personas.user("sun") and entry.object_id == str(person.pk)
    assert decrypted(entry).after == {"purpose": "audit"}


def test_session_writes_need_the_csrf_token(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.user("wang"))
    person = personas.in_scope_person
    refused = client.patch(
        f"/api/v1/persons/{person.pk}",
        data={"address": "新地址1号"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    person.refresh_from_db()
    assert person.address != "新地址1号"
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.patch(
        f"/api/v1/persons/{person.pk}",
        data={"address": "新地址1号"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["address"] == "新地址1号"


def test_errors_speak_the_users_language(personas: Personas) -> None:
    out = personas.out_of_scope_person.pk
    zh = personas.client("wang").get(f"/api/v1/persons/{out}")
    en = personas.client("sun", language="en").get(f"/api/v1/persons/{out}")
    assert zh.status_code == en.status_code == 404
    assert zh.json()["code"] == en.json()["code"] == "not_found"
    assert zh.json()["message"] != en.json()["message"]
    assert en.json()["message"] == "Not found."


def test_forbidden_has_the_same_shape(personas: Personas) -> None:
    response = personas.client("kangning").get("/api/v1/persons")
    assert response.status_code == 403
    assert set(response.json()) == {"code", "message", "fields"}
    assert response.json()["code"] == "forbidden"


def test_pages_ignore_the_browsers_language(client) -> None:
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "zh-hans"
    client.cookies["jingban_language"] = "en"
    assert client.get("/login/")["Content-Language"] == "en"


def test_openapi_schema_is_served(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/persons/{pk}/reveal" in schema["paths"]
    assert schema["components"]["securitySchemes"]


def test_a_path_that_names_no_operation_is_a_json_404(personas: Personas) -> None:
    client = personas.client("wang", language="en")
    for path in ("/api/v1/persons/%C2%A04", "/api/v1/persons/abc", "/api/v1/no-such-thing"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json"), path
        assert response.json() == {"code": "not_found", "message": "Not found.", "fields": {}}
