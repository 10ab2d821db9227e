"""Job kinds and helpers for the tests of background jobs.

``windows_import`` is a realistic import: it reads a CSV of service windows and writes one row
per line, reporting progress, and fails at the first malformed line, after it has written the
lines before it. ``gated`` reports progress and then waits until the test opens its gate, so a
test can look at a run while its transaction is open.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

from jingban.core.errors import ValidationFailed
from jingban.core.models import Organisation, Region, ServiceWindow
from jingban.jobs import kinds
from jingban.jobs.kinds import JobContext, JobKind
from jingban.jobs.worker import run_worker

IMPORT = "tests.windows.import"
GATED = "tests.gated"
GOOD_LINES = [f"窗口{n},0512-6500{n:04d}" for n in range(1, 7)]


def import_windows(ctx: JobContext, path: str, organisation: str) -> dict[str, object]:
    """Import service windows ("name,phone" per line) for an organisation."""
    org = Organisation.objects.get(code=organisation)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        name, sep, phone = line.partition(",")
        if not sep or not name:
            # A refusal the user is meant to read: a domain error, shown as it is.
            raise ValidationFailed(fields={"path": [f"line {number}: expected name,phone"]})
        ServiceWindow.objects.create(organisation=org, region=org.region, name=name, phone=phone)
        ctx.progress(number, len(lines), f"line {number}")
    return {"windows": len(lines)}


@dataclass
class Gate:
    opened: threading.Event = field(default_factory=threading.Event)
    organisation: str = ""

    def run(self, ctx: JobContext, steps: int = 4) -> dict[str, object]:
        org = Organisation.objects.get(code=self.organisation)
        ServiceWindow.objects.create(organisation=org, region=org.region, name="进行中")
        ctx.progress(1, steps, "first half")
        ctx.progress(steps // 2, steps, "waiting at the gate")
        if not self.opened.wait(timeout=60):
            raise TimeoutError("the test never opened the gate")
        ctx.progress(steps, steps)
        return {"steps": steps}


@pytest.fixture(autouse=True)
def _progress_unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every progress report is written, so the figures a test reads do not depend on timing."""
    monkeypatch.setattr(JobContext, "progress_interval", 0.0)


@pytest.fixture
def windows_import() -> Iterator[str]:
    kinds.register(JobKind(IMPORT, "Import service windows", import_windows))
    yield IMPORT
    kinds.unregister(IMPORT)


@pytest.fixture
def organisation(db) -> Organisation:
    region = Region.objects.create(code="329901", name="测试区", level="county")
    return Organisation.objects.create(
        code="TEST-IMPORT", name="导入测试机构", kind="care_institution", region=region
    )


@pytest.fixture
def gate(organisation: Organisation) -> Iterator[Gate]:
    gate = Gate(organisation=organisation.code)
    kinds.register(JobKind(GATED, "Gated job", gate.run))
    yield gate
    gate.opened.set()
    kinds.unregister(GATED)


@pytest.fixture
def queue(db) -> Iterator[None]:
    """An empty queue before and after: procrastinate's tables are not emptied between
    transactional tests (Django flushes only the tables it manages)."""

    def empty() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_jobs")

    empty()
    yield
    empty()


def work() -> None:
    """The real procrastinate worker, in this process: it runs every queued job, then stops."""
    run_worker(wait=False, install_signal_handlers=False)
