"""Which status a long-term care case may move to from which: the one table every part uses.

A case moves only through ``move`` (services call it inside their transaction): it checks the
table, records a ``CaseEvent`` and leaves the action log entry to the caller, who knows what
the step did. A step the table does not allow is refused with a reason and nothing changes.

The path of a first application (2023 national measures): applied → accepted (or refused) →
dispatched (assessors drawn) → assessed (scores submitted) → concluded (the experts confirmed;
or back to dispatched for a new visit) → on notice → decided; an objection during the notice
sends the case to a re-assessment by different assessors (objected → dispatched), whose
conclusion is decided without a second notice or posted again, as the pack says. Until the
visit, the applicant may withdraw.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingban.core.errors import Conflict
from jingban.core.models import User
from jingban.ltc.models import Case, CaseEvent
from jingban.ltc.models import CaseStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.APPLIED: frozenset({S.ACCEPTED, S.REFUSED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.DISPATCHED, S.WITHDRAWN}),
    S.DISPATCHED: frozenset({S.ASSESSED, S.WITHDRAWN}),
    S.ASSESSED: frozenset({S.CONCLUDED, S.DISPATCHED}),
    S.CONCLUDED: frozenset({S.NOTICE, S.DECIDED}),
    S.NOTICE: frozenset({S.OBJECTED, S.DECIDED}),
    S.OBJECTED: frozenset({S.DISPATCHED}),
    S.DECIDED: frozenset(),
    S.REFUSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Why nothing more can happen, for the statuses that end a case.
_FINAL_REASONS = {
    S.DECIDED: _("The case is decided; a change needs a re-assessment."),
    S.REFUSED: _("The application was not accepted; a new application is needed."),
    S.WITHDRAWN: _("The application was withdrawn; a new application is needed."),
}


class TransitionRefused(Conflict):
    code = "transition_refused"


def allowed(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def refusal(current: str, new: str) -> TransitionRefused:
    """The error for a step the table does not allow, with its reason."""
    message = _("A case that is %(current)s cannot become %(new)s.") % {
        "current": str(S(current).label).lower(),
        "new": str(S(new).label).lower(),
    }
    reason = _FINAL_REASONS.get(S(current))
    if reason is not None:
        message = f"{message} {reason}"
    return TransitionRefused(message)


def move(case: Case, new: str, *, by: User | None, note: str = "") -> CaseEvent:
    """Move ``case`` to ``new`` (saved), recording the event; refused when not allowed. The
    caller holds the transaction and a lock on the case (``select_for_update``)."""
    if not allowed(case.status, new):
        raise refusal(case.status, new)
    event = CaseEvent.objects.create(
        case=case, from_status=case.status, to_status=new, by=by, note=note
    )
    case.status = new
    case.save(update_fields=["status", "updated_at"])
    return event
