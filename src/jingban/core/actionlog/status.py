"""Whether one action-log entry is sealed into the chain and still holds: the row's MAC and its
link's HMAC recomputed for that row alone (the whole chain is ``jingban audit verify``'s job)."""

from __future__ import annotations

import hmac
from enum import StrEnum

from jingban.core.actionlog import authenticity
from jingban.core.actionlog.writing import FIELDS, row_hash
from jingban.core.models import ActionLog, ActionLogHead


class SealStatus(StrEnum):
    SEALED = "sealed"  # in the chain; its MAC and its link check out
    PENDING = "pending"  # written, not yet sealed; its MAC checks out
    REFUSED = "refused"  # the sealer refused it (no valid MAC)
    BROKEN = "broken"  # its MAC or its link does not match its content


def seal_status(entry_id: int) -> SealStatus:
    row = ActionLog.objects.filter(pk=entry_id).values(*FIELDS, "seal_refused").first()
    if row is None or row["seal_refused"]:
        return SealStatus.REFUSED
    head = ActionLogHead.objects.filter(pk=1).first()
    if authenticity.mac_problem(row, authenticity.cutover(head)) is not None:
        return SealStatus.BROKEN
    if row["seq"] is None:
        return SealStatus.PENDING
    if not hmac.compare_digest(row_hash(row), row["hash"]):
        return SealStatus.BROKEN
    return SealStatus.SEALED
