"""What the decision part's pages read, each query starting from the user's scope: region
subtree for staff; an institution's staff see only the beneficiaries with a care plan at
their institution. Out of scope is ``NotFound`` (404)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.roles import Role
from jingban.core.scope import region_path_filter
from jingban.ltc.models import (
    CarePlan,
    Case,
    CaseStatus,
    Decision,
    Entitlement,
    Notice,
    NoticeStatus,
)


def _institution_only(user: User) -> bool:
    return user.role == Role.INSTITUTION_STAFF


def entitlements_for(user: User) -> QuerySet[Entitlement]:
    rows = Entitlement.objects.select_related("person__region", "case")
    if _institution_only(user):
        if user.organisation_id is None:
            return rows.none()
        own = CarePlan.objects.filter(
            entitlement=OuterRef("pk"), provider__organisation_id=user.organisation_id
        )
        return rows.filter(Exists(own))
    return rows.filter(region_path_filter(user))


def entitlement_for(user: User, pk: int) -> Entitlement:
    found = entitlements_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def notices_for(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(region_path_filter(user)).select_related("case__person", "region")


def notice_for(user: User, pk: int) -> Notice:
    found = notices_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def cases_for(user: User) -> QuerySet[Case]:
    return Case.objects.filter(region_path_filter(user)).select_related("person__region")


def case_for(user: User, pk: int) -> Case:
    found = cases_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def cases_to_post(user: User) -> QuerySet[Case]:
    """Concluded cases whose result has not been posted yet."""
    posted = Notice.objects.filter(case=OuterRef("pk"))
    return cases_for(user).filter(status=CaseStatus.CONCLUDED).exclude(Exists(posted))


def cases_to_decide(user: User, day: dt.date) -> QuerySet[Case]:
    """Cases whose notice ended without objection, or whose re-assessment is concluded."""
    ended = Notice.objects.filter(case=OuterRef("pk"), ends_on__lt=day).exclude(
        status=NoticeStatus.OBJECTED
    )
    any_notice = Notice.objects.filter(case=OuterRef("pk"))
    return cases_for(user).filter(
        Q(status=CaseStatus.NOTICE, pk__in=Case.objects.filter(Exists(ended)).values("pk"))
        | Q(
            status=CaseStatus.CONCLUDED, pk__in=Case.objects.filter(Exists(any_notice)).values("pk")
        )
    )


def decisions_for(user: User) -> QuerySet[Decision]:
    rows = Decision.objects.select_related("case", "person", "document", "entitlement")
    if _institution_only(user):
        return rows.filter(entitlement__in=entitlements_for(user))
    return rows.filter(region_path_filter(user))


def decision_for(user: User, pk: int) -> Decision:
    found = decisions_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def public_notices(day: dt.date, region_code: str = "") -> QuerySet[Notice]:
    """Notices open for objection on ``day`` (anyone may read them), optionally in a region."""
    rows = Notice.objects.filter(
        status=NoticeStatus.POSTED, posted_on__lte=day, ends_on__gte=day
    ).select_related("region")
    if region_code:
        rows = rows.filter(region__code=region_code)
    return rows.order_by("region__code", "-posted_on", "id")


def due_reassessments(user: User, day: dt.date) -> QuerySet[Case]:
    """Re-assessments of this part still open, soonest due first."""
    return (
        cases_for(user)
        .filter(
            status__in=[CaseStatus.OBJECTED, CaseStatus.ACCEPTED, CaseStatus.DISPATCHED],
            due_on__isnull=False,
        )
        .filter(
            Q(kind="reassessment")
            | Q(status=CaseStatus.OBJECTED)
            | Q(notices__status=NoticeStatus.OBJECTED)
        )
        .distinct()
        .order_by("due_on")
    )
