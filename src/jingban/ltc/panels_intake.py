"""Home panels of the intake part: the operator's applications waiting for acceptance (and
how many are overdue), the assessor's assessments to do and conclusions to review."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.core.calendar import today as local_today
from jingban.core.models import User
from jingban.ltc import queries_intake as queries


def waiting(user: User) -> Mapping[str, object] | None:
    today = local_today()
    cases = queries.waiting_for(user)
    return {
        "cases": list(cases[:5]),
        "total": cases.count(),
        "overdue": cases.filter(due_on__lt=today).count(),
        "today": today,
    }


def my_assessments(user: User) -> Mapping[str, object] | None:
    todo = queries.assessments_to_do(user)
    reviews = queries.reviews_to_do(user)
    return {
        "assessments": list(todo[:5]),
        "total": todo.count(),
        "reviews": list(reviews[:5]),
        "reviews_total": reviews.count(),
        "today": local_today(),
    }
