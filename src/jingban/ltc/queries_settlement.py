"""Settlement batches and statements as a user may see them: from the region scope; an
institution's staff see only the statements with a line of their own institution (and only the
batches holding one). Out of scope is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.roles import Role
from jingban.core.scope import region_path_filter
from jingban.ltc.models_settlement import (
    Adjustment,
    BatchStage,
    SettlementBatch,
    Statement,
    StatementLine,
)


def _institution_only(user: User) -> bool:
    return user.role == Role.INSTITUTION_STAFF


def _own_lines(user: User) -> Q:
    return Q(institution__organisation_id=user.organisation_id)


def batches_for(user: User) -> QuerySet[SettlementBatch]:
    batches = SettlementBatch.objects.select_related("region")
    if _institution_only(user):
        # An institution's staff: the batches holding a line of their institution, wherever
        # its beneficiaries live (a city's batch covers the institution's own district).
        if user.organisation_id is None:
            return batches.none()
        lines = StatementLine.objects.filter(_own_lines(user), statement__batch_id=OuterRef("pk"))
        return batches.filter(Exists(lines))
    return batches.filter(region_path_filter(user))


def batch_for(user: User, pk: int) -> SettlementBatch:
    batch = (
        batches_for(user)
        .select_related(
            "claimed_by", "first_reviewed_by", "second_reviewed_by", "paid_by", "run_by"
        )
        .filter(pk=pk)
        .first()
    )
    if batch is None:
        raise NotFound()
    return batch


def filtered_batches(user: User, *, month: str = "", stage: str = "") -> QuerySet[SettlementBatch]:
    batches = batches_for(user)
    if stage in BatchStage.values:
        batches = batches.filter(stage=stage)
    if len(month) == 7 and month[4] == "-" and month.replace("-", "").isdigit():
        year, number = int(month[:4]), int(month[5:])
        if 1 <= number <= 12:
            batches = batches.filter(month__year=year, month__month=number)
    return batches


def statements_for(user: User, batch: SettlementBatch) -> QuerySet[Statement]:
    statements = batch.statements.select_related("person").order_by("person_id")
    if _institution_only(user):
        lines = StatementLine.objects.filter(_own_lines(user), statement_id=OuterRef("pk"))
        statements = statements.filter(Exists(lines))
    return statements


def statements_of_month(user: User, month: dt.date) -> QuerySet[Statement]:
    """The statements of the month of ``month`` in the user's batches (an institution's staff:
    those with a line of their own), by batch and person (the API's list)."""
    statements = Statement.objects.filter(
        batch__in=batches_for(user).filter(month=month.replace(day=1))
    ).order_by("batch_id", "person_id")
    if _institution_only(user):
        lines = StatementLine.objects.filter(_own_lines(user), statement_id=OuterRef("pk"))
        statements = statements.filter(Exists(lines))
    return statements


def filtered_statements(
    user: User, batch: SettlementBatch, *, rejected: bool = False, institution: str = ""
) -> QuerySet[Statement]:
    statements = statements_for(user, batch)
    if rejected:
        statements = statements.filter(rejected_count__gt=0)
    if institution.isdigit():
        lines = StatementLine.objects.filter(
            statement_id=OuterRef("pk"), institution_id=int(institution)
        )
        statements = statements.filter(Exists(lines))
    return statements


def statement_for(user: User, pk: int) -> Statement:
    statement = (
        Statement.objects.filter(pk=pk).select_related("batch", "batch__region", "person").first()
    )
    if statement is None:
        raise NotFound()
    batch_for(user, statement.batch_id)
    if not statements_for(user, statement.batch).filter(pk=pk).exists():
        raise NotFound()
    return statement


def lines_for(user: User, statement: Statement) -> QuerySet[StatementLine]:
    lines = statement.lines.select_related("institution__organisation")
    if _institution_only(user):
        lines = lines.filter(_own_lines(user))
    return lines


def institution_totals(user: User, batch: SettlementBatch) -> list[dict[str, Any]]:
    """Per institution: the statements (people), lines, billed, fund and self-pay of the batch
    (an institution's staff: their own only). Lines without an institution are grouped last."""
    lines = StatementLine.objects.filter(statement__batch=batch)
    if _institution_only(user):
        lines = lines.filter(_own_lines(user))
    rows: Any = (
        lines.values("institution")
        .annotate(
            people=Count("statement", distinct=True),
            lines=Count("pk"),
            billed_fen=Sum("billed_fen"),
            fund_fen=Sum("fund_fen"),
            self_pay_fen=Sum("self_pay_fen"),
        )
        .values(
            "institution",
            "institution__organisation__name",
            "people",
            "lines",
            "billed_fen",
            "fund_fen",
            "self_pay_fen",
        )
        .order_by("institution__organisation__name", "institution")
    )
    return [dict(row) for row in rows]


def adjustments_for(user: User, batch: SettlementBatch) -> QuerySet[Adjustment]:
    """The adjustments a batch carries and those recorded against it (a paid batch)."""
    found = Adjustment.objects.filter(Q(batch=batch) | Q(corrects=batch)).select_related(
        "person", "corrects", "batch"
    )
    if _institution_only(user):
        return found.none()
    return found.filter(region_path_filter(user))


def waiting_for(user: User) -> dict[str, QuerySet[SettlementBatch]]:
    """The batches waiting for a stage this user may do: stage → batches."""
    from jingban.ltc.services_settlement import STEPS

    waiting: dict[str, QuerySet[SettlementBatch]] = {}
    for stage, (source, capability, *_rest) in STEPS.items():
        if user.can(capability):
            waiting[stage] = batches_for(user).filter(stage=source).order_by("month", "pk")
    return waiting
