"""Starting and retrying background jobs. Each call is one transaction with its action-log row;
the queue entry is written in that same transaction, so a run is queued exactly when it exists."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from procrastinate import jobs as queue_jobs
from procrastinate import manager as queue_manager
from procrastinate.contrib.django.django_connector import DjangoConnector

from jingban.core.actionlog import log_action
from jingban.core.errors import Conflict, Forbidden, ValidationFailed
from jingban.core.models import Region, User
from jingban.core.permissions import require_capability
from jingban.core.roles import Cap
from jingban.jobs.kinds import JobKind, get_kind, may_start
from jingban.jobs.models import JobRun, JobStatus
from jingban.jobs.tasks import TASK_NAME

_KEY_MAX = JobRun._meta.get_field("idempotency_key").max_length or 200
_LABEL_MAX = JobRun._meta.get_field("label").max_length or 200


def _kind_for(acting_user: User | None, name: str) -> JobKind:
    kind = get_kind(name)
    if kind is None:
        raise ValidationFailed(fields={"kind": [_("There is no job of this kind.")]})
    if not may_start(acting_user, kind):
        raise Forbidden()
    reason = kind.why_unavailable()
    if reason is not None:
        raise Conflict(reason, code="job_unavailable")
    return kind


def _defer(run: JobRun) -> None:
    """Put the run on the queue through Django's connection: inside the caller's transaction,
    whichever connector the procrastinate app uses in this process."""
    job = queue_jobs.Job(
        id=None,
        queue=queue_jobs.DEFAULT_QUEUE,
        lock=None,
        queueing_lock=None,
        task_name=TASK_NAME,
        task_kwargs={"run_id": run.pk, "attempt": run.attempt},
    )
    deferred = queue_manager.JobManager(connector=DjangoConnector()).defer_job(job)
    run.procrastinate_job_id = deferred.id
    run.save(update_fields=["procrastinate_job_id"])


def enqueue(
    acting_user: User | None,
    kind: str,
    params: Mapping[str, object] | None = None,
    *,
    idempotency_key: str | None = None,
    label: str = "",
    region: Region | None = None,
    defer: bool = True,
) -> JobRun:
    """Queue a run of ``kind`` with ``params`` (checked against the kind's signature).

    With an ``idempotency_key``, a second request for the same kind and key returns the run of
    the first, whatever its state, and queues nothing: a batch keyed by what it covers (period,
    pack version) runs once. ``defer=False`` creates the run without queueing it, for the caller
    to execute in-process (``jingban jobs run --inline``). ``acting_user=None`` is the system.
    """
    require_capability(acting_user, Cap.JOB_RUN)
    job_kind = _kind_for(acting_user, kind)
    clean = job_kind.clean_params(params or {})
    key = (idempotency_key or "").strip()
    if len(key) > _KEY_MAX:
        raise ValidationFailed(fields={"idempotency_key": [_("The value is too long.")]})
    if key:
        existing = JobRun.objects.filter(kind=kind, idempotency_key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            run = JobRun.objects.create(
                kind=kind,
                label=label[:_LABEL_MAX],
                params=clean,
                started_by=acting_user,
                region=region,
                idempotency_key=key,
            )
            if defer:
                _defer(run)
            log_action(
                acting_user=acting_user,
                action="jobs.run.queued",
                object_type="jobs.run",
                object_id=run.pk,
                region_path=region.path if region else "",
                after={"kind": kind, "params": clean, "idempotency_key": key or None},
            )
    except IntegrityError:
        # The same key won a race with this request: that run is this request's run.
        existing = JobRun.objects.filter(kind=kind, idempotency_key=key).first()
        if not key or existing is None:
            raise
        return existing
    return run


def retry(acting_user: User | None, run: JobRun, *, defer: bool = True) -> JobRun:
    """Queue a failed run again: the same run, ``attempt`` + 1. Only a failed run can be
    retried; its failed attempt left nothing behind, so the retry cannot double an effect."""
    require_capability(acting_user, Cap.JOB_RUN)
    with transaction.atomic():
        locked = JobRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != JobStatus.FAILED:
            raise Conflict(
                _("Only a failed job can be retried. This one is %(status)s.")
                % {"status": locked.get_status_display()},
                code="not_failed",
            )
        _kind_for(acting_user, locked.kind)
        before = {"attempt": locked.attempt, "error": locked.error[:500]}
        locked.status = JobStatus.QUEUED
        locked.attempt += 1
        locked.error = ""
        locked.message = ""
        locked.progress_done = 0
        locked.progress_total = None
        locked.started_at = None
        locked.finished_at = None
        locked.save()
        if defer:
            _defer(locked)
        log_action(
            acting_user=acting_user,
            action="jobs.run.retried",
            object_type="jobs.run",
            object_id=locked.pk,
            region_path=locked.region.path if locked.region else "",
            before=before,
            after={"attempt": locked.attempt},
        )
    return locked
