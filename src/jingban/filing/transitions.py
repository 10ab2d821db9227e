"""Which status a filing may move to from which: the one table every service uses.

pending → in effect (approved) · refused · cancelled; in effect → cancelled · expired (its end
passed). Refused, cancelled and expired filings end there: a new filing is needed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingban.core.errors import Conflict
from jingban.filing.models import Filing
from jingban.filing.models import Status as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.IN_EFFECT, S.REFUSED, S.CANCELLED}),
    S.IN_EFFECT: frozenset({S.CANCELLED, S.EXPIRED}),
    S.REFUSED: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
}


class TransitionRefused(Conflict):
    code = "filing.transition_refused"


def allowed(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def move(filing: Filing, new: str) -> None:
    """Set ``filing``'s status to ``new`` (the caller saves, in its transaction, holding a lock
    on the row); refused, with the reason, when the table does not allow it."""
    if not allowed(filing.status, new):
        message = _("A filing that is %(current)s cannot become %(new)s.") % {
            "current": str(S(filing.status).label),
            "new": str(S(new).label),
        }
        if not TRANSITIONS.get(filing.status):
            message = f"{message} {_('A new filing is needed.')}"
        raise TransitionRefused(message)
    filing.status = new
