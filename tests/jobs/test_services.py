"""Starting and retrying runs: idempotency, the states a retry accepts, parameters, permissions.

Runs here execute in-process (``runner.execute``), inside the test's transaction.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import IntegrityError, connection
from django.utils import translation

from jingban.core.errors import Conflict, Forbidden, ValidationFailed
from jingban.core.models import ActionLog, Organisation, ServiceWindow
from jingban.jobs import kinds, runner, services
from jingban.jobs.kinds import JobContext, JobKind
from jingban.jobs.models import JobRun, JobStatus
from tests.jobs.conftest import GOOD_LINES
from tests.personas import Personas


def _queued_jobs(run: JobRun) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE args->>'run_id' = %s", [str(run.pk)]
        )
        (count,) = cursor.fetchone()
    return int(count)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "windows.csv"
    path.write_text("\n".join(GOOD_LINES), encoding="utf-8")
    return path


@pytest.fixture
def params(source: Path, organisation: Organisation) -> dict[str, object]:
    return {"path": str(source), "organisation": organisation.code}


def test_enqueue_queues_the_run_in_the_same_transaction(
    personas: Personas, windows_import: str, params: dict[str, object]
) -> None:
    wang = personas.user("wang")
    run = services.enqueue(wang, windows_import, params, label="2026-01")

    assert (run.status, run.attempt, run.started_by, run.label) == (
        JobStatus.QUEUED,
        1,
        wang,
        "2026-01",
    )
    assert run.params == params
    assert run.procrastinate_job_id is not None
    assert _queued_jobs(run) == 1
    logged = ActionLog.objects.get(action="jobs.run.queued", object_id=str(run.pk))
    assert logged.actor == wang
    assert logged.after == {"kind": windows_import, "params": params, "idempotency_key": None}


def test_the_same_idempotency_key_returns_the_first_run(
    personas: Personas, windows_import: str, params: dict[str, object]
) -> None:
    wang = personas.user("wang")
    first = services.enqueue(wang, windows_import, params, idempotency_key="2026-01/pack@3")
    again = services.enqueue(wang, windows_import, params, idempotency_key="2026-01/pack@3")
    other = services.enqueue(wang, windows_import, params, idempotency_key="2026-02/pack@3")

    assert again.pk == first.pk
    assert other.pk != first.pk
    assert JobRun.objects.filter(kind=windows_import).count() == 2
    assert _queued_jobs(first) == 1
    assert ActionLog.objects.filter(action="jobs.run.queued").count() == 2

    # Even once it has run, the key still names that run: it is not started a second time.
    runner.execute(first.pk)
    later = services.enqueue(wang, windows_import, params, idempotency_key="2026-01/pack@3")
    assert (later.pk, later.status) == (first.pk, JobStatus.SUCCEEDED)


def test_a_failed_inline_run_keeps_nothing_and_its_retry_writes_once(
    personas: Personas,
    windows_import: str,
    params: dict[str, object],
    source: Path,
    organisation: Organisation,
) -> None:
    source.write_text("\n".join([*GOOD_LINES[:5], "broken"]), encoding="utf-8")
    wang = personas.user("wang")
    run = services.enqueue(wang, windows_import, params, defer=False)
    with pytest.raises(runner.JobFailed, match="line 6"):
        runner.execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED
    assert ServiceWindow.objects.filter(organisation=organisation).count() == 0

    source.write_text("\n".join(GOOD_LINES), encoding="utf-8")
    run = services.retry(wang, run, defer=False)
    assert runner.execute(run.pk) == runner.Outcome.SUCCEEDED
    assert runner.execute(run.pk) == runner.Outcome.SKIPPED
    run.refresh_from_db()
    assert (run.status, run.attempt) == (JobStatus.SUCCEEDED, 2)
    assert ServiceWindow.objects.filter(organisation=organisation).count() == 6


@pytest.mark.parametrize("status", [JobStatus.SUCCEEDED, JobStatus.QUEUED, JobStatus.RUNNING])
def test_only_a_failed_run_can_be_retried(
    personas: Personas, windows_import: str, params: dict[str, object], status: JobStatus
) -> None:
    wang = personas.user("wang")
    run = services.enqueue(wang, windows_import, params)
    JobRun.objects.filter(pk=run.pk).update(status=status)

    with translation.override("en"), pytest.raises(Conflict) as refused:
        services.retry(wang, run)

    assert refused.value.code == "not_failed"
    label = {"succeeded": "Succeeded", "queued": "Queued", "running": "Running"}[status]
    assert str(refused.value.message) == f"Only a failed job can be retried. This one is {label}."
    run.refresh_from_db()
    assert (run.status, run.attempt) == (status, 1)
    assert _queued_jobs(run) == 1
    assert not ActionLog.objects.filter(action="jobs.run.retried").exists()


def test_retry_queues_the_same_run_again(
    personas: Personas, windows_import: str, params: dict[str, object]
) -> None:
    wang = personas.user("wang")
    run = services.enqueue(wang, windows_import, params)
    JobRun.objects.filter(pk=run.pk).update(
        status=JobStatus.FAILED, error="ValueError: boom", progress_done=3, progress_total=6
    )

    retried = services.retry(wang, run)

    assert retried.pk == run.pk
    assert (retried.status, retried.attempt, retried.error) == (JobStatus.QUEUED, 2, "")
    assert (retried.progress_done, retried.progress_total) == (0, None)
    assert _queued_jobs(run) == 2
    logged = ActionLog.objects.get(action="jobs.run.retried")
    assert (logged.before, logged.after) == (
        {"attempt": 1, "error": "ValueError: boom"},
        {"attempt": 2},
    )


def test_parameters_are_checked_against_the_kind(
    personas: Personas, windows_import: str, organisation: Organisation
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.enqueue(personas.user("wang"), windows_import, {"path": "x", "colour": "red"})
    assert set(refused.value.fields) == {"colour", "organisation"}
    with pytest.raises(ValidationFailed) as unknown:
        services.enqueue(personas.user("wang"), "no.such.kind", {})
    assert set(unknown.value.fields) == {"kind"}
    assert not JobRun.objects.exists()


def test_text_parameters_are_converted_to_the_declared_types(personas: Personas, gate) -> None:
    run = services.enqueue(personas.user("wang"), "tests.gated", {"steps": "6"})
    assert run.params == {"steps": 6}
    with pytest.raises(ValidationFailed) as refused:
        services.enqueue(personas.user("wang"), "tests.gated", {"steps": "six"})
    with translation.override("en"):
        assert [str(m) for m in refused.value.fields["steps"]] == ["Enter a whole number."]


def test_who_may_start_what(personas: Personas, windows_import: str, params) -> None:
    with pytest.raises(Forbidden):
        services.enqueue(personas.user("sun"), windows_import, params)  # no jobs.run.start
    with pytest.raises(Forbidden):
        # jobs.run.start, but the kind needs core.audit.verify too
        services.enqueue(personas.user("wang"), "core.audit.verify")
    assert services.enqueue(personas.user("admin"), "core.audit.verify").pk
    assert services.enqueue(None, "core.audit.verify").started_by is None  # the system
    run = services.enqueue(personas.user("admin"), "core.audit.verify")
    JobRun.objects.filter(pk=run.pk).update(status=JobStatus.FAILED)
    with pytest.raises(Forbidden):
        services.retry(personas.user("wang"), run)


def test_a_stopping_worker_interrupts_the_job_and_nothing_is_kept(
    personas: Personas, windows_import: str, params: dict[str, object], organisation
) -> None:
    # The run speaks the language of whoever started it: make that English here.
    wang = personas.user("wang")
    wang.language = "en"
    wang.save(update_fields=["language"])
    run = services.enqueue(wang, windows_import, params, defer=False)
    calls = iter([False, False, True])  # stop requested at the third progress report

    with pytest.raises(runner.JobFailed):
        runner.execute(run.pk, should_stop=lambda: next(calls))

    run.refresh_from_db()
    assert run.status == JobStatus.FAILED
    assert "The worker stopped while this job ran." in run.error
    assert ServiceWindow.objects.filter(organisation=organisation).count() == 0


def test_progress_is_throttled_but_the_last_report_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written: list[tuple[int, int | None, str]] = []

    class Sink:
        def write(self, done: int, total: int | None, message: str) -> None:
            written.append((done, total, message))

    monkeypatch.setattr(JobContext, "progress_interval", 3600.0)
    ctx = JobContext(JobRun(kind="x"), Sink())
    for done in range(1, 101):
        ctx.progress(done, 100, "rows")
    assert written == [(1, 100, "rows"), (100, 100, "rows")]


@pytest.fixture(autouse=True)
def _english_messages():
    """The commands speak the default language (Chinese); these tests read their English."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_an_unexpected_error_is_shown_by_its_kind_and_a_reference_only(
    personas: Personas, caplog
) -> None:
    """A database error quotes the row it tripped on (a document number, a name): that text may
    name a person outside the scope of whoever reads the run, so neither the run, nor the
    action log, nor the worker's log carries it."""
    secret = "320505199003071234 王秀英"

    def leaky(ctx: JobContext) -> dict[str, object]:
        raise IntegrityError(f"Key (document_number)=({secret}) already exists.")

    kinds.register(JobKind("tests.leaky", "leaky", leaky))
    try:
        run = services.enqueue(personas.user("wang"), "tests.leaky", defer=False)
        with caplog.at_level("ERROR", logger="jingban.jobs"), pytest.raises(runner.JobFailed):
            runner.execute(run.pk)
    finally:
        kinds.unregister("tests.leaky")
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED
    assert "IntegrityError" in run.error and "320505" not in run.error and "王秀英" not in run.error
    found = re.search(r"\b[0-9A-F]{6}\b", run.error)  # the reference, in either language
    assert found is not None, run.error
    reference = found.group()
    failed = ActionLog.objects.get(action="jobs.run.failed", object_id=str(run.pk))
    assert "320505" not in str(failed.after) and "王秀英" not in str(failed.after)
    assert "320505" not in caplog.text and reference in caplog.text
