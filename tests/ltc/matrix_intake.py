"""The intake part's routes in the authorization matrix.

In scope: the demo's Suzhou cases (one waiting for acceptance; the one dispatched with li drawn,
whose pending assessment li scores). Out of scope: a case (and its assessment) of a Nanjing
person. An assessor sees only the cases drawn to them; the review page shows the round to them, its
form only to an expert (li is an assessor, not an expert)."""

from __future__ import annotations

from jingban.core.calendar import today as local_today
from jingban.ltc.models import Assessment, AssessmentStatus, Case, CaseStatus
from tests.authz import Route
from tests.personas import Personas

VIEWERS = {"admin", "wang", "sun", "li", "zhao", "qian"}
ACCEPTERS = {"admin", "wang"}


def _outside(p: Personas) -> Case:
    person = p.out_of_scope_person
    found = Case.objects.filter(person=person).first()
    if found is None:
        found = Case.objects.create(
            number="长护2026-900001",
            person=person,
            region=person.region,
            region_path=person.region.path,
            channel="window",
            status=CaseStatus.DISPATCHED,
            received_on=local_today(),
        )
        Assessment.objects.create(case=found, region_path=found.region_path)
    return found


def case(p: Personas, in_scope: bool) -> int:
    if not in_scope:
        return _outside(p).pk
    li = p.user("li")
    return Case.objects.filter(assessments__assessors__account=li).order_by("pk").first().pk  # type: ignore[union-attr]


def waiting(p: Personas, in_scope: bool) -> int:
    if not in_scope:
        return _outside(p).pk
    return Case.objects.filter(status=CaseStatus.APPLIED).order_by("pk").first().pk  # type: ignore[union-attr]


def assessment(p: Personas, in_scope: bool) -> int:
    if not in_scope:
        return _outside(p).assessments.get().pk
    return (
        Assessment.objects.filter(assessors__account=p.user("li"), status=AssessmentStatus.PENDING)
        .order_by("pk")
        .first()
        .pk  # type: ignore[union-attr]
    )


PAGES: dict[str, Route] = {
    "ltc:case_list": Route(VIEWERS),
    "ltc:case_export_csv": Route(VIEWERS - {"li"}),
    "ltc:case_export_xlsx": Route(VIEWERS - {"li"}),
    "ltc:case_new": Route(ACCEPTERS),
    "ltc:case_detail": Route(VIEWERS, case),
    "ltc:case_decide": Route(ACCEPTERS, waiting, method="post", ok=400),
    # Without a kind or a file: refused by the form (400) once access is granted.
    "ltc:case_material": Route(ACCEPTERS, waiting, method="post", ok=400),
    "ltc:case_dispatch": Route(ACCEPTERS, waiting, method="post", ok=400),
    "ltc:case_withdraw": Route(ACCEPTERS, waiting, method="post", ok=400),
    "ltc:score": Route({"li"}, assessment),
    "ltc:review": Route({"li"}, assessment),
    "ltc:apply": Route({"chen"}),
    "ltc:my_cases": Route({"chen"}),
}
