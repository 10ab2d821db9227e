"""Which events an agreement allows in which state, and the state each leads to: the one table.

``TRANSITIONS[event][state]`` is the state after the event; an event missing for a state is
refused with a reason (``refusal``). A check (acceptance, evaluation, assessment) first moves by
this table and then, by its outcome rule, may add a warning, a rectification order or a
suspension, each again by this table. Closing the last open rectification order returns the
agreement to ``in_force``; lifting a suspension while an order is still open returns it to
``rectifying`` (``services``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingban.core.errors import Conflict
from jingban.providers.models import AgreementState as S
from jingban.providers.models import EventKind as E

_RUNNING: dict[str, str] = {S.IN_FORCE: S.IN_FORCE, S.RECTIFYING: S.RECTIFYING}

TRANSITIONS: dict[str, dict[str, str]] = {
    E.ACCEPTANCE: {S.APPLIED: S.ACCEPTED},  # or REFUSED, by the check's outcome
    E.TAKE_EFFECT: {S.ACCEPTED: S.IN_FORCE},
    E.EVALUATION: dict(_RUNNING),
    E.ASSESSMENT: dict(_RUNNING),
    E.WARNING: dict(_RUNNING),
    E.RECTIFICATION: {S.IN_FORCE: S.RECTIFYING, S.RECTIFYING: S.RECTIFYING},
    E.RECTIFICATION_CLOSED: {S.RECTIFYING: S.IN_FORCE},
    E.SUSPENSION: {S.IN_FORCE: S.SUSPENDED, S.RECTIFYING: S.SUSPENDED},
    E.LIFTING: {S.SUSPENDED: S.IN_FORCE},
    E.TERMINATION: {
        S.IN_FORCE: S.TERMINATED,
        S.RECTIFYING: S.TERMINATED,
        S.SUSPENDED: S.TERMINATED,
    },
    E.EXPIRY: {S.IN_FORCE: S.EXPIRED, S.RECTIFYING: S.EXPIRED, S.SUSPENDED: S.EXPIRED},
    # The period renewed keeps its state (it ends on its own date); a new period follows it.
    E.RENEWAL: {S.IN_FORCE: S.IN_FORCE, S.RECTIFYING: S.RECTIFYING, S.EXPIRED: S.EXPIRED},
}

# Why an event is refused, beyond "not in this state".
_REASONS = {
    S.REFUSED: _("The application was refused; a new application is needed."),
    S.TERMINATED: _("The agreement was terminated; nothing more can happen to it."),
}


class TransitionRefused(Conflict):
    code = "transition_refused"


def allowed(event: str, state: str) -> bool:
    return state in TRANSITIONS.get(event, {})


def refusal(event: str, state: str) -> TransitionRefused:
    """The error for an event the state does not allow, with its reason."""
    event_label = E(event).label
    state_label = S(state).label if state else "—"
    reason = _REASONS.get(S(state)) if state else None
    message = _("%(event)s is not possible while the agreement is %(state)s.") % {
        "event": event_label,
        "state": str(state_label).lower(),
    }
    if reason is not None:
        message = f"{message} {reason}"
    return TransitionRefused(message)


def target(event: str, state: str) -> str:
    """The state after ``event`` from ``state``; refused with a reason when not allowed."""
    if not allowed(event, state):
        raise refusal(event, state)
    return TRANSITIONS[event][state]


def events_allowed(state: str) -> list[str]:
    return [event for event, table in TRANSITIONS.items() if state in table]
