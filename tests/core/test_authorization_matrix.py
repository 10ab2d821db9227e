"""The authorization matrix: every URL pattern and every API operation, for every role, against
an object in the user's scope and one outside it.

A route missing from the tables below fails ``test_every_route_is_in_the_matrix``, so a new
route cannot escape. Roles that may act get the page (in scope) or 404 (out of scope); roles that
may not act get 403 on both, before any lookup, so a refusal reveals nothing about the object.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jingban.api import api
from jingban.core.models import Holiday, Organisation, User
from jingban.core.roles import Role
from jingban.core.services.accounts import create_account
from jingban.core.services.calendar import seed_from_chinese_calendar
from jingban.jobs.models import JobRun, JobStatus
from jingban.packs import queries as packs_queries
from jingban.packs import services as packs_services
from jingban.packs.models import PackVersion
from jingban.registry import queries as registry_queries
from jingban.registry import services as registry_services
from jingban.registry.models import AgentAuthorisation, AgentService
from tests.authz import (
    AGENTS,
    CALENDAR_VIEWERS,
    EVERYONE,
    GRANTERS,
    HOUSEHOLD_EDITORS,
    JOB_USERS,
    LOG_VIEWERS,
    ORG_VIEWERS,
    PERSON_EDITORS,
    PERSON_VIEWERS,
    POLICY_APPROVERS,
    POLICY_EDITORS,
    POLICY_VIEWERS,
    REVEALERS,
    ROLES,
    UNRESTRICTED,
    Route,
)
from tests.personas import Personas


def person(p: Personas, in_scope: bool) -> int:
    return (p.in_scope_person if in_scope else p.out_of_scope_person).pk


def organisation(p: Personas, in_scope: bool) -> int:
    code = "SZ-CARE-KN" if in_scope else "NJ-YBJ"
    return Organisation.objects.get(code=code).pk


def holiday(p: Personas, in_scope: bool) -> int:
    if in_scope:
        seed_from_chinese_calendar([2025], acting_user=None)
        return Holiday.objects.filter(date__year=2025).first().pk  # type: ignore[union-attr]
    return 999_999_999  # reference data has no region: "out of scope" is "absent"


def household(p: Personas, in_scope: bool) -> int:
    """The household headed by the in- or out-of-scope person (opened on first use)."""
    head = p.in_scope_person if in_scope else p.out_of_scope_person
    member = registry_queries.open_household_membership(head)
    if member is None:
        return registry_services.create_household(
            head, joined_on=dt.date(2024, 5, 1), acting_user=p.user("admin")
        ).pk
    return member.household_id


def household_member(p: Personas, in_scope: bool) -> tuple[int, int]:
    head = p.in_scope_person if in_scope else p.out_of_scope_person
    pk = household(p, in_scope)
    member = registry_queries.open_household_membership(head)
    assert member is not None
    return pk, member.pk


def _grant(p: Personas, person_pk: int, agent: User) -> int:
    found = AgentAuthorisation.objects.filter(person_id=person_pk, agent=agent).first()
    if found is not None:
        return found.pk
    today = dt.date.today()
    return registry_services.grant_authorisation(
        registry_queries.person_for(p.user("admin"), person_pk),
        registry_services.AuthorisationInput(
            agent_username=agent.username,
            kind="agent",
            services=(AgentService.VIEW_RECORD, AgentService.UPDATE_CONTACT),
            valid_from=today,
            valid_to=today + dt.timedelta(days=30),
            basis="matrix",
        ),
        acting_user=p.user("admin"),
    ).pk


def authorisation(p: Personas, in_scope: bool) -> int:
    """An authorisation of a separate agent account for the in- or out-of-scope person."""
    agent = User.objects.filter(username="matrix-agent").first() or create_account(
        username="matrix-agent", password="matrix-pass-1", role=Role.INSURED, acting_user=None
    )
    return _grant(p, person(p, in_scope), agent)


def acting_person(p: Personas, in_scope: bool) -> int:
    """For the agent persona chen: a person chen is authorised to act for, or one chen is not."""
    if not in_scope:
        return p.out_of_scope_person.pk
    _grant(p, p.in_scope_person.pk, p.user("chen"))
    return p.in_scope_person.pk


def own_member(p: Personas) -> dict[str, object]:
    """Adding the head again as a child: refused with 400 once past the scope checks."""
    return {"person_id": p.in_scope_person.pk, "relation": "child", "joined_on": "2024-05-01"}


def job_run(p: Personas, in_scope: bool) -> int:
    """A finished run started by wang (in wang's scope) or by admin (outside it). Retrying it is
    refused (409, or a redirect with the message on the page) once past the scope checks."""
    owner = p.user("wang" if in_scope else "admin")
    return JobRun.objects.create(
        kind="core.audit.verify", status=JobStatus.SUCCEEDED, started_by=owner
    ).pk


def pack_version(p: Personas, in_scope: bool) -> int:
    """A shipped pack version; packs are reference data, so "out of scope" is "absent"."""
    if not in_scope:
        return 999_999_999
    return PackVersion.objects.get(pack_id="sample-resident-2025", version=1).pk


def pack_draft(p: Personas, in_scope: bool) -> int:
    """A fresh draft entered by another administrator, so admin and qian may each approve,
    reject or (not being its author, refused with a message) discard one."""
    if not in_scope:
        return 999_999_999
    author = User.objects.filter(username="matrix-admin").first() or create_account(
        username="matrix-admin", password="matrix-pass-1", role=Role.ADMIN, acting_user=None
    )
    shipped = PackVersion.objects.get(pack_id="sample-resident-2025", version=1)
    version = packs_queries.next_version_number(shipped.pack_id)
    text = packs_services.bump_version_line(shipped.content, version)
    return packs_services.import_pack_text(text, acting_user=author).pk


PAGES: dict[str, Route] = {
    "core:home": Route(EVERYONE),
    "core:preferences": Route(EVERYONE),
    "core:organisation_list": Route(ORG_VIEWERS),
    "core:organisation_detail": Route(ORG_VIEWERS, organisation),
    "core:action_log": Route(LOG_VIEWERS),
    "core:calendar": Route(CALENDAR_VIEWERS),
    "core:calendar_delete": Route({"admin"}, holiday, method="post", ok=302, regional=False),
    "core:token_list": Route(EVERYONE),
    "core:token_admin": Route({"admin"}),
    "registry:person_list": Route(PERSON_VIEWERS),
    "registry:person_create": Route(PERSON_EDITORS),
    "registry:person_detail": Route(PERSON_VIEWERS, person),
    "registry:person_edit": Route(PERSON_EDITORS, person),
    "registry:person_reveal": Route(
        REVEALERS, person, method="post", data={"purpose": "identity_check"}
    ),
    "registry:my_record": Route({"chen"}),
    "registry:household_create": Route(HOUSEHOLD_EDITORS, person),
    "registry:household_detail": Route(PERSON_VIEWERS, household),
    "registry:household_add_member": Route(HOUSEHOLD_EDITORS, household, method="post", ok=400),
    "registry:household_member_leave": Route(HOUSEHOLD_EDITORS, household_member),
    "registry:authorisation_create": Route(GRANTERS, person),
    "registry:authorisation_revoke": Route(GRANTERS, authorisation),
    "registry:acting_list": Route(AGENTS),
    "registry:acting_record": Route(AGENTS, acting_person),
    "registry:acting_contact": Route(AGENTS, acting_person),
    "jobs:run_list": Route(JOB_USERS),
    "jobs:run_start": Route(JOB_USERS, method="post", data={"kind": "matrix.none"}, ok=400),
    "jobs:run_detail": Route(JOB_USERS, job_run),
    "jobs:run_retry": Route(JOB_USERS, job_run, method="post", ok=302),
    "packs:version_list": Route(POLICY_VIEWERS),
    "packs:version_create": Route(POLICY_EDITORS),
    "packs:version_detail": Route(POLICY_VIEWERS, pack_version, regional=False),
    "packs:version_trial": Route(POLICY_VIEWERS, pack_version, regional=False),
    "packs:version_edit": Route(POLICY_EDITORS, pack_version, regional=False),
    "packs:version_edit_yaml": Route(POLICY_EDITORS, pack_version, regional=False),
    "packs:version_download": Route(POLICY_VIEWERS, pack_version, regional=False),
    "packs:version_approve": Route(
        POLICY_APPROVERS,
        pack_draft,
        method="post",
        data={"approve-note": "matrix"},
        ok=302,
        regional=False,
        confirm=True,
    ),
    "packs:version_reject": Route(
        POLICY_APPROVERS,
        pack_draft,
        method="post",
        data={"reject-note": "matrix"},
        ok=302,
        regional=False,
        confirm=True,
    ),
    "packs:version_discard": Route(
        POLICY_EDITORS, pack_draft, method="post", ok=302, regional=False, confirm=True
    ),
}
# Downloads of lists (CSV, xlsx): the list's own capability and core.export.download.
EXPORTERS = {"admin", "wang", "sun", "zhao", "qian"}
PAGES.update(
    {
        f"{name}_{fmt}": Route(allowed & EXPORTERS)
        for name, allowed in (
            ("jobs:run_export", JOB_USERS),
            ("packs:version_export", POLICY_VIEWERS),
            ("registry:person_export", PERSON_VIEWERS),
        )
        for fmt in ("csv", "xlsx")
    }
)
# The reference-data admin (/admin/) is one family: every route needs core.reference.admin,
# checked by the site itself; tests/core/test_admin.py walks each of its routes for every role.
ADMIN_FAMILY = "admin:"
# Open to everyone, signed in or not; they change only the visitor's own preferences.
PUBLIC = {
    "core:login",
    "core:logout",
    "core:set_language",
    "core:toggle_care_mode",
    # The API's JSON 404 for a path that names no operation (tested in tests/core/test_api.py).
    "api_unknown_path",
}

BAD_PERSON = {
    "document_type": "resident_id",
    "document_number": "110101199003070000",
    "name": "测试",
    "region": "320505",
}

API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/me"): Route(EVERYONE),
    ("GET", "/api/v1/organisations"): Route(ORG_VIEWERS),
    ("GET", "/api/v1/organisations/{pk}"): Route(ORG_VIEWERS, organisation),
    ("GET", "/api/v1/persons"): Route(PERSON_VIEWERS),
    ("POST", "/api/v1/persons"): Route(PERSON_EDITORS, data=BAD_PERSON, ok=400),
    ("GET", "/api/v1/persons/me"): Route({"chen"}),
    ("GET", "/api/v1/persons/{pk}"): Route(PERSON_VIEWERS, person),
    ("PATCH", "/api/v1/persons/{pk}"): Route(PERSON_EDITORS, person, data={"reason": "matrix"}),
    ("POST", "/api/v1/persons/search"): Route(PERSON_VIEWERS, data={"q": "王"}),
    ("POST", "/api/v1/persons/{pk}/reveal"): Route(
        REVEALERS, person, data={"purpose": "audit", "note": "matrix"}
    ),
    ("GET", "/api/v1/households/{pk}"): Route(PERSON_VIEWERS, household),
    ("POST", "/api/v1/persons/{pk}/household"): Route(
        HOUSEHOLD_EDITORS, person, data={"joined_on": "2999-01-01"}, ok=400
    ),
    ("POST", "/api/v1/households/{pk}/members"): Route(
        HOUSEHOLD_EDITORS, household, data=own_member, ok=400
    ),
    ("POST", "/api/v1/households/{pk}/members/{member_pk}/leave"): Route(
        HOUSEHOLD_EDITORS, household_member, data={"left_on": "2000-01-01"}, ok=400
    ),
    ("GET", "/api/v1/persons/{pk}/agents"): Route(PERSON_VIEWERS, person),
    ("POST", "/api/v1/persons/{pk}/agents"): Route(
        GRANTERS,
        person,
        data={
            "agent_username": "chen",
            "kind": "agent",
            "services": [],
            "valid_from": "2026-01-01",
            "valid_to": "2026-02-01",
            "basis": "matrix",
        },
        ok=400,
    ),
    ("POST", "/api/v1/agent-authorisations/{pk}/revoke"): Route(
        GRANTERS, authorisation, data={"reason": " "}, ok=400
    ),
    ("GET", "/api/v1/acting"): Route(AGENTS),
    ("GET", "/api/v1/acting/{person_id}"): Route(AGENTS, acting_person),
    ("PATCH", "/api/v1/acting/{person_id}/contact"): Route(
        AGENTS, acting_person, data={"address": "矩阵路1号"}
    ),
    ("GET", "/api/v1/jobs"): Route(JOB_USERS),
    ("POST", "/api/v1/jobs"): Route(JOB_USERS, data={"kind": "matrix.none"}, ok=400),
    ("GET", "/api/v1/jobs/{pk}"): Route(JOB_USERS, job_run),
    ("POST", "/api/v1/jobs/{pk}/retry"): Route(JOB_USERS, job_run, ok=409),
    ("GET", "/api/v1/policies"): Route(POLICY_VIEWERS),
    ("GET", "/api/v1/policies/{pk}"): Route(POLICY_VIEWERS, pack_version, regional=False),
    ("POST", "/api/v1/policies/{pk}/approve"): Route(POLICY_APPROVERS, pack_draft, regional=False),
}
# The schema and its documentation page are public, like any OpenAPI description.
API_PUBLIC = {"/api/v1/", "/api/v1/openapi.json", "/api/v1/docs"}


def _app_matrices() -> None:
    """Add the routes each app's ``tests/<app>/matrix.py`` declares."""
    tests_dir = Path(__file__).resolve().parent.parent
    for module_file in sorted(tests_dir.glob("*/matrix.py")):
        module = importlib.import_module(f"tests.{module_file.parent.name}.matrix")
        for name, table in (("PAGES", PAGES), ("API", API)):
            extra = getattr(module, name, {})
            overlap = set(extra) & set(table)
            assert not overlap, f"{module.__name__} repeats {overlap}"
            table.update(extra)
        PUBLIC.update(getattr(module, "PUBLIC", set()))
        API_PUBLIC.update(getattr(module, "API_PUBLIC", set()))


_app_matrices()


def _walk(patterns: list[object], namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            found += [
                (name, str(entry.pattern) + route)
                for name, route in _walk(entry.url_patterns, prefix)
            ]
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name}", str(entry.pattern)))
    return found


def test_every_route_is_in_the_matrix() -> None:
    routes = _walk(get_resolver().url_patterns)
    pages = {name for name, _route in routes if not name.startswith(("api:", ADMIN_FAMILY))}
    assert any(name.startswith(ADMIN_FAMILY) for name, _route in routes)
    assert pages == set(PAGES) | PUBLIC
    operations = {
        (method.upper(), path)
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
    }
    assert operations == set(API)
    api_paths = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for name, route in routes
        if name.startswith("api:")
    }
    assert api_paths == {path for _m, path in API} | API_PUBLIC


