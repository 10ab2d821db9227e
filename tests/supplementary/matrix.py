"""Supplementary insurance's API in the authorization matrix. An enrollment of a Suzhou person
(not chen) is in the staff's scope; one of a Nanjing person is not. chen holds the insured's
capability but not those enrollments (404). The co-insurer's staff (gongbao) get nothing."""

from __future__ import annotations

from jingban.core.calendar import today as local_today
from jingban.supplementary.models import Enrollment, Status
from tests.authz import Route
from tests.personas import Personas

VIEWERS = {"admin", "wang", "sun", "zhao", "qian"}
OPERATORS = {"admin", "wang"}
INSURED = {"chen"}
PRODUCT = "jiangsu-yihuibao-2021"


def _enrollment(p: Personas, in_scope: bool, status: str, year: int, *, own: bool = False) -> int:
    who = (p.own_person if own else p.in_scope_person) if in_scope else p.out_of_scope_person
    # One row per call: the earlier ones (premiums may hang on them) step aside as cancelled.
    Enrollment.objects.filter(person=who, product=PRODUCT, year=year).update(
        status=Status.CANCELLED
    )
    return Enrollment.objects.create(
        person=who,
        product=PRODUCT,
        year=year,
        channel="window",
        status=status,
        enrolled_on=local_today(),
        region_path=who.region.path,
    ).pk


def in_force(p: Personas, in_scope: bool) -> int:
    return _enrollment(p, in_scope, Status.IN_FORCE, local_today().year)


def next_year(p: Personas, in_scope: bool) -> int:
    """An enrollment whose cover has not started (it can be cancelled)."""
    return _enrollment(p, in_scope, Status.UNPAID, local_today().year + 1)


def own_next_year(p: Personas, in_scope: bool) -> int:
    return _enrollment(p, in_scope, Status.UNPAID, local_today().year + 1, own=True)


def own_in_force(p: Personas, in_scope: bool) -> int:
    return _enrollment(p, in_scope, Status.IN_FORCE, local_today().year, own=True)


PAGES: dict[str, Route] = {
    "supplementary:list": Route(VIEWERS),
    # The forms' GET: a POST succeeds only inside the enrollment window (tests/supplementary/
    # test_pages.py posts them with the window open).
    "supplementary:window_new": Route(OPERATORS),
    "supplementary:cancel": Route(OPERATORS, next_year, method="post", ok=302, confirm=True),
    "supplementary:my": Route(INSURED),
    "supplementary:my_enroll": Route(INSURED),
    "supplementary:my_cancel": Route(INSURED, own_next_year, method="post", ok=302, confirm=True),
    "supplementary:my_claim": Route(INSURED, own_in_force),
}

API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/supplementary/products"): Route(VIEWERS | INSURED),
    ("GET", "/api/v1/supplementary/enrollments"): Route(VIEWERS | INSURED),
    ("GET", "/api/v1/supplementary/enrollments/{pk}"): Route(
        VIEWERS, in_force, denied_as={"chen": 404}
    ),
    ("GET", "/api/v1/supplementary/premiums"): Route(VIEWERS | INSURED),
    ("GET", "/api/v1/supplementary/claims"): Route(VIEWERS | INSURED),
}
