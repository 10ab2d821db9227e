"""What a user sees of a background job: one ``JobRun`` per request, kept through its retries."""

from __future__ import annotations

from typing import ClassVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingban.core.models import Region, User


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobRun(models.Model):
    """后台任务: one request for long work (an import, a batch settlement …) and its outcome.

    The work itself runs in one database transaction together with the change of ``status`` to
    succeeded, so a run either changed everything or nothing; a succeeded run is never executed
    again. A failed run is retried as the same row with ``attempt`` + 1.
    """

    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    # What this run is about, shown after the kind's name ("period 2026-01, pack v3").
    label = models.CharField(_("label"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"), default=dict, encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress_done = models.BigIntegerField(_("done"), default=0)
    # None while the amount of work is not known yet.
    progress_total = models.BigIntegerField(_("total"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    # None: started by the system (the command line without --as).
    started_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_runs",
        verbose_name=_("started by"),
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_runs",
        verbose_name=_("region"),
    )
    attempt = models.PositiveIntegerField(_("attempt"), default=1)
    # The same (kind, key) is one run: a second request returns the first. Batch jobs key on
    # what makes them unique, e.g. "2026-01/pack:ltc-suzhou@3".
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    procrastinate_job_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="jobrun_one_run_per_key",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["started_by", "-id"], name="jobrun_by_user")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None when the total is not known."""
        if not self.progress_total:
            return 100 if self.status == JobStatus.SUCCEEDED else None
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def kind_label(self) -> str:
        from jingban.jobs.kinds import label_of

        return label_of(self.kind)
