"""``jingban worker``: run background jobs from the queue (procrastinate), one at a time."""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from jingban.jobs import runner
from jingban.jobs.worker import run_worker


class Command(BaseCommand):
    help = "Run background jobs from the queue until stopped (Ctrl+C)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the jobs that are queued now, then exit.",
        )

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        _show_job_log(self.stdout)
        recovered = runner.recover_interrupted()
        for run_id in recovered:
            self.stdout.write(
                _("Run #%(id)s was interrupted earlier: marked failed, it can be retried.")
                % {"id": run_id}
            )
        if once:
            self.stdout.write(_("Worker: running the queued jobs, then exiting."))
        else:
            self.stdout.write(_("Worker started, one job at a time. Ctrl+C stops it."))
        run_worker(wait=not once, recover=False)
        self.stdout.write(_("Worker stopped."))


def _show_job_log(stdout: Any) -> None:
    """Print what the runner logs (each run started, succeeded, failed) on the command's output."""
    logger = logging.getLogger("jingban.jobs")
    if any(getattr(h, "_jingban_worker", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(getattr(stdout, "_out", sys.stdout))
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    handler._jingban_worker = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
