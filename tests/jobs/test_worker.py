"""Runs through the real procrastinate worker: committed rows, a second connection for progress.

The acceptance test of retries is ``test_failed_import_keeps_nothing_and_its_retry_writes_once``:
a failed run leaves no row behind, and its retry writes every row exactly once.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.urls import reverse

from jingban.core.models import ActionLog, Organisation, ServiceWindow
from jingban.jobs import runner, services
from jingban.jobs.models import JobRun, JobStatus
from tests.jobs.conftest import GOOD_LINES, Gate, work
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def _windows(org: Organisation) -> int:
    return ServiceWindow.objects.filter(organisation=org).count()


def _job_actions(run: JobRun) -> list[str]:
    rows = ActionLog.objects.filter(object_type="jobs.run", object_id=str(run.pk)).order_by("id")
    return list(rows.values_list("action", flat=True))


def test_failed_import_keeps_nothing_and_its_retry_writes_once(
    personas: Personas, windows_import: str, organisation: Organisation, queue, tmp_path: Path
) -> None:
    source = tmp_path / "windows.csv"
    broken = [*GOOD_LINES[:3], "no phone on this line", *GOOD_LINES[4:]]
    source.write_text("\n".join(broken), encoding="utf-8")
    wang = personas.client("wang", language="en")
    params = {"path": str(source), "organisation": organisation.code}
    run = services.enqueue(personas.user("wang"), windows_import, params)

    work()

    run.refresh_from_db()
    assert (run.status, run.attempt) == (JobStatus.FAILED, 1)
    assert "line 4: expected name,phone" in run.error
    # Three lines went in before line 4 failed; the progress shows it, the table does not.
    assert (run.progress_done, run.progress_total) == (3, 6)
    assert _windows(organisation) == 0
    page = wang.get(reverse("jobs:run_detail", args=[run.pk])).content.decode()
    assert "line 4: expected name,phone" in page
    assert reverse("jobs:run_retry", args=[run.pk]) in page
    assert 'hx-trigger="every 1s"' not in page

    source.write_text("\n".join(GOOD_LINES), encoding="utf-8")  # the cause, fixed
    response = wang.post(reverse("jobs:run_retry", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.attempt, run.error) == (JobStatus.QUEUED, 2, "")

    work()

    run.refresh_from_db()
    assert (run.status, run.attempt) == (JobStatus.SUCCEEDED, 2)
    assert run.result == {"windows": 6}
    assert (run.progress_done, run.progress_total) == (6, 6)
    assert _windows(organisation) == 6
    names = sorted(ServiceWindow.objects.filter(organisation=organisation).values_list("name"))
    assert names == sorted((line.split(",")[0],) for line in GOOD_LINES)

    # The same job delivered again, and the page's retry once more: neither runs it again.
    assert runner.execute(run.pk, attempt=2) == runner.Outcome.SKIPPED
    response = wang.post(reverse("jobs:run_retry", args=[run.pk]), follow=True)
    assert "Only a failed job can be retried. This one is Succeeded." in response.content.decode()
    work()
    run.refresh_from_db()
    assert (run.status, run.attempt) == (JobStatus.SUCCEEDED, 2)
    assert _windows(organisation) == 6
    assert _job_actions(run) == [
        "jobs.run.queued",
        "jobs.run.failed",
        "jobs.run.retried",
        "jobs.run.succeeded",
    ]


def _wait_for(run: JobRun, done: int) -> JobRun:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.progress_done >= done:
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run.pk} never reached {done}: {run.status} {run.error}")


def test_progress_shows_while_the_job_runs_and_its_rows_only_after(
    personas: Personas, gate: Gate, organisation: Organisation, queue
) -> None:
    run = services.enqueue(personas.user("wang"), "tests.gated", {"steps": 4})
    worker = threading.Thread(target=work)
    worker.start()
    try:
        run = _wait_for(run, 2)
        # Seen from here, another connection, while the job's transaction is open.
        assert (run.status, run.progress_done, run.progress_total) == (JobStatus.RUNNING, 2, 4)
        assert run.message == "waiting at the gate"
        assert _windows(organisation) == 0  # written by the job, not committed yet
        client = personas.client("wang", language="en")
        url = reverse("jobs:run_detail", args=[run.pk])
        page = client.get(url).content.decode()
        assert f'hx-get="{url}" hx-trigger="every 1s"' in page
        assert '<progress id="run-progress" max="4" value="2"' in page
        assert "2 of 4 (50%)" in page
        fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        assert fragment.lstrip().startswith('<section id="run-status"')
        assert 'hx-trigger="every 1s"' in fragment
    finally:
        gate.opened.set()
        worker.join(timeout=60)
    assert not worker.is_alive()

    run.refresh_from_db()
    assert (run.status, run.progress_done, run.result) == (JobStatus.SUCCEEDED, 4, {"steps": 4})
    assert _windows(organisation) == 1
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and "hx-get" not in fragment
    assert '<progress id="run-progress" max="4" value="4"' in fragment


def test_the_action_log_verification_runs_as_a_job(personas: Personas, queue) -> None:
    admin = personas.user("admin")
    run = services.enqueue(admin, "core.audit.verify")
    sealed = ActionLog.objects.filter(seq__isnull=False).count()
    assert sealed > 0

    work()

    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED, run.error
    assert run.result is not None
    assert run.result["ok"] is True
    assert (run.result["checked"], run.result["last_seq"]) == (sealed, sealed)
    assert (run.result["unsealed"], run.result["problem_count"]) == (0, 0)
    assert (run.progress_done, run.progress_total) == (sealed, sealed)
    # In Chinese the figures carry Chinese labels, never the result's keys.
    chinese = personas.client("admin").get(reverse("jobs:run_detail", args=[run.pk]))
    text = chinese.content.decode()
    assert f"<dt>已核验条目</dt><dd>{sealed}</dd>" in text
    for key in ("checked", "last_seq", "unsealed", "problem_count", "core.audit.verify"):
        assert key not in text
    page = personas.client("admin", language="en").get(reverse("jobs:run_detail", args=[run.pk]))
    html = page.content.decode()
    assert f"<dt>Entries checked</dt><dd>{sealed}</dd>" in html
    assert "<dt>Chain intact</dt><dd>yes</dd>" in html


def test_a_dead_process_leaves_a_run_that_the_next_worker_marks_failed(
    personas: Personas, windows_import: str, organisation: Organisation, queue, tmp_path: Path
) -> None:
    """A run left "running" by a killed process (nobody holds its lock) and a queued run whose
    queue entry is gone are failed by the next worker, and can be retried."""
    source = tmp_path / "windows.csv"
    source.write_text("\n".join(GOOD_LINES), encoding="utf-8")
    params = {"path": str(source), "organisation": organisation.code}
    wang = personas.user("wang")
    died = services.enqueue(wang, windows_import, params)
    JobRun.objects.filter(pk=died.pk).update(status=JobStatus.RUNNING)
    lost = services.enqueue(wang, windows_import, params, idempotency_key="lost")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id = %s", [lost.procrastinate_job_id])

    work()  # recovers both, then runs the died run's queue entry, which finds it failed

    for run in (died, lost):
        run.refresh_from_db()
        assert run.status == JobStatus.FAILED
        assert run.error
    assert _windows(organisation) == 0
    services.retry(wang, died)
    work()
    died.refresh_from_db()
    assert (died.status, died.attempt) == (JobStatus.SUCCEEDED, 2)
    assert _windows(organisation) == 6
