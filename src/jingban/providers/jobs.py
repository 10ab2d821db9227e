"""The providers' daily job: agreement periods past their end are recorded as expired.

Run it daily (``jingban jobs run providers.expire --key $(date +%F)``); ``may_serve`` does not
wait for it (a period's end date already bounds it), but lists, reminders and the next events
go by the recorded state.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingban.core.calendar import today as local_today
from jingban.jobs.kinds import JobContext, job_kind
from jingban.providers import services


@job_kind(
    "providers.expire",
    label=_("Record expired agreements"),
    labels={"day": _("Day"), "expired": _("Agreements expired")},
)
def expire_agreements(ctx: JobContext) -> dict[str, object]:
    today = local_today()
    ctx.progress(0, 1, _("Recording expiries"))
    return {"day": today.isoformat(), "expired": services.expire_due(today)}