def _args(target: object) -> list[object]:
    if target is None:
        return []
    return list(target) if isinstance(target, tuple) else [target]


def _fill(path: str, target: object) -> str:
    """The API path with its {placeholders} replaced by the target's ids, in order."""
    args = iter(_args(target))
    return re.sub(r"\{\w+\}", lambda _m: str(next(args)), path)


def _call(client, method: str, url: str, data: object, *, json_body: bool, personas=None):
    if callable(data):
        data = data(personas)
    if json_body:
        return getattr(client, method.lower())(url, data=data, content_type="application/json")
    return getattr(client, method.lower())(url, data=data)


def _expectation(route: Route, role: str, in_scope: bool) -> int:
    if role not in route.allowed:
        return route.denied_as.get(role, route.denied)
    if (
        route.target is not None
        and not in_scope
        and (role not in UNRESTRICTED or not route.regional)
    ):
        return 404
    return route.ok


def _cases(personas: Personas, route: Route):
    """Every (role, client, in_scope, object id) a route is tried with: routes without an
    object are tried once per role."""
    for role in ROLES:
        client = personas.client(role)
        for in_scope in (True, False) if route.target else (True,):
            target = route.target(personas, in_scope) if route.target else None
            yield role, client, in_scope, target


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matrix(personas: Personas, name: str) -> None:
    route = PAGES[name]
    failures = []
    for role, client, in_scope, target in _cases(personas, route):
        url = reverse(name, args=_args(target))
        expected = _expectation(route, role, in_scope)
        if route.confirm:
            # The confirmation page, asked before the POST acts: the same roles, the same
            # scope, but a page (200).
            shown = client.get(url).status_code
            wanted = 200 if expected == route.ok else expected
            if shown != wanted:
                failures.append((role, in_scope, f"GET {shown}", wanted))
        response = _call(client, route.method, url, route.data, json_body=False)
        if response.status_code != expected:
            failures.append((role, in_scope, response.status_code, expected))
    assert not failures, failures


