"""Which status an application may move to from which: the one table every service uses.

submitted / resubmitted → more materials · approved · rejected · withdrawn; more materials →
resubmitted · withdrawn · rejected; approved → paid. Paid, rejected and withdrawn end there."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingban.core.errors import Conflict
from jingban.reimburse.models import Reimbursement
from jingban.reimburse.models import Status as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.MORE_MATERIALS, S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.RESUBMITTED: frozenset({S.MORE_MATERIALS, S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.MORE_MATERIALS: frozenset({S.RESUBMITTED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.PAID}),
    S.PAID: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


class TransitionRefused(Conflict):
    code = "reimburse.transition_refused"


def move(item: Reimbursement, new: str) -> None:
    """Set the status to ``new`` (the caller saves, holding the row's lock); refused, with the
    reason, when the table does not allow it."""
    if new not in TRANSITIONS.get(item.status, frozenset()):
        raise TransitionRefused(
            _("An application that is %(current)s cannot become %(new)s.")
            % {"current": str(S(item.status).label), "new": str(S(new).label)}
        )
    item.status = new
