"""Cases as a user may see them: from the region scope; out of scope is 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.urls import reverse

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.scope import region_filter
from jingban.desk.models import OPEN_STATES, Case, RoutingRule


def cases_for(user: User) -> QuerySet[Case]:
    return Case.objects.filter(region_filter(user)).select_related(
        "region", "organisation", "assignee", "scheme"
    )


def case_for(user: User, pk: int) -> Case:
    case = cases_for(user).filter(pk=pk).first()
    if case is None:
        raise NotFound()
    return case


def filtered(
    user: User,
    *,
    kind: str = "",
    state: str = "",
    category: str = "",
    overdue: bool = False,
    mine: bool = False,
    escalated: bool = False,
    today: dt.date,
) -> QuerySet[Case]:
    cases = cases_for(user)
    if kind:
        cases = cases.filter(kind=kind)
    if state:
        cases = cases.filter(state=state)
    if category:
        cases = cases.filter(category=category)
    if overdue:
        cases = cases.filter(state__in=OPEN_STATES, deadline__lt=today)
    if mine:
        cases = cases.filter(assignee=user)
    if escalated:
        cases = cases.filter(escalated=True, state__in=OPEN_STATES)
    return cases


def open_for(user: User) -> QuerySet[Case]:
    """The open cases an operator should work on: routed to their organisation or theirs."""
    cases = cases_for(user).filter(state__in=OPEN_STATES)
    if user.organisation_id is not None:
        cases = cases.filter(Q(organisation_id=user.organisation_id) | Q(assignee=user))
    return cases.order_by("deadline", "id")


def escalated_for(user: User) -> QuerySet[Case]:
    return cases_for(user).filter(state__in=OPEN_STATES, escalated=True).order_by("deadline")


def rules_for(user: User) -> QuerySet[RoutingRule]:
    """The routing rules of the user's region subtree (the administrator's: all of them)."""
    return RoutingRule.objects.filter(region_filter(user)).select_related("region", "organisation")


def rule_for(user: User, pk: int) -> RoutingRule:
    rule = rules_for(user).filter(pk=pk).first()
    if rule is None:
        raise NotFound()
    return rule


def rule_link(viewer: User, object_id: str) -> str | None:
    """The action log's link to a rule: only while it exists and the viewer may edit it (a
    deleted rule's entries keep what it was in their before)."""
    if not object_id.isdigit() or not viewer.can("desk.routing.edit"):
        return None
    if not rules_for(viewer).filter(pk=int(object_id)).exists():
        return None
    return reverse("desk:rule_edit", args=[int(object_id)])


def describe_rules(viewer: User, object_ids: list[str], *, reveal: bool = False) -> dict[str, str]:
    """How the action log names rules that still exist: category · region."""
    ids = [int(i) for i in object_ids if i.isdigit()]
    return {str(rule.pk): str(rule) for rule in rules_for(viewer).filter(pk__in=ids)}
