"""The monthly job: last month's statements of every co-insured product that has none yet."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jingban.coinsurance import services
from jingban.core.calendar import today as local_today
from jingban.jobs.kinds import JobContext, job_kind


@job_kind(
    "coinsurance.statement.generate",
    label=_("Generate last month's co-insurers' statements"),
    capability="coinsurance.statement.generate",
    labels={"runs": _("Products with new statements"), "month": _("Month")},
)
def generate_last_month(ctx: JobContext) -> dict[str, object]:
    month = services.month_start(local_today()) - dt.timedelta(days=1)
    runs = services.generate_due(month, acting_user=ctx.user)
    return {"runs": runs, "month": month.strftime("%Y-%m")}
