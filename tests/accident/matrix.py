"""Accident insurance's routes in the authorization matrix. A claim of a Suzhou person is in the
staff's scope; one of a Nanjing person is not. chen's own claim is hers; another person's is 404
to her (she holds the capability, but not that claim). gongbao (co-insurer staff) sees nothing
here: the co-insurance app gives the insurers their statements."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from jingban.core.calendar import today as local_today
from jingban.registry.models import Person
from tests.accident import helpers
from tests.authz import Route
from tests.personas import Personas

VIEWERS = {"admin", "wang", "sun", "zhao", "qian"}
ENROLLERS = {"admin", "wang"}
REPORTERS = {"admin", "wang"}
DECIDERS = {"admin", "sun"}
INSURED = {"chen"}


def _staff_person(p: Personas, in_scope: bool) -> Person:
    return p.in_scope_person if in_scope else p.out_of_scope_person


def claim(p: Personas, in_scope: bool) -> int:
    return helpers.claim(_staff_person(p, in_scope)).pk


def enrollment(p: Personas, in_scope: bool) -> int:
    return helpers.cover(_staff_person(p, in_scope)).pk


def payment(p: Personas, in_scope: bool) -> int:
    return helpers.cover(_staff_person(p, in_scope)).payment_id


def own(p: Personas, in_scope: bool) -> int:
    return helpers.claim(p.own_person if in_scope else p.out_of_scope_person).pk


def _chen() -> Person:
    return Person.objects.get(account__username="chen")


def _claim_form(person: Person) -> dict[str, object]:
    return {
        "accident_date": (local_today() - dt.timedelta(days=1)).isoformat(),
        "description": "摔伤（矩阵）",
        "medical_expenses": "500",
        "hospital_days": "0",
        "outcome": "none",
    }


def _window_claim(p: object) -> dict[str, object]:
    return {"document_number": _chen().document_number, **_claim_form(_chen())}


def _own_claim(p: object) -> dict[str, object]:
    return {"person": str(_chen().pk), **_claim_form(_chen())}


def _enroll(p: object) -> dict[str, object]:
    person = helpers.new_person()
    return {"document_number": person.document_number, "payer": "person", "confirm": "on"}


def _import(p: object) -> dict[str, object]:
    person = helpers.new_person()
    content = f"身份证号码,姓名\n{person.document_number},{person.name}\n".encode()
    return {
        "organisation": "矩阵社区居委会",
        "region": person.region.code,
        "payer": "community",
        "file": SimpleUploadedFile("list.csv", content, "text/csv"),
        "confirm": "on",
    }


def _api_enroll(p: Personas) -> dict[str, object]:
    return {"person_id": helpers.new_person().pk, "payer": "person"}


def _api_claim(p: Personas) -> dict[str, object]:
    return {
        "person_id": _chen().pk,
        "accident_date": (local_today() - dt.timedelta(days=1)).isoformat(),
        "description": "摔伤（矩阵）",
        "medical_expenses": 50_000,
    }


PAGES: dict[str, Route] = {
    "accident:claim_list": Route(VIEWERS),
    "accident:claim_new": Route(REPORTERS, method="post", data=_window_claim, ok=302),
    "accident:claim_detail": Route(VIEWERS, claim),
    "accident:claim_pay": Route(DECIDERS, claim, method="post", data={"pay-confirm": "on"}, ok=302),
    "accident:claim_refuse": Route(
        DECIDERS, claim, method="post", data={"refuse-reason": "matrix"}, ok=302
    ),
    "accident:enrollment_list": Route(VIEWERS),
    "accident:enroll_new": Route(ENROLLERS, method="post", data=_enroll, ok=302),
    "accident:enrollment_detail": Route(VIEWERS, enrollment),
    "accident:import": Route(ENROLLERS, method="post", data=_import, ok=302),
    "accident:payment_detail": Route(VIEWERS, payment),
    "accident:my": Route(INSURED),
    "accident:my_claim_new": Route(INSURED, method="post", data=_own_claim, ok=302),
    "accident:my_claim_detail": Route(INSURED, own),
}

API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/accident/enrollments"): Route(VIEWERS | INSURED),
    ("POST", "/api/v1/accident/enrollments"): Route(ENROLLERS, data=_api_enroll, ok=201),
    ("GET", "/api/v1/accident/enrollments/{pk}"): Route(
        VIEWERS, enrollment, denied_as={"chen": 404}
    ),
    ("GET", "/api/v1/accident/payments"): Route(VIEWERS),
    ("GET", "/api/v1/accident/payments/{pk}"): Route(VIEWERS, payment),
    ("GET", "/api/v1/accident/claims"): Route(VIEWERS | INSURED),
    ("POST", "/api/v1/accident/claims"): Route(REPORTERS | INSURED, data=_api_claim, ok=201),
    ("GET", "/api/v1/accident/claims/{pk}"): Route(VIEWERS, claim, denied_as={"chen": 404}),
    ("POST", "/api/v1/accident/claims/{pk}/pay"): Route(DECIDERS, claim),
    ("POST", "/api/v1/accident/claims/{pk}/refuse"): Route(
        DECIDERS, claim, data={"reason": "matrix"}
    ),
}
