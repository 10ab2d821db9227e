"""Scoped reads of statements. Bureau staff (``coinsurance.statement.view``) see the statements
of insurers whose region is in their subtree or above it (a provincial insurer serves every city
of the province); a co-insurer's staff (``coinsurance.own.view``) see their own organisation's
statements only. Out of scope looks exactly like missing (404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jingban.coinsurance.models import Statement, StatementRun
from jingban.coinsurance.services import OWN_VIEW, VIEW
from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.scope import is_unrestricted


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{code}/" for code in parts[: n + 1]) for n in range(len(parts))]


def staff_filter(user: User) -> Q:
    if is_unrestricted(user):
        return Q()
    if user.region_id is None:
        return Q(pk__in=[])
    path = user.region.path  # type: ignore[union-attr]
    return Q(region_path__startswith=path) | Q(region_path__in=_ancestors(path))


def statements_for(user: User) -> QuerySet[Statement]:
    qs = Statement.objects.select_related("run", "insurer")
    if user.can(VIEW):
        return qs.filter(staff_filter(user))
    if user.can(OWN_VIEW) and user.organisation_id is not None:
        return qs.filter(insurer_id=user.organisation_id)
    return qs.none()


def statement_for(user: User, pk: int) -> Statement:
    found = statements_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def runs_for(user: User) -> QuerySet[StatementRun]:
    """The runs with at least one statement the user may see."""
    visible = statements_for(user).values("run_id")
    return StatementRun.objects.filter(pk__in=visible)
