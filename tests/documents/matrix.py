"""The documents app's routes in the authorization matrix."""

from __future__ import annotations

from tests.authz import Route
from tests.personas import Personas


def person(p: Personas, in_scope: bool) -> int:
    return (p.in_scope_person if in_scope else p.out_of_scope_person).pk


PAGES = {
    "documents:person_enrollment_proof": Route({"admin", "wang"}, person, method="post"),
    "documents:own_enrollment_proof": Route({"chen"}, method="post"),
}
# Anyone, signed in or not: it says only whether a code is genuine (throttled).
PUBLIC = {"documents:verify"}
