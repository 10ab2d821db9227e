"""Home panels of the decision part: an operator's notices ending, decisions to issue and
re-assessments due; an institution's own beneficiaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from jingban.core.calendar import today as local_today
from jingban.core.models import User
from jingban.ltc import queries_decision as queries
from jingban.ltc import services_decision as services
from jingban.ltc.models import NoticeStatus


def work(user: User) -> Mapping[str, object] | None:
    day = local_today()
    ending = (
        queries.notices_for(user)
        .filter(
            status=NoticeStatus.POSTED, ends_on__gte=day, ends_on__lte=day + dt.timedelta(days=3)
        )
        .count()
    )
    to_decide = queries.cases_to_decide(user, day).count()
    reassessments = queries.due_reassessments(user, day).count()
    return {
        "ending": ending,
        "to_decide": to_decide,
        "reassessments": reassessments,
        "total": ending + to_decide + reassessments,
    }


def beneficiaries(user: User) -> Mapping[str, object] | None:
    rows = queries.entitlements_for(user).filter(status__in=["active", "suspended"])
    return {
        "rows": [
            (e, services.mask_name(e.person.name), services.LEVEL_NAMES.get(e.level, e.level))
            for e in rows[:5]
        ],
        "total": rows.count(),
    }
