"""Long-term care's section of the person's whole picture (``core.picture``): the latest case
(its state), the entitlement (level and status), the care plan in force and the latest monthly
statement of the year.

Staff see each part their capabilities and scope give on long-term care's own pages (an
assessor only the cases drawn to them, no plan or statement). The person sees their own case,
level, plan and statement: the decision letter that gave the level was delivered to them. An
agent sees the cases they applied for on the person's behalf, as on the agent's own list of
applications, and nothing more."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.core.calendar import today
from jingban.core.models import User
from jingban.core.picture import PictureSection
from jingban.ltc import queries_care, queries_decision, queries_intake, queries_settlement
from jingban.ltc.models import CarePlan, Case, Entitlement
from jingban.ltc.models_settlement import Statement
from jingban.registry.models import Person

ENTITLEMENT_VIEW = "ltc.entitlement.view"
APPLY = "ltc.case.apply"
CARE_PLAN_VIEW = "ltc.care_plan.view"
SETTLEMENT_VIEW = "ltc.settlement.view"


def _latest_parts(
    person: Person, viewer: User, own: bool, chosen: int
) -> tuple[Case | None, Entitlement | None, CarePlan | None, Statement | None]:
    day = today()
    in_force = Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    if own:
        cases = Case.objects.filter(person=person)
        entitlements = Entitlement.objects.filter(person=person)
        plans = CarePlan.objects.filter(person=person)
        statements = Statement.objects.filter(person=person)
    else:
        cases = queries_intake.cases_for(viewer).filter(person=person)
        if not viewer.can(queries_intake.VIEW):
            # An agent: the cases they applied for on the person's behalf.
            cases = queries_intake.own_cases(viewer).filter(person=person, agent__isnull=False)
        entitlements = (
            queries_decision.entitlements_for(viewer).filter(person=person)
            if viewer.can(ENTITLEMENT_VIEW)
            else Entitlement.objects.none()
        )
        plans = (
            queries_care.plans_for(viewer).filter(person=person)
            if viewer.can(CARE_PLAN_VIEW)
            else CarePlan.objects.none()
        )
        statements = (
            Statement.objects.filter(
                person=person, batch__in=queries_settlement.batches_for(viewer)
            )
            if viewer.can(SETTLEMENT_VIEW)
            else Statement.objects.none()
        )
    case = cases.order_by("-received_on", "-pk").first()
    entitlement = entitlements.order_by("-start_on", "-pk").first()
    plan = (
        plans.filter(in_force)
        .select_related("provider__organisation")
        .order_by("-effective_from", "-pk")
        .first()
    )
    statement = (
        statements.filter(batch__month__year=chosen)
        .select_related("batch")
        .order_by("-batch__month", "-pk")
        .first()
    )
    return case, entitlement, plan, statement


def ltc_section(person: Person, viewer: User, *, year: int | None) -> PictureSection | None:
    """长期护理: where the person stands in long-term care."""
    own = person.account_id is not None and person.account_id == viewer.pk
    staff = any(
        viewer.can(c)
        for c in (queries_intake.VIEW, ENTITLEMENT_VIEW, CARE_PLAN_VIEW, SETTLEMENT_VIEW)
    )
    agent = not own and not staff and viewer.can(APPLY)
    if not (own or staff or agent):
        return None
    chosen = year or today().year
    case, entitlement, plan, statement = _latest_parts(person, viewer, own, chosen)
    data: dict[str, Any] = {"year": chosen, "case": None, "entitlement": None}
    data |= {"care_plan": None, "statement": None}
    links: dict[str, str] = {}
    if case is not None:
        data["case"] = {
            "number": case.number,
            "status": case.status,
            "status_label": str(case.get_status_display()),
            "received_on": case.received_on.isoformat(),
        }
        links["case"] = (
            reverse("ltc:case_detail", args=[case.pk])
            if staff and viewer.can(queries_intake.VIEW)
            else reverse("ltc:my_cases")
        )
    if entitlement is not None:
        data["entitlement"] = {
            "level": entitlement.level,
            "severity_label": str(entitlement.get_severity_display()),
            "status": entitlement.status,
            "status_label": str(entitlement.get_status_display()),
            "start_on": entitlement.start_on.isoformat(),
            "end_on": entitlement.end_on.isoformat(),
        }
        if staff:
            links["entitlement"] = reverse("ltc:entitlement_detail", args=[entitlement.pk])
    if plan is not None:
        data["care_plan"] = {
            "care_form": plan.care_form,
            "care_form_label": str(plan.get_care_form_display()),
            "provider": plan.provider.organisation.name if plan.provider else "",
            "effective_from": plan.effective_from.isoformat(),
            "effective_to": plan.effective_to.isoformat() if plan.effective_to else None,
        }
        if staff:
            links["care_plan"] = reverse("ltc:care_plan_detail", args=[plan.pk])
    if statement is not None:
        data["statement"] = {
            "month": statement.batch.month.strftime("%Y-%m"),
            "billed": statement.billed_fen,
            "fund": statement.fund_fen,
            "self_pay": statement.self_pay_fen,
        }
        if staff:
            links["statement"] = reverse("ltc:settlement_statement", args=[statement.pk])
    count = sum(1 for part in (case, entitlement, plan, statement) if part is not None)
    return PictureSection(
        key="ltc.status",
        title=_("Long-term care"),
        order=600,
        template="ltc/picture/status.html",
        context={"case": case, "entitlement": entitlement, "plan": plan, "statement": statement}
        | {"links": links, "year": chosen},
        data=data,
        count=count,
    )
