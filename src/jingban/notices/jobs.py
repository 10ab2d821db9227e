"""The reminder job: ask every app's reminder sources, deliver what is new.

Run it daily (or more often): ``jingban jobs run notices.remind --key $(date +%F)`` from cron
runs it once a day; without a key every run asks again and delivers only what is new.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jingban.core import plugins
from jingban.core.calendar import today as local_today
from jingban.core.errors import ValidationFailed
from jingban.core.reminders import Reminder, ReminderSource
from jingban.jobs.kinds import JobContext, job_kind
from jingban.notices import services


def _day(day: str) -> dt.date:
    if not day.strip():
        return local_today()
    try:
        return dt.date.fromisoformat(day.strip())
    except ValueError:
        raise ValidationFailed(fields={"day": [_("Enter a date as YYYY-MM-DD.")]}) from None


@job_kind(
    "notices.remind",
    label=_("Send reminders"),
    labels={
        "day": _("Day"),
        "sources": _("Sources asked"),
        "reminders": _("Reminders found"),
        "created": _("Notices created"),
        "already_delivered": _("Already delivered"),
        "resolved": _("Resolved"),
        "reopened": _("Reopened"),
        "skipped": _("Skipped"),
        "recipients": _("Recipients"),
    },
)
def remind(ctx: JobContext, day: str = "") -> dict[str, object]:
    """Collect the reminders of every source declared by the installed apps (for ``day``,
    today by default) and record the new ones as notices. A source that fails fails the run:
    nothing is recorded and the run can be retried."""
    today = _day(day)
    sources = plugins.reminder_sources()
    found: list[tuple[str, list[Reminder]]] = []
    for done, source in enumerate(sources):
        ctx.progress(done, len(sources), _("Asking the apps"))
        function: ReminderSource = plugins.load(source)
        found.append((source, list(function(today))))
    ctx.progress(len(sources), len(sources), _("Recording notices"))
    summary = services.record_reminders(found)
    return {"day": today.isoformat(), **summary.as_result()}
