"""Reads with scope (docs/architecture.md#scope): hospital staff see their own institution's
settlements, bureau staff those of institutions in their region subtree, an insured person
their own and those of the persons they are an authorised agent of for viewing the record
today; out of scope is 404 like a missing row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.roles import Role
from jingban.core.scope import region_path_filter
from jingban.medical.models import Reconciliation, Settlement, SettlementKind, Visit

VIEW = "medical.settlement.view"
OWN = "medical.settlement.own"
# The agent's service that covers the principal's settlements (and their statements).
AGENT_SERVICE = "view_record"


def principal_ids(user: User) -> list[int]:
    """The persons an insured account may see the settlements of besides its own: those it is
    an authorised agent of, today, for viewing the record."""
    from jingban.registry.queries import principals_of

    return [a.person_id for a in principals_of(user) if AGENT_SERVICE in (a.services or [])]


def _scoped(user: User, rows: QuerySet, *, person_field: str = "person") -> QuerySet:
    if user.role == Role.INSTITUTION_STAFF:
        if user.organisation_id is None:
            return rows.none()
        return rows.filter(institution_id=user.organisation_id)
    if user.role == Role.INSURED:
        own = Q(**{f"{person_field}__account": user})
        principals = principal_ids(user)
        if principals:
            own |= Q(**{f"{person_field}_id__in": principals})
        return rows.filter(own)
    return rows.filter(region_path_filter(user))


def settlements_for(user: User) -> QuerySet[Settlement]:
    rows = Settlement.objects.select_related("person", "institution", "visit", "original")
    return _scoped(user, rows)


def visits_for(user: User) -> QuerySet[Visit]:
    return _scoped(user, Visit.objects.select_related("person", "institution"))


def reconciliations_for(user: User) -> QuerySet[Reconciliation]:
    rows = Reconciliation.objects.select_related("institution")
    if user.role == Role.INSURED:
        return rows.none()
    if user.role == Role.INSTITUTION_STAFF:
        return rows.filter(institution_id=user.organisation_id)
    return rows.filter(region_path_filter(user))


def settlement_for(user: User, pk: int) -> Settlement:
    row = settlements_for(user).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def visit_for(user: User, pk: int) -> Visit:
    row = visits_for(user).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


@dataclass(frozen=True)
class Filters:
    day_from: dt.date | None = None
    day_to: dt.date | None = None
    med_type: str = ""
    status: str = ""
    institution: str = ""  # organisation code (bureau staff)


def filtered(user: User, filters: Filters) -> QuerySet[Settlement]:
    rows = settlements_for(user)
    if filters.day_from:
        rows = rows.filter(setl_time__gte=_start(filters.day_from))
    if filters.day_to:
        rows = rows.filter(setl_time__lt=_start(filters.day_to + dt.timedelta(days=1)))
    if filters.med_type:
        rows = rows.filter(med_type=filters.med_type)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.institution:
        rows = rows.filter(institution__code=filters.institution)
    return rows.order_by("-setl_time", "-pk")


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class DayTotals:
    count: int
    reversals: int
    medfee: int
    fund: int
    cash: int


def day_totals(rows: QuerySet[Settlement]) -> DayTotals:
    got = rows.aggregate(
        count=Count("pk", filter=Q(kind=SettlementKind.SETTLEMENT)),
        reversals=Count("pk", filter=Q(kind=SettlementKind.REVERSAL)),
        medfee=Coalesce(Sum("medfee_sumamt"), 0),
        fund=Coalesce(Sum("fund_pay_sumamt"), 0),
        cash=Coalesce(Sum("psn_cash_pay"), 0),
    )
    return DayTotals(**got)


def today_for(user: User) -> QuerySet[Settlement]:
    today = timezone.localdate()
    return filtered(user, Filters(day_from=today, day_to=today))
