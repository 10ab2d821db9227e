"""``jingban jobs``: start, follow, list and retry background jobs.

``run KIND -p name=value …`` queues a run and follows it with a progress bar until it ends; it
exits with status 1 and the error when the run fails. ``--inline`` runs it in this process
instead of a worker, through the same bookkeeping (the run, its progress, the action log).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate.contrib.django.models import ProcrastinateWorker
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from jingban.core.errors import DomainError
from jingban.core.models import User
from jingban.jobs import queries, runner, services
from jingban.jobs.kinds import all_kinds, get_kind
from jingban.jobs.models import JobRun, JobStatus

POLL_SECONDS = 0.5
# A run still queued after this long, with no live worker, gets a hint on how to start one.
HINT_AFTER_SECONDS = 3.0
WORKER_ALIVE_SECONDS = 30


class Command(BaseCommand):
    help = "Start, follow, list and retry background jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="jobs_action", required=True, metavar="ACTION")

        run = actions.add_parser("run", help="Start a job and follow its progress.")
        run.add_argument("kind", help="The job kind, e.g. core.audit.verify (see `jobs kinds`).")
        run.add_argument(
            "-p",
            "--param",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A parameter of the job; repeat for several.",
        )
        run.add_argument("--key", help="Idempotency key: the same kind and key run only once.")
        run.add_argument("--label", default="", help="What this run is about, for its page.")
        self._common(run)

        retry = actions.add_parser("retry", help="Retry a failed run (the same run, next attempt).")
        retry.add_argument("run_id", type=int)
        self._common(retry)

        wait = actions.add_parser("wait", help="Follow a run until it ends.")
        wait.add_argument("run_id", type=int)

        listing = actions.add_parser("list", help="The latest runs.")
        listing.add_argument("--limit", type=int, default=20)
        listing.add_argument("--status", choices=[s.value for s in JobStatus])

        actions.add_parser("kinds", help="The job kinds that can be started.")

    @staticmethod
    def _common(parser: CommandParser) -> None:
        parser.add_argument(
            "--as", dest="username", help="Act as this user (default: the system itself)."
        )
        parser.add_argument(
            "--inline", action="store_true", help="Run in this process instead of a worker."
        )
        parser.add_argument("--no-wait", action="store_true", help="Queue it and return at once.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["jobs_action"]
        try:
            if action == "run":
                self._run(options)
            elif action == "retry":
                self._retry(options)
            elif action == "wait":
                self._finish(self._follow(_get_run(None, options["run_id"])))
            elif action == "list":
                self._list(options["limit"], options["status"])
            else:
                self._kinds()
        except DomainError as err:
            raise CommandError(_describe(err)) from err

    # Actions

    def _run(self, options: dict[str, Any]) -> None:
        user = _user(options["username"])
        run = services.enqueue(
            user,
            options["kind"],
            _parse_params(options["param"]),
            idempotency_key=options["key"],
            label=options["label"],
            defer=not options["inline"],
        )
        self.stdout.write(
            _("Run #%(id)s: %(kind)s, attempt %(attempt)s, %(status)s.")
            % {
                "id": run.pk,
                "kind": run.kind_label,
                "attempt": run.attempt,
                "status": run.get_status_display(),
            }
        )
        self._go(run, options)

    def _retry(self, options: dict[str, Any]) -> None:
        user = _user(options["username"])
        run = services.retry(user, _get_run(user, options["run_id"]), defer=not options["inline"])
        self.stdout.write(
            _("Run #%(id)s queued again: attempt %(attempt)s.")
            % {"id": run.pk, "attempt": run.attempt}
        )
        self._go(run, options)

    def _go(self, run: JobRun, options: dict[str, Any]) -> None:
        if options["inline"] and run.is_active:
            run = self._execute_inline(run)
        elif options["no_wait"]:
            return
        else:
            run = self._follow(run)
        self._finish(run)

    def _list(self, limit: int, status: str | None) -> None:
        runs = JobRun.objects.select_related("started_by").order_by("-id")
        if status:
            runs = runs.filter(status=status)
        table = Table(title=_("Background jobs"))
        for title in (_("Run"), _("Kind"), _("Status"), _("Progress"), _("Attempt"), _("By")):
            table.add_column(title)
        table.add_column(_("Created"))
        for run in runs[:limit]:
            table.add_row(
                f"#{run.pk}",
                f"{run.kind_label} {run.label}".strip(),
                run.get_status_display(),
                _progress_text(run),
                str(run.attempt),
                str(run.started_by or _("system")),
                timezone.localtime(run.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            )
        self._console().print(table)

    def _kinds(self) -> None:
        for kind in all_kinds():
            names = ", ".join(kind.parameters()) or "-"
            self.stdout.write(f"{kind.name}\t{kind.label}\t{names}")

    # Following a run

    def _console(self) -> Console:
        out: TextIO = getattr(self.stdout, "_out", sys.stdout)
        return Console(file=out, highlight=False)

    def _progress(self) -> Progress:
        return Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self._console(),
        )

    def _execute_inline(self, run: JobRun) -> JobRun:
        with self._progress() as bar:
            task = bar.add_task(run.kind_label, total=None)

            def show(done: int, total: int | None, message: str) -> None:
                _show(bar, task, run.kind_label, done, total, message)

            try:
                runner.execute(run.pk, on_progress=show)
            except runner.JobFailed:
                pass  # recorded on the run, reported by _finish
            run.refresh_from_db()
            _show(bar, task, run.kind_label, run.progress_done, run.progress_total, "")
        return run

    def _follow(self, run: JobRun) -> JobRun:
        started = time.monotonic()
        hinted = False
        with self._progress() as bar:
            task = bar.add_task(run.kind_label, total=None)
            while True:
                run.refresh_from_db()
                _show(bar, task, run.kind_label, run.progress_done, run.progress_total, run.message)
                if not run.is_active:
                    return run
                waited = time.monotonic() - started
                if (
                    not hinted
                    and run.status == JobStatus.QUEUED
                    and waited > HINT_AFTER_SECONDS
                    and not _worker_alive()
                ):
                    bar.console.print(
                        _(
                            "No worker is running: start one with `jingban worker` (or "
                            "`jingban serve`), or run the job with --inline."
                        )
                    )
                    hinted = True
                time.sleep(POLL_SECONDS)

    def _finish(self, run: JobRun) -> None:
        if run.status == JobStatus.FAILED:
            raise CommandError(
                _("Run #%(id)s failed: %(error)s") % {"id": run.pk, "error": run.error},
                returncode=1,
            )
        if run.status == JobStatus.SUCCEEDED:
            self.stdout.write(self.style.SUCCESS(_("Run #%(id)s succeeded.") % {"id": run.pk}))
            kind = get_kind(run.kind)
            for name, value in (run.result or {}).items():
                shown = len(value) if isinstance(value, list) else value
                label = kind.label_for(name) if kind is not None else name
                self.stdout.write(f"  {label}: {json.dumps(shown, ensure_ascii=False)}")


def _show(
    bar: Progress, task: TaskID, label: str, done: int, total: int | None, message: str
) -> None:
    description = f"{label} · {message}" if message else label
    bar.update(task, completed=done, total=total, description=description)


def _progress_text(run: JobRun) -> str:
    if run.progress_total:
        return f"{run.progress_done}/{run.progress_total}"
    return str(run.progress_done) if run.progress_done else "-"


def _parse_params(pairs: list[str]) -> dict[str, object]:
    params: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(
                _("A parameter is written NAME=VALUE, not %(text)s.") % {"text": pair}
            )
        params[name.strip()] = value
    return params


def _user(username: str | None) -> User | None:
    if username is None:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("No user is named %(name)s.") % {"name": username})
    return user


def _get_run(user: User | None, run_id: int) -> JobRun:
    if user is not None:
        return queries.run_for(user, run_id)
    run = JobRun.objects.filter(pk=run_id).first()
    if run is None:
        raise CommandError(_("There is no run #%(id)s.") % {"id": run_id})
    return run


def _worker_alive() -> bool:
    since = timezone.now() - dt.timedelta(seconds=WORKER_ALIVE_SECONDS)
    return ProcrastinateWorker.objects.filter(last_heartbeat__gte=since).exists()


def _describe(err: DomainError) -> str:
    lines = [str(err.message)]
    for name, messages in err.fields.items():
        lines += [f"  {name}: {message}" for message in messages]
    return "\n".join(lines)
