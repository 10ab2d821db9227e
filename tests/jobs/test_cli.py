"""`jingban jobs` and `jingban worker`: run inline, exit 1 with the error, retry, list, wait."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jingban.core.models import Organisation, ServiceWindow
from jingban.jobs import services
from jingban.jobs.models import JobRun, JobStatus
from tests.jobs.conftest import GOOD_LINES
from tests.personas import Personas


def _jobs(*args: str) -> str:
    out = io.StringIO()
    call_command("jobs", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_run_inline_fails_with_the_error_then_retry_writes_once(
    personas: Personas, windows_import: str, organisation: Organisation, tmp_path: Path
) -> None:
    source = tmp_path / "windows.csv"
    source.write_text("\n".join([*GOOD_LINES[:2], ",no name"]), encoding="utf-8")
    args = ["-p", f"path={source}", "-p", f"organisation={organisation.code}"]

    with pytest.raises(CommandError, match="line 3: expected name,phone") as failed:
        _jobs("run", windows_import, *args, "--inline", "--as", "wang")

    assert failed.value.returncode == 1
    run = JobRun.objects.get()
    assert (run.status, run.started_by) == (JobStatus.FAILED, personas.user("wang"))
    assert ServiceWindow.objects.filter(organisation=organisation).count() == 0

    source.write_text("\n".join(GOOD_LINES), encoding="utf-8")
    out = _jobs("retry", str(run.pk), "--inline", "--as", "wang")

    assert f"Run #{run.pk} succeeded." in out
    assert "windows: 6" in out
    assert "6/6" in out  # the progress bar's last state
    run.refresh_from_db()
    assert (run.status, run.attempt) == (JobStatus.SUCCEEDED, 2)
    assert ServiceWindow.objects.filter(organisation=organisation).count() == 6
    with pytest.raises(CommandError, match="Only a failed job can be retried"):
        _jobs("retry", str(run.pk), "--inline")
    assert ServiceWindow.objects.filter(organisation=organisation).count() == 6


def test_run_refuses_bad_parameters_and_unknown_users(db) -> None:
    with pytest.raises(CommandError, match=r"x: This job has no such parameter\."):
        _jobs("run", "core.audit.verify", "-p", "x=1", "--inline")
    with pytest.raises(CommandError, match="NAME=VALUE"):
        _jobs("run", "core.audit.verify", "-p", "x", "--inline")
    with pytest.raises(CommandError, match=r"No user is named nobody\."):
        _jobs("run", "core.audit.verify", "--as", "nobody")
    assert not JobRun.objects.exists()


def test_no_wait_queues_and_list_and_wait_show_the_run(db) -> None:
    out = _jobs("run", "core.audit.verify", "--no-wait", "--label", "nightly")
    run = JobRun.objects.get()
    assert out.startswith(f"Run #{run.pk}: Verify the action log, attempt 1, Queued.")
    assert run.procrastinate_job_id is not None

    listing = _jobs("list")
    assert f"#{run.pk}" in listing and "nightly" in listing and "Queued" in listing

    JobRun.objects.filter(pk=run.pk).update(
        status=JobStatus.SUCCEEDED, result={"checked": 7}, progress_done=7, progress_total=7
    )
    waited = _jobs("wait", str(run.pk))
    assert f"Run #{run.pk} succeeded." in waited and "checked: 7" in waited

    JobRun.objects.filter(pk=run.pk).update(status=JobStatus.FAILED, error="boom")
    with pytest.raises(CommandError, match="boom"):
        _jobs("wait", str(run.pk))


def test_kinds_lists_the_declared_kinds(db, windows_import: str) -> None:
    lines = _jobs("kinds").splitlines()
    assert "core.audit.verify\tVerify the action log\t-" in lines
    assert f"{windows_import}\tImport service windows\tpath, organisation" in lines


@pytest.mark.django_db(transaction=True)
def test_worker_once_runs_the_queue_and_says_so(personas: Personas, queue) -> None:
    run = services.enqueue(personas.user("admin"), "core.audit.verify")
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED, run.error
    text = out.getvalue()
    assert "Worker: running the queued jobs, then exiting." in text
    assert f"run #{run.pk} core.audit.verify, attempt 1: started" in text
    assert f"run #{run.pk}: succeeded" in text
    assert text.rstrip().endswith("Worker stopped.")


@pytest.fixture(autouse=True)
def _english_messages():
    """The commands speak the default language (Chinese); these tests read their English."""
    from django.utils import translation

    with translation.override("en"):
        yield
