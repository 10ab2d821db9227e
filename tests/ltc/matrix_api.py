"""The read-only LTC API in the authorization matrix: the same roles and the same scope as the
pages that show the same rows (an assessor sees the case drawn to them; an institution the
entitlements of its own beneficiaries and its own statements). Targets are the intake and
decision parts' own (a Suzhou case or entitlement in scope, a Nanjing one outside)."""

from __future__ import annotations

from tests.authz import Route
from tests.ltc import matrix_decision, matrix_intake, matrix_settlement
from tests.personas import Personas

CASE_VIEWERS = {"admin", "wang", "sun", "li", "zhao", "qian"}


def entitled_person(p: Personas, in_scope: bool) -> int:
    return matrix_decision._entitlement(p, in_scope).person_id


def _statements_data(p: Personas) -> dict[str, object]:
    matrix_settlement.batch(p, True)
    matrix_settlement.batch(p, False)
    return {"month": matrix_settlement.MONTH.strftime("%Y-%m")}


API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/ltc/cases"): Route(CASE_VIEWERS),
    ("GET", "/api/v1/ltc/cases/{pk}"): Route(CASE_VIEWERS, matrix_intake.case),
    ("GET", "/api/v1/ltc/persons/{pk}/entitlements"): Route(
        matrix_decision.VIEWERS, entitled_person
    ),
    ("GET", "/api/v1/ltc/settlement/statements"): Route(
        matrix_settlement.VIEWERS, data=_statements_data
    ),
}
