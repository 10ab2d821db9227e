"""The enrollment app's routes in the authorization matrix. Each target is a fresh Suzhou person
(in wang's scope) or a fresh Nanjing one (outside it), so every allowed call can succeed."""

from __future__ import annotations

import datetime as dt
import itertools

from jingban.core.models import Region
from jingban.enrollment import services
from jingban.enrollment.models import PaymentImport
from jingban.enrollment.services import EnrollInput
from tests.authz import AGENTS, Route
from tests.enrollment.helpers import new_person
from tests.personas import Personas

VIEWERS = {"admin", "wang", "sun", "zhao", "qian"}
EDITORS = {"admin", "wang"}
NANJING = "320102"
_YEARS = itertools.count(2030)


def fresh_person(p: Personas, in_scope: bool) -> int:
    region = "320505001001" if in_scope else Region.objects.get(code=NANJING).code
    return new_person(p, name="矩阵", region=region).pk


def enrollment(p: Personas, in_scope: bool) -> int:
    from jingban.registry.models import Person

    person = Person.objects.select_related("region").get(pk=fresh_person(p, in_scope))
    return services.enroll(
        person,
        EnrollInput("resident_medical", 2025, dt.date(2025, 1, 1), "tier_1", dt.date(2024, 10, 1)),
        acting_user=None,
    ).pk


def enrolled_person(p: Personas, in_scope: bool) -> int:
    from jingban.registry.models import Enrollment

    return Enrollment.objects.get(pk=enrollment(p, in_scope)).person_id


def payment_file(p: Personas, in_scope: bool) -> int:
    region = Region.objects.get(code="320505" if in_scope else NANJING)
    return PaymentImport.objects.create(
        file_name="matrix.csv",
        channel="tax",
        region_path=region.path,
        rows=0,
        matched=0,
        amount_differs=0,
        unmatched=0,
        duplicates=0,
        digest="",
    ).pk


def acting_person(p: Personas, in_scope: bool) -> int:
    """A person chen may act for (viewing their record), or one she may not."""
    from jingban.registry import services as registry_services
    from jingban.registry.models import AgentService, Person

    person = Person.objects.select_related("region").get(pk=fresh_person(p, in_scope))
    if in_scope:
        today = dt.date.today()
        registry_services.grant_authorisation(
            person,
            registry_services.AuthorisationInput(
                agent_username="chen",
                kind="agent",
                services=(AgentService.VIEW_RECORD,),
                valid_from=today,
                valid_to=today + dt.timedelta(days=30),
                basis="matrix",
            ),
            acting_user=p.user("admin"),
        )
    return person.pk


def _enroll_data(p: Personas) -> dict[str, object]:
    year = next(_YEARS)
    return {"scheme": "resident_medical", "year": year, "effective": f"{year}-01-01", "tier": ""}


def _enroll_form(p: Personas) -> dict[str, object]:
    return {f"enroll-{key}": value for key, value in _enroll_data(p).items()}


_CHANGE = {"effective": "2025-06-01", "reason": "矩阵"}
_PAY = {"pay-scheme": "resident_medical", "pay-year": 2025, "pay-amount": "400"}

PAGES: dict[str, Route] = {
    "enrollment:overview": Route(VIEWERS),
    "enrollment:person": Route(VIEWERS, fresh_person),
    "enrollment:enroll": Route(EDITORS, fresh_person, method="post", data=_enroll_form, ok=302),
    "enrollment:pay": Route(EDITORS, enrolled_person, method="post", data=_PAY, ok=302),
    "enrollment:suspend": Route(
        EDITORS, enrollment, method="post", data=_CHANGE, ok=302, confirm=True
    ),
    "enrollment:end": Route(EDITORS, enrollment, method="post", data=_CHANGE, ok=302, confirm=True),
    "enrollment:renew": Route(
        EDITORS, enrollment, method="post", data={"reason": "矩阵"}, ok=302, confirm=True
    ),
    "enrollment:differences": Route(VIEWERS),
    "enrollment:import_enrollments": Route(EDITORS),
    "enrollment:import_payments": Route(EDITORS),
    "enrollment:import_detail": Route(EDITORS, payment_file),
    "enrollment:mine": Route({"chen"}),
    "enrollment:acting": Route(AGENTS, acting_person),
}

API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/enrollment/persons/{person_id}"): Route(VIEWERS, fresh_person),
    ("POST", "/api/v1/enrollment/persons/{person_id}/enrollments"): Route(
        EDITORS, fresh_person, method="post", data=_enroll_data, ok=201
    ),
    ("POST", "/api/v1/enrollment/enrollments/{pk}/suspend"): Route(
        EDITORS, enrollment, method="post", data=_CHANGE
    ),
    ("POST", "/api/v1/enrollment/enrollments/{pk}/end"): Route(
        EDITORS, enrollment, method="post", data=_CHANGE
    ),
    ("POST", "/api/v1/enrollment/enrollments/{pk}/renew"): Route(
        EDITORS, enrollment, method="post", data={"reason": "矩阵"}, ok=201
    ),
    ("POST", "/api/v1/enrollment/persons/{person_id}/payments"): Route(
        EDITORS,
        enrolled_person,
        method="post",
        data={"scheme": "resident_medical", "year": 2025, "amount_fen": 40000},
        ok=201,
    ),
    ("GET", "/api/v1/enrollment/mine"): Route({"chen"}),
    ("GET", "/api/v1/enrollment/acting/{person_id}"): Route(AGENTS, acting_person),
}
