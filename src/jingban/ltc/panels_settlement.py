"""The home panel of settlement: the batches waiting for a stage the user may do (the claim for
operators, the first review for reviewers, the second review for supervisors, payment for the
administrator)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from jingban.core.models import User
from jingban.ltc import queries_settlement
from jingban.ltc.models_settlement import BatchStage

WAITING_LABELS = {
    BatchStage.CLAIMED: _("Waiting for the claim"),
    BatchStage.FIRST_REVIEWED: _("Waiting for the first review"),
    BatchStage.SECOND_REVIEWED: _("Waiting for the second review"),
    BatchStage.PAID: _("Waiting for payment"),
}

LIMIT = 5


def waiting(user: User) -> Mapping[str, object] | None:
    groups = []
    for stage, batches in queries_settlement.waiting_for(user).items():
        count = batches.count()
        groups.append(
            {
                "stage": stage,
                "label": WAITING_LABELS[BatchStage(stage)],
                "count": count,
                "batches": list(batches[:LIMIT]),
            }
        )
    if not groups:
        return None
    return {"groups": groups, "total": sum(g["count"] for g in groups)}  # type: ignore[misc]
