"""Every answer under /api/ is JSON in the one error shape: wrong method (405), a body too
large (413), an unexpected exception (500, no traceback) and a database that is down (503)."""

from __future__ import annotations

import socket

import pytest
from django.db import connection
from django.test import Client

from jingban.core.services.accounts import issue_api_token
from tests.personas import Personas

SHAPE = {"code", "message", "fields"}


def _token(personas: Personas, username: str = "wang") -> dict[str, str]:
    raw = issue_api_token(personas.user(username), name="test", acting_user=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_wrong_method_is_405_in_json(personas: Personas) -> None:
    response = Client().delete("/api/v1/me", **_token(personas))
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == SHAPE and response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_a_body_too_large_is_413_in_json(personas: Personas, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    auth = _token(personas)
    person = personas.in_scope_person
    body = '{"address": "' + "路" * 2000 + '"}'
    declared = Client().patch(
        f"/api/v1/persons/{person.pk}", data=body, content_type="application/json", **auth
    )
    assert declared.status_code == 413
    assert set(declared.json()) == SHAPE and declared.json()["code"] == "too_large"
    person.refresh_from_db()
    assert "路" * 2000 not in person.address


def test_an_unexpected_exception_is_a_json_500_without_a_traceback(
    personas: Personas, monkeypatch
) -> None:
    from jingban.core import api as core_api

    def explode(*args: object, **kwargs: object) -> object:
        raise RuntimeError("secret internals at /srv/jingban/core.py line 42")

    monkeypatch.setattr(core_api.queries, "organisations_for", explode)
    en = personas.client("admin", language="en")
    failed = en.get("/api/v1/organisations")
    assert failed.status_code == 500
    assert set(failed.json()) == SHAPE and failed.json()["code"] == "server_error"
    assert "secret internals" not in failed.content.decode()
    assert "Traceback" not in failed.content.decode()
    assert failed.json()["message"] == "Something went wrong on our side. It has been recorded."
    zh = personas.client("qian").get("/api/v1/organisations")  # in Chinese, the default
    assert zh.json()["message"] != failed.json()["message"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.mark.django_db
def test_the_database_down_is_a_json_503(django_db_blocker) -> None:
    client = Client(raise_request_exception=False)
    saved = dict(connection.settings_dict)
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict.update(
            {"HOST": "127.0.0.1", "PORT": str(_closed_port()), "OPTIONS": {"connect_timeout": 2}}
        )
        try:
            by_token = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer jb_whatever")
            client.cookies["sessionid"] = "a-session-the-database-would-know"
            by_session = client.get("/api/v1/persons")
            posted = client.post("/api/v1/persons", data="{}", content_type="application/json")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
    for response in (by_token, by_session, posted):
        assert response.status_code == 503, response.content
        assert set(response.json()) == SHAPE
        assert response.json()["code"] == "unavailable"
