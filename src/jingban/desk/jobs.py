"""The desk's daily job: escalate every open case past its deadline (the reminders then reach
the supervisors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingban.core.calendar import today as local_today
from jingban.desk import services
from jingban.jobs.kinds import JobContext, job_kind


@job_kind(
    "desk.case.escalate_overdue",
    label=_("Escalate overdue complaints and reports"),
    capability="desk.case.handle",
    labels={"escalated": _("Cases escalated")},
)
def escalate_overdue(ctx: JobContext) -> dict[str, object]:
    return {"escalated": services.escalate_overdue(local_today())}