@pytest.mark.parametrize("key", sorted(API), ids=lambda k: f"{k[0]} {k[1]}")
def test_api_matrix(personas: Personas, key: tuple[str, str]) -> None:
    method, path = key
    route = API[key]
    failures = []
    for role, client, in_scope, target in _cases(personas, route):
        url = _fill(path, target)
        response = _call(
            client, method, url, route.data, json_body=method != "GET", personas=personas
        )
        expected = _expectation(route, role, in_scope)
        if response.status_code != expected:
            failures.append((role, in_scope, response.status_code, expected))
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"code", "message", "fields"}, body
    assert not failures, failures


def test_lists_hold_only_in_scope_objects(personas: Personas) -> None:
    inside, outside = personas.in_scope_person, personas.out_of_scope_person
    for role in PERSON_VIEWERS - UNRESTRICTED:
        client = personas.client(role)
        page = client.get(reverse("registry:person_list")).content.decode()
        assert inside.name in page and f"/persons/{outside.pk}/" not in page, role
        listed = {row["id"] for row in client.get("/api/v1/persons").json()["results"]}
        assert inside.pk in listed and outside.pk not in listed, role
        home = client.get(reverse("core:home")).content.decode()
        assert f"/persons/{outside.pk}/" not in home
    nanjing = Organisation.objects.get(code="NJ-YBJ").name
    for role in ORG_VIEWERS - UNRESTRICTED:
        page = personas.client(role).get(reverse("core:organisation_list")).content.decode()
        assert nanjing not in page, role
        codes = {o["code"] for o in personas.client(role).get("/api/v1/organisations").json()}
        assert "NJ-YBJ" not in codes and "SZ-CARE-KN" in codes, role


def test_anonymous_is_sent_to_sign_in(client, personas: Personas) -> None:
    for name, route in PAGES.items():
        args = _args(route.target(personas, True)) if route.target else []
        response = _call(
            client, route.method, reverse(name, args=args), route.data, json_body=False
        )
        assert response.status_code in {302, 405}, name
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("core:login")), name
    for (method, path), route in API.items():
        url = _fill(path, route.target(personas, True) if route.target else None)
        response = _call(
            client, method, url, route.data, json_body=method != "GET", personas=personas
        )
        assert response.status_code == 401, (method, path)
        assert response.json()["code"] == "unauthenticated"
