"""Filing's routes in the authorization matrix. A filing of a Suzhou person (not chen) is in the
staff's scope; one of a Nanjing person is not. chen's own filing is hers; another person's is
404 to her (she holds the capability, but not that filing)."""

from __future__ import annotations

import datetime as dt

from jingban.core.calendar import today as local_today
from jingban.filing.models import Filing, Status
from jingban.registry.models import Person
from tests.authz import Route
from tests.personas import Personas

VIEWERS = {"admin", "wang", "sun", "zhao", "qian"}
OPERATORS = {"admin", "wang"}
INSURED = {"chen"}


def _file(p: Personas, who: Person, status: str = Status.IN_EFFECT) -> int:
    """A filing made directly (the services are tested in test_services): Nanjing has no
    filing pack, so its persons could not file through them."""
    today = local_today()
    return Filing.objects.create(
        person=who,
        kind="referral" if status == Status.PENDING else "other_temporary",
        insured_area=who.region.code[:4] + "00",
        destination="310000",
        destination_name="上海市",
        start=today,
        end=today + dt.timedelta(days=90),
        channel="window",
        status=status,
        filed_on=today,
        filed_by=p.user("admin"),
        region_path=who.region.path,
        pack="suzhou-filing-2026@1",
    ).pk


def _staff_person(p: Personas, in_scope: bool) -> Person:
    return p.in_scope_person if in_scope else p.out_of_scope_person


def filing(p: Personas, in_scope: bool) -> int:
    return _file(p, _staff_person(p, in_scope))


def pending(p: Personas, in_scope: bool) -> int:
    return _file(p, _staff_person(p, in_scope), Status.PENDING)


def own(p: Personas, in_scope: bool) -> int:
    """chen's own filing (in scope for her), or a Nanjing person's."""
    return _file(p, p.own_person if in_scope else p.out_of_scope_person)


def _chen() -> Person:
    return Person.objects.get(account__username="chen")


def _suzhou_person() -> Person:
    return (
        Person.objects.filter(region__path__contains="320500/", account__isnull=True)
        .order_by("pk")
        .first()
    )  # type: ignore[return-value]


def _window(p: object) -> dict[str, object]:
    return {
        "document_number": _suzhou_person().document_number,
        "kind": "other_temporary",
        "destination": "310000",
    }


def _api_new(p: Personas) -> dict[str, object]:
    return {"person_id": p.in_scope_person.pk, "kind": "other_temporary", "destination": "310000"}


def _own_new(p: object) -> dict[str, object]:
    return {"person": str(_chen().pk), "kind": "other_temporary", "destination": "310000"}


def _decision(p: Personas) -> dict[str, object]:
    return {
        "person_id": p.in_scope_person.pk,
        "insured_area": "320500",
        "treatment_area": "310104",
    }


PAGES: dict[str, Route] = {
    "filing:list": Route(VIEWERS),
    "filing:window_new": Route(OPERATORS, method="post", data=_window, ok=302),
    "filing:detail": Route(VIEWERS, filing),
    "filing:approve": Route(OPERATORS, pending, method="post", ok=302),
    "filing:refuse": Route(
        OPERATORS, pending, method="post", data={"refuse-reason": "matrix"}, ok=302
    ),
    "filing:cancel": Route(OPERATORS, filing, method="post", ok=302, confirm=True),
    "filing:my_list": Route(INSURED),
    "filing:my_new": Route(INSURED, method="post", data=_own_new, ok=302),
    "filing:my_detail": Route(INSURED, own),
    "filing:my_cancel": Route(INSURED, own, method="post", ok=302, confirm=True),
}

API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/filings"): Route(VIEWERS | INSURED),
    ("POST", "/api/v1/filings"): Route(OPERATORS, data=_api_new, ok=201, denied_as={"chen": 404}),
    ("GET", "/api/v1/filings/cross-region"): Route(VIEWERS, data=_decision),
    ("GET", "/api/v1/filings/{pk}"): Route(VIEWERS, filing, denied_as={"chen": 404}),
    ("POST", "/api/v1/filings/{pk}/approve"): Route(OPERATORS, pending),
    ("POST", "/api/v1/filings/{pk}/refuse"): Route(OPERATORS, pending, data={"reason": "matrix"}),
    ("POST", "/api/v1/filings/{pk}/cancel"): Route(
        OPERATORS, filing, data={"reason": ""}, denied_as={"chen": 404}
    ),
}
