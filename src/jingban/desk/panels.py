"""Home panels: an operator's open cases, a supervisor's escalated ones."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.core.calendar import today as local_today
from jingban.core.models import User
from jingban.desk import queries


def open_cases(user: User) -> Mapping[str, object] | None:
    cases = queries.open_for(user)
    return {"cases": list(cases[:5]), "total": cases.count(), "today": local_today()}


def escalated(user: User) -> Mapping[str, object] | None:
    cases = queries.escalated_for(user)
    return {"cases": list(cases[:5]), "total": cases.count(), "today": local_today()}
