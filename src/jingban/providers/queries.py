"""Reading institutions and their agreements with scope.

The bureau's staff see the institutions of their region subtree; an institution's own staff see
their own institution only (``providers.own.view``): anything else is absent to them (404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.scope import region_filter
from jingban.files import queries as file_queries
from jingban.files.models import StoredFile
from jingban.providers.models import (
    OPEN_ORDER_STATES,
    Agreement,
    Check,
    Checklist,
    Institution,
    OrderReply,
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


def replies_with_files(user: User, order: RectificationOrder) -> list[OrderReply]:
    """The order's replies, each with ``files``: what the files app lets this user see of the
    evidence sent with it (nothing without ``files.file.view``)."""
    replies = list(order.replies.select_related("author"))
    may_see = user.can(file_queries.VIEW)
    for reply in replies:
        files: list[StoredFile] = []
        if may_see:
            files = list(
                file_queries.files_of(user, "providers.reply", str(reply.pk)).order_by(
                    "uploaded_at", "id"
                )
            )
        reply.files = files  # type: ignore[attr-defined]
    return replies


def evidence_by_check(user: User, check_ids: list[int]) -> dict[int, list[StoredFile]]:
    """The evidence files of those of these checks the user may see, by check (one query)."""
    if not check_ids or not user.can(file_queries.VIEW):
        return {}
    visible = {
        str(pk) for pk in checks_for(user).filter(pk__in=check_ids).values_list("pk", flat=True)
    }
    found: dict[int, list[StoredFile]] = {}
    for stored in StoredFile.objects.filter(
        object_type="providers.check", object_id__in=visible
    ).order_by("uploaded_at", "id"):
        found.setdefault(int(stored.object_id), []).append(stored)
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
