"""Running a job: all or nothing, and never twice.

``execute`` is what the worker (and ``jingban jobs run --inline``) calls for a run:

1. In one transaction it takes an advisory lock on the run, so two executions of the same run
   (a duplicate delivery, a retry racing a stale job) are serialised, then reads the run again.
   A run that already succeeded, or whose attempt is not the one asked for, is left alone.
2. It marks the run running and records progress on a separate connection that commits at once,
   so the page shows them while the job's transaction is open (see ``ProgressWriter``).
3. The job's function and the change of the run to *succeeded* (with its action-log row) run in
   one savepoint: they commit together or not at all. A failure rolls the savepoint back and
   records the run as failed, with its error, still under the lock.

Hence the rule for retries: a failed run left nothing behind, and a succeeded run is never
executed again, so a retry cannot double an effect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Field
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext

from jingban.core.actionlog import log_action
from jingban.core.errors import DomainError
from jingban.jobs.kinds import JobContext, JobInterrupted, get_kind
from jingban.jobs.models import ACTIVE_STATUSES, JobRun, JobStatus

logger = logging.getLogger("jingban.jobs")

_LOCK_SPACE = 0x6A6F6273  # "jobs": the first key of the two-key advisory locks taken on runs
_ERROR_MAX = 4000

ProgressCallback = Callable[[int, int | None, str], None]


class Outcome(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"  # already succeeded, not queued, or a stale attempt: nothing was run
    MISSING = "missing"


class JobFailed(Exception):
    """The run failed; its error is recorded on the run. Raised for the worker's own bookkeeping
    (its job is then marked failed too)."""


def _lock_key(run_id: int) -> int:
    return run_id & 0x7FFFFFFF


def _lock(run_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_SPACE, _lock_key(run_id)])


def _try_lock(run_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_LOCK_SPACE, _lock_key(run_id)])
        (taken,) = cursor.fetchone()
    return bool(taken)


class ProgressWriter:
    """Writes a run's status and progress where others can see them during the job.

    With ``separate`` (the normal case) each write is committed at once on a second connection
    of its own. The run's row is never locked by the job's transaction before it ends, so these
    writes do not wait. When the run's row is not visible to other connections (it was created
    in a transaction that is still open, e.g. inside a test) or the second connection fails, the
    write goes through the job's own connection instead and shows only when the job commits.
    """

    def __init__(
        self, run_id: int, *, separate: bool, on_progress: ProgressCallback | None = None
    ) -> None:
        self.run_id = run_id
        self.separate = separate
        self.on_progress = on_progress
        self._side: BaseDatabaseWrapper | None = None

    def write(self, done: int, total: int | None, message: str) -> None:
        self._update(progress_done=done, progress_total=total, message=message)
        if self.on_progress is not None:
            self.on_progress(done, total, message)

    def mark_running(self) -> None:
        self._update(
            status=JobStatus.RUNNING,
            started_at=timezone.now(),
            finished_at=None,
            progress_done=0,
            progress_total=None,
            message="",
            error="",
        )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None

    def _update(self, **fields: Any) -> None:
        fields["updated_at"] = timezone.now()
        if self.separate:
            try:
                if self._side_update(fields):
                    return
            except DatabaseError:
                logger.warning("progress of run %s written in the job's transaction", self.run_id)
                self.separate = False
                self.close()
        JobRun.objects.filter(pk=self.run_id).update(**fields)

    def _side_update(self, fields: Mapping[str, Any]) -> int:
        if self._side is None:
            main = connections[DEFAULT_DB_ALIAS]
            side = type(main)(dict(main.settings_dict), DEFAULT_DB_ALIAS)
            with side.cursor() as cursor:
                # Never wait long on the row: fall back to the job's connection instead.
                cursor.execute("SET lock_timeout = '5s'")
            self._side = side
        side = self._side
        quote = side.ops.quote_name
        columns = [_column(name) for name in fields]
        assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
        sql = (
            f"UPDATE {quote(JobRun._meta.db_table)} SET {assignments} "  # noqa: S608
            f"WHERE {quote('id')} = %s"
        )
        with side.cursor() as cursor:
            cursor.execute(sql, [*fields.values(), self.run_id])
            return int(cursor.rowcount)


def _column(name: str) -> str:
    field = JobRun._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return field.column


def error_text(exc: BaseException, kind: str = "") -> str:
    """What the run's page and the action log show of an error.

    A domain error's own message: written by our services, in the user's language, naming only
    what the user who started the run may see. Any other exception is shown only by its kind and
    a reference: its text (a database error quotes the offending row, a document number
    included) could name a person outside the user's scope, so it reaches neither the run nor
    the action log; the worker's log has the exception's class and the same reference.
    """
    if isinstance(exc, DomainError):
        parts = [str(exc.message)]
        declared = get_kind(kind)
        for name, messages in exc.fields.items():
            # A parameter by its label in the user's language, as the run's page shows it.
            shown = declared.label_for(name) if declared is not None else name
            parts += [
                gettext("%(field)s: %(message)s") % {"field": shown, "message": message}
                for message in messages
            ]
        text = "\n".join(parts)
    elif isinstance(exc, KeyboardInterrupt):
        text = gettext("Interrupted before it finished.")
    elif isinstance(exc, JobInterrupted):  # our own words: the worker is stopping
        text = str(exc)
    else:
        text = gettext(
            "The job stopped on an unexpected error (%(kind)s, reference %(reference)s). "
            "Nothing it did was kept; an administrator finds the details in the server log."
        ) % {"kind": type(exc).__name__, "reference": error_reference(exc)}
    return text[:_ERROR_MAX]


def error_reference(exc: BaseException) -> str:
    """A short reference that ties a run's error to the server log's entry."""
    return f"{id(exc) & 0xFFFFFF:06X}"


def execute(
    run_id: int,
    *,
    attempt: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_progress: ProgressCallback | None = None,
) -> Outcome:
    """Run the job of ``run_id`` (see the module's docstring). Raises ``JobFailed`` after
    recording a failure (or the original ``BaseException``, e.g. KeyboardInterrupt)."""
    writer = ProgressWriter(
        run_id, separate=not connection.in_atomic_block, on_progress=on_progress
    )
    failure: BaseException | None = None
    try:
        with transaction.atomic():
            _lock(run_id)
            run = JobRun.objects.select_related("started_by", "region").filter(pk=run_id).first()
            if run is None:
                logger.warning("run %s does not exist", run_id)
                return Outcome.MISSING
            if run.status not in ACTIVE_STATUSES or (
                attempt is not None and attempt != run.attempt
            ):
                logger.info(
                    "run %s not executed: it is %s at attempt %s", run_id, run.status, run.attempt
                )
                return Outcome.SKIPPED
            language = run.started_by.language if run.started_by else None
            with translation.override(language or translation.get_language()):
                writer.mark_running()
                logger.info("run #%s %s, attempt %s: started", run.pk, run.kind, run.attempt)
                try:
                    with transaction.atomic():
                        _run_and_record(run, writer, should_stop)
                except BaseException as exc:  # recorded, then raised again below
                    failure = exc
                    _record_failure(run, failure)
    finally:
        writer.close()
    if failure is None:
        logger.info("run #%s: succeeded", run_id)
        return Outcome.SUCCEEDED
    if isinstance(failure, Exception):
        raise JobFailed(error_text(failure)) from failure
    raise failure


def _run_and_record(
    run: JobRun, writer: ProgressWriter, should_stop: Callable[[], bool] | None
) -> None:
    kind = get_kind(run.kind)
    if kind is None:
        raise LookupError(gettext("No job kind %(kind)s is declared.") % {"kind": run.kind})
    context = JobContext(run, writer, should_stop=should_stop)
    result = dict(kind.function(context, **run.params) or {})
    JobRun.objects.filter(pk=run.pk).update(
        status=JobStatus.SUCCEEDED,
        result=result,
        error="",
        message="",
        progress_done=Coalesce(F("progress_total"), F("progress_done")),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    log_action(
        acting_user=run.started_by,
        action="jobs.run.succeeded",
        object_type="jobs.run",
        object_id=run.pk,
        region_path=run.region.path if run.region else "",
        after={"kind": run.kind, "attempt": run.attempt, "result": result},
    )


def _record_failure(run: JobRun, exc: BaseException) -> None:
    """Mark the run failed (in the caller's transaction, which holds the run's lock)."""
    text = error_text(exc, run.kind)
    # Neither the traceback nor an unexpected exception's text, which may quote personal data:
    # its class and the reference the run shows.
    logger.error(
        "run #%s %s: failed: %s (reference %s)",
        run.pk,
        run.kind,
        type(exc).__name__,
        error_reference(exc),
    )
    try:
        _fail(run, text)
    except DatabaseError:
        # The connection is gone: the run stays "running" until recover_interrupted finds it.
        logger.exception("could not record the failure of run %s", run.pk)


def _fail(run: JobRun, text: str) -> None:
    now = timezone.now()
    JobRun.objects.filter(pk=run.pk).update(
        status=JobStatus.FAILED, error=text, finished_at=now, updated_at=now
    )
    log_action(
        acting_user=run.started_by,
        action="jobs.run.failed",
        object_type="jobs.run",
        object_id=run.pk,
        region_path=run.region.path if run.region else "",
        after={"kind": run.kind, "attempt": run.attempt, "error": text[:500]},
    )


_FINISHED_QUEUE_STATES = {"succeeded", "failed", "cancelled", "aborted"}


def recover_interrupted() -> list[int]:
    """Mark failed every run whose execution ended without saying so, and return their ids.

    - *running*, but nobody holds its lock: the process running it died (its transaction was
      rolled back by PostgreSQL, so nothing it did was kept);
    - *queued*, but its queue job is gone or finished: it would never run.

    Each can then be retried. Called when a worker starts.
    """
    from procrastinate.contrib.django.models import ProcrastinateJob

    recovered = []
    candidates = JobRun.objects.filter(status__in=ACTIVE_STATUSES).values_list(
        "pk", "status", "procrastinate_job_id"
    )
    for run_id, status, job_id in list(candidates):
        if status == JobStatus.QUEUED:
            if job_id is None:
                continue  # an inline run about to start
            state = ProcrastinateJob.objects.filter(pk=job_id).values_list("status", flat=True)
            if state.exists() and state.first() not in _FINISHED_QUEUE_STATES:
                continue
            text = gettext("The queue lost this job before it ran. Retry it.")
        else:
            text = gettext(
                "The process running this job stopped before it finished; nothing it did was "
                "kept. Retry it."
            )
        with transaction.atomic():
            if not _try_lock(run_id):
                continue  # being executed right now
            run = (
                JobRun.objects.select_related("started_by", "region")
                .filter(pk=run_id, status=status, procrastinate_job_id=job_id)
                .first()
            )
            if run is None:
                continue
            _fail(run, text)
            recovered.append(run_id)
    return recovered
