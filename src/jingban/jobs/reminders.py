"""Reminders of the jobs app: a failed run, to the person who started it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.core.reminders import Reminder, text
from jingban.jobs.models import JobRun, JobStatus


def failed_runs(today: dt.date) -> Iterator[Reminder]:
    """Each failed run started by someone (not the system), once per attempt: a retry that
    fails again is news again."""
    runs = JobRun.objects.filter(status=JobStatus.FAILED, started_by__isnull=False).order_by("id")
    for run in runs:
        assert run.started_by_id is not None
        yield Reminder(
            user_id=run.started_by_id,
            key=f"jobs.run.failed:{run.pk}:{run.attempt}",
            title=text(_("Background job #%(id)s failed"), id=run.pk),
            body=text(
                _("%(job)s, attempt %(attempt)s. Open it to see the error and retry it."),
                job=_KindLabel(run.kind),
                attempt=run.attempt,
            ),
            url=reverse("jobs:run_detail", args=[run.pk]),
        )


class _KindLabel:
    """A job kind's label, in the language active when the notice is written."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __str__(self) -> str:
        from jingban.jobs.kinds import label_of

        return label_of(self.kind)
