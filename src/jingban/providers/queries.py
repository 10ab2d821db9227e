"""Reading institutions and their agreements with scope.

The bureau's staff see the institutions of their region subtree; an institution's own staff see
their own institution only (``providers.own.view``): anything else is absent to them (404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.scope import region_filter
from jingban.providers.models import (
    OPEN_ORDER_STATES,
    Agreement,
    Check,
    Checklist,
    Institution,
    OutcomeRule,
    RectificationOrder,
)

VIEW = "providers.institution.view"
OWN = "providers.own.view"


def institutions_for(user: User) -> QuerySet[Institution]:
    rows = Institution.objects.select_related("organisation__region")
    if user.can(VIEW):
        return rows.filter(region_filter(user, "organisation__region"))
    if user.can(OWN) and user.organisation_id is not None:
        return rows.filter(organisation_id=user.organisation_id)
    return rows.none()


def institution_for(user: User, pk: int) -> Institution:
    found = institutions_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def own_institution(user: User) -> Institution:
    if user.organisation_id is None:
        raise NotFound()
    found = institutions_for(user).filter(organisation_id=user.organisation_id).first()
    if found is None:
        raise NotFound()
    return found


def agreements_for(user: User) -> QuerySet[Agreement]:
    return Agreement.objects.select_related("institution__organisation__region").filter(
        institution__in=institutions_for(user)
    )


def agreement_for(user: User, pk: int) -> Agreement:
    found = agreements_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def current_agreement(institution: Institution) -> Agreement | None:
    return institution.agreements.order_by("-valid_from", "-id").first()


def orders_for(user: User) -> QuerySet[RectificationOrder]:
    return RectificationOrder.objects.select_related(
        "agreement__institution__organisation__region"
    ).filter(agreement__institution__in=institutions_for(user))


def order_for(user: User, pk: int) -> RectificationOrder:
    found = orders_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def open_orders(user: User) -> QuerySet[RectificationOrder]:
    return orders_for(user).filter(state__in=OPEN_ORDER_STATES).order_by("deadline", "id")


def checks_for(user: User) -> QuerySet[Check]:
    return Check.objects.select_related("checklist", "agreement").filter(
        agreement__institution__in=institutions_for(user)
    )


def check_for(user: User, pk: int) -> Check:
    found = checks_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def checklists() -> QuerySet[Checklist]:
    return Checklist.objects.prefetch_related("items").order_by("code", "-version")


def checklist_for(pk: int) -> Checklist:
    found = checklists().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def rules_for(user: User) -> QuerySet[OutcomeRule]:
    """Rules of the user's region, the regions above it (they apply here) and below it."""
    rows = OutcomeRule.objects.select_related("region")
    if user.region_id is None:
        return rows
    codes = [c for c in user.region.path.split("/") if c]  # type: ignore[union-attr]
    return rows.filter(region_filter(user) | Q(region__code__in=codes))
