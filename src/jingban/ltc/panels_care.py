"""Home panels of care: a caregiver's visits today (今日服务), an institution's beneficiaries
not yet reported today (今日床日待报)."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.core.calendar import today as local_today
from jingban.core.models import User
from jingban.ltc import queries_care as queries
from jingban.ltc.models import Visit


def today_visits(user: User) -> Mapping[str, object] | None:
    today = local_today()
    plans = list(queries.today_plans(user, today)[:50])
    done = set(
        Visit.objects.filter(
            caregiver__account=user, service_date=today, check_out__isnull=False
        ).values_list("care_plan_id", flat=True)
    )
    return {
        "plans": plans[:5],
        "total": len(plans),
        "done": sum(1 for p in plans if p.pk in done),
        "done_ids": done,
    }


def bed_days_due(user: User) -> Mapping[str, object] | None:
    plans = queries.unreported_today(user, local_today())
    return {"plans": list(plans[:5]), "total": plans.count()}
