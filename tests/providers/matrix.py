"""The providers app's routes in the authorization matrix. Out of scope for the bureau is
Nanjing's hospital; for 康宁护理院's staff it is the other Suzhou care institution, 安康养老院:
institution A's staff get 404 on institution B's objects."""

from __future__ import annotations

import datetime as dt

from jingban.core.models import Region
from jingban.providers import services
from jingban.providers.models import (
    Agreement,
    Check,
    CheckKind,
    Checklist,
    Institution,
    Outcome,
    OutcomeRule,
    RectificationOrder,
)
from tests.authz import Route
from tests.personas import Personas

VIEWERS = {"admin", "wang", "sun", "zhao", "qian"}
MANAGERS = {"admin", "wang"}
EDITORS = {"admin", "wang"}
STAFF = {"kangning"}


def _institution_code(in_scope: bool) -> str:
    return "SZ-CARE-KN" if in_scope else "NJ-HOSP-1"


def institution(p: Personas, in_scope: bool) -> int:
    return Institution.objects.get(organisation__code=_institution_code(in_scope)).pk


def agreement(p: Personas, in_scope: bool) -> int:
    return (
        Agreement.objects.filter(institution__organisation__code=_institution_code(in_scope))
        .first()
        .pk
    )  # type: ignore[union-attr]


def agreement_warning(p: Personas, in_scope: bool) -> tuple[int, str]:
    return agreement(p, in_scope), "warning"


def agreement_checklist(p: Personas, in_scope: bool) -> tuple[int, int]:
    return agreement(p, in_scope), Checklist.objects.get(code="SZ-LTC-EVAL").pk


def _nanjing_order() -> RectificationOrder:
    found = RectificationOrder.objects.filter(
        agreement__institution__organisation__code="NJ-HOSP-1"
    ).first()
    if found is not None:
        return found
    nanjing = Agreement.objects.get(institution__organisation__code="NJ-HOSP-1")
    return services.order_rectification(
        nanjing, issued_on=dt.date(2026, 3, 2), working_days=10, requirements="m", acting_user=None
    )


def order(p: Personas, in_scope: bool) -> int:
    if in_scope:
        return RectificationOrder.objects.get(
            agreement__institution__organisation__code="SZ-CARE-KN"
        ).pk
    return _nanjing_order().pk


def own_order(p: Personas, in_scope: bool) -> int:
    code = "SZ-CARE-KN" if in_scope else "SZ-CARE-AK"
    return RectificationOrder.objects.get(agreement__institution__organisation__code=code).pk


def check(p: Personas, in_scope: bool) -> int:
    if in_scope:
        return Check.objects.get(agreement__institution__organisation__code="SZ-CARE-KN").pk
    found = Check.objects.filter(agreement__institution__organisation__code="NJ-HOSP-1").first()
    if found is not None:
        return found.pk
    checklist = Checklist.objects.get(code="SZ-LTC-EVAL")
    return services.record_check(
        Agreement.objects.get(institution__organisation__code="NJ-HOSP-1"),
        checklist,
        checked_on=dt.date(2026, 3, 2),
        scores=[services.ItemScore(i.pk, i.weight) for i in checklist.items.all()],
        acting_user=None,
    ).pk


def checklist(p: Personas, in_scope: bool) -> int:
    return Checklist.objects.get(code="SZ-LTC-EVAL").pk if in_scope else 999_999_999


def rule(p: Personas, in_scope: bool) -> int:
    if in_scope:
        return OutcomeRule.objects.filter(region__code="320500").first().pk  # type: ignore[union-attr]
    nanjing = Region.objects.get(code="320100")
    found = OutcomeRule.objects.filter(region=nanjing).first()
    if found is not None:
        return found.pk
    return services.save_outcome_rule(
        None,
        region=nanjing,
        check_kind=CheckKind.EVALUATION,
        min_score=0,
        below_score=None,
        outcome=Outcome.PASS,
        rectification_days=None,
        deposit_return_percent=None,
        acting_user=None,
    ).pk


PAGES = {
    "providers:institution_list": Route(VIEWERS),
    "providers:institution_export_csv": Route(VIEWERS),
    "providers:institution_export_xlsx": Route(VIEWERS),
    "providers:institution_detail": Route(VIEWERS, institution),
    "providers:agreement_detail": Route(VIEWERS, agreement),
    "providers:agreement_event": Route(MANAGERS, agreement_warning),
    "providers:check_create": Route(MANAGERS, agreement_checklist),
    "providers:check_detail": Route(VIEWERS, check),
    "providers:order_decide": Route(MANAGERS, order),
    "providers:checklist_list": Route(VIEWERS),
    "providers:checklist_create": Route(EDITORS),
    "providers:checklist_edit": Route(EDITORS, checklist, regional=False),
    "providers:rule_list": Route(VIEWERS),
    "providers:rule_edit": Route(EDITORS, rule),
    "providers:own": Route(STAFF),
    "providers:own_zone": Route(STAFF),
    "providers:own_order": Route(STAFF, own_order),
}


def _designation_data(p: Personas) -> dict[str, object]:
    """An end before the start: refused (400) once past the scope checks."""
    from jingban.core.models import Scheme

    return {
        "scheme": Scheme.objects.get(code="ltc").pk,
        "care_form": "home",
        "valid_from": "2026-05-01",
        "valid_until": "2026-01-01",
    }


PAGES.update(
    {
        "providers:designation_add": Route(
            MANAGERS, institution, method="post", data=_designation_data, ok=400
        ),
        "providers:agreement_apply": Route(MANAGERS, institution, method="post", ok=400),
    }
)
