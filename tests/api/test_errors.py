"""What the fuzzer found, pinned: inputs PostgreSQL refuses, and the documented error statuses."""

from __future__ import annotations

from django.test import Client

from jingban.core.services.accounts import issue_api_token
from jingban.registry.models import Person
from tests.personas import Personas


def _client(personas: Personas, username: str) -> tuple[Client, dict[str, str]]:
    token = issue_api_token(personas.user(username), name="test", acting_user=None)
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_null_character_is_refused_by_field_not_sent_to_the_database(
    personas: Personas,
) -> None:
    client, auth = _client(personas, "wang")
    person = personas.in_scope_person
    patched = client.patch(
        f"/api/v1/persons/{person.pk}",
        data='{"name": "王\\u0000五", "address": "新地址1号"}',
        content_type="application/json",
        **auth,
    )
    assert patched.status_code == 400
    assert patched.json()["code"] == "invalid"
    assert list(patched.json()["fields"]) == ["name"]
    person.refresh_from_db()
    assert person.address != "新地址1号"

    searched = client.get("/api/v1/persons", {"q": "王\x00"}, **auth)
    assert searched.status_code == 400
    assert list(searched.json()["fields"]) == ["q"]


def test_a_page_past_the_end_is_empty_however_far(personas: Personas) -> None:
    client, auth = _client(personas, "admin")
    for page in (2, 10**20):
        response = client.get("/api/v1/persons", {"page": page}, **auth)
        assert response.status_code == 200
        assert response.json() == {
            "count": Person.objects.count(),
            "count_exact": True,
            "page": page,
            "results": [],
            "next_cursor": None,
        }


def test_a_body_that_is_not_json_gets_the_one_error_shape(personas: Personas) -> None:
    client, auth = _client(personas, "sun")
    response = client.patch(
        f"/api/v1/persons/{personas.in_scope_person.pk}",
        data=b"{not json",
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()) == {"code", "message", "fields"}


def test_the_schema_documents_every_error_status(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    assert set(schema["components"]["schemas"]["ErrorOut"]["required"]) == {
        "code",
        "message",
        "fields",
    }
    me = schema["paths"]["/api/v1/me"]["get"]["responses"]
    assert set(me) == {"200", "401"}  # no parameters, nothing to refuse but the credentials
    patch = schema["paths"]["/api/v1/persons/{pk}"]["patch"]["responses"]
    assert set(patch) == {"200", "400", "401", "403", "404", "422"}
    for status in ("400", "401", "403", "404", "422"):
        assert patch[status]["content"]["application/json"]["schema"] == error
