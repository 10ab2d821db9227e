"""Which long-term care cases a user sees, for the intake part's pages.

Everyone with ``ltc.case.view`` sees the cases of their region scope, except an assessor, who
sees only the cases an assessment of which was drawn to them (list, detail and files alike).
An insured person sees their own cases and those they applied for as an agent. Out of scope is
404 (``NotFound``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.roles import Role
from jingban.core.scope import region_path_filter
from jingban.ltc.models import Assessment, AssessmentStatus, Case, CaseStatus
from jingban.ltc.plugin_intake import VIEW
from jingban.workforce.models import Assessor, AssessorClass, StaffStatus

WAITING = (CaseStatus.APPLIED,)
OPEN = (
    CaseStatus.APPLIED,
    CaseStatus.ACCEPTED,
    CaseStatus.DISPATCHED,
    CaseStatus.ASSESSED,
)


def cases_for(user: User) -> QuerySet[Case]:
    if not user.can(VIEW):
        return Case.objects.none()
    qs = Case.objects.select_related("person", "region", "care_institution")
    if user.role == Role.ASSESSOR:
        drawn = Q(assessments__assessors__account=user)
        if is_expert(user):
            # An expert also sees what waits for (or had) their review, in their scope.
            drawn |= (
                Q(assessments__status=AssessmentStatus.SUBMITTED) & region_path_filter(user)
            ) | Q(assessments__reviews__by=user)
        return qs.filter(drawn).distinct()
    return qs.filter(region_path_filter(user))


def is_expert(user: User) -> bool:
    return Assessor.objects.filter(
        account=user, klass=AssessorClass.EXPERT, status=StaffStatus.ACTIVE
    ).exists()


def case_for(user: User, pk: int) -> Case:
    found = cases_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def filtered(
    user: User,
    *,
    status: str = "",
    channel: str = "",
    due: str = "",
    region: str = "",
    today: dt.date,
) -> QuerySet[Case]:
    qs = cases_for(user)
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if region:
        qs = qs.filter(
            Q(region_path__contains=f"/{region}/") | Q(region_path__startswith=f"{region}/")
        )
    if due == "overdue":
        qs = qs.filter(status__in=OPEN, due_on__lt=today)
    elif due == "due":
        qs = qs.filter(status__in=OPEN, due_on__gte=today)
    return qs


def waiting_for(user: User) -> QuerySet[Case]:
    return cases_for(user).filter(status__in=WAITING).order_by("due_on", "pk")


def assessments_to_do(user: User) -> QuerySet[Assessment]:
    """The pending assessments drawn to the user."""
    return (
        Assessment.objects.filter(assessors__account=user, status=AssessmentStatus.PENDING)
        .select_related("case", "case__person", "case__region")
        .distinct()
        .order_by("due_on", "pk")
    )


def reviews_to_do(user: User) -> QuerySet[Assessment]:
    """Submitted assessments of the user's scope the user (an expert) has not yet reviewed."""
    if not is_expert(user):
        return Assessment.objects.none()
    return (
        Assessment.objects.filter(region_path_filter(user), status=AssessmentStatus.SUBMITTED)
        .exclude(reviews__by=user)
        .select_related("case", "case__person")
        .order_by("submitted_at", "pk")
    )


def own_cases(user: User) -> QuerySet[Case]:
    """The insured person's own cases and those they applied for as an agent."""
    person = getattr(user, "person", None)
    if person is None:
        return Case.objects.none()
    return Case.objects.filter(Q(person=person) | Q(agent=person)).select_related("person")
