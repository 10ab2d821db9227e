"""The picture's routes in the authorization matrix. Staff who view persons open the picture of
a person of their scope (a Nanjing person is 404 to them, admin excepted); chen opens her own
(and, as an agent, a principal's: tests/picture/test_access.py); everyone else gets 403."""

from __future__ import annotations

from tests.authz import PERSON_VIEWERS, Route
from tests.personas import Personas


def person(p: Personas, in_scope: bool) -> int:
    return (p.in_scope_person if in_scope else p.out_of_scope_person).pk


INSURED = {"chen"}

PAGES: dict[str, Route] = {
    "picture:person": Route(PERSON_VIEWERS, person),
    "picture:mine": Route(INSURED),
}

API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/picture/persons/{id}"): Route(PERSON_VIEWERS, person),
    ("GET", "/api/v1/picture/me"): Route(INSURED),
}
