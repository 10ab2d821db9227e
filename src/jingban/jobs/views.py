"""Pages of background jobs: the runs a user may see, one run with its live progress, retry."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from jingban.core import exports
from jingban.core.errors import Conflict, ValidationFailed
from jingban.core.models import User
from jingban.core.pagination import page_of
from jingban.core.roles import Cap
from jingban.core.views.access import AuthedRequest, requires
from jingban.jobs import queries, services
from jingban.jobs.kinds import JobKind, all_kinds, get_kind, may_start
from jingban.jobs.models import JobRun, JobStatus

PAGE_SIZE = 25
_BADGES = {
    JobStatus.QUEUED: "badge-ended",
    JobStatus.RUNNING: "badge-suspended",
    JobStatus.SUCCEEDED: "badge-active",
    JobStatus.FAILED: "badge-failed",
}


def _startable(user: User) -> tuple[list[JobKind], list[tuple[JobKind, str]]]:
    """Kinds the user may start from the list page (those that need no parameters), and the
    ones of them that cannot run now, each with the reason: those are not offered."""
    offered: list[JobKind] = []
    withheld: list[tuple[JobKind, str]] = []
    if not user.can(Cap.JOB_RUN):
        return offered, withheld
    for kind in all_kinds():
        if not may_start(user, kind) or kind.needs_parameters:
            continue
        reason = kind.why_unavailable()
        if reason is None:
            offered.append(kind)
        else:
            withheld.append((kind, str(reason)))
    return offered, withheld


def _list_context(request: AuthedRequest) -> dict[str, object]:
    runs = queries.runs_for(request.user)
    page = page_of(request, runs, PAGE_SIZE)
    offered, withheld = _startable(request.user)
    return {
        "page_obj": page,
        "rows": [(run, _BADGES[JobStatus(run.status)]) for run in page.object_list],
        "total": page.paginator.count,
        "startable": offered,
        "withheld": withheld,
    }


@requires(Cap.JOB_VIEW)
def run_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "jobs/run_list.html", _list_context(request))


@require_POST
@requires(Cap.JOB_RUN)
def run_start(request: AuthedRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    try:
        run = services.enqueue(request.user, kind, {})
    except (ValidationFailed, Conflict) as err:
        context = _list_context(request)
        context["start_errors"] = [str(m) for msgs in err.fields.values() for m in msgs] or [
            str(err.message)
        ]
        return render(request, "jobs/run_list.html", context, status=400)
    messages.success(request, _("Started run #%(id)s.") % {"id": run.pk})
    return redirect("jobs:run_detail", pk=run.pk)


def _label(kind: JobKind | None, key: str) -> str:
    return kind.label_for(key) if kind is not None else key


def _shown(kind: JobKind | None, value: object) -> str:
    """A parameter or figure for the page: lists item by item (a problem by its description,
    not its code), mappings with their keys labelled, yes/no for booleans."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        items = [
            str(item.get("detail") or " · ".join(str(v) for v in item.values() if v is not None))
            if isinstance(item, dict)
            else str(item)
            for item in value[:20]
        ]
        return "; ".join(items) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_label(kind, str(k))} {_shown(kind, v)}" for k, v in value.items())
    return str(value)


def _labelled(kind: JobKind | None, values: dict[str, object] | None) -> list[tuple[str, str]]:
    """The run's parameters or result figures under the labels its kind declares."""
    return [(_label(kind, name), _shown(kind, value)) for name, value in (values or {}).items()]


def _detail_context(request: AuthedRequest, run: JobRun) -> dict[str, object]:
    kind = get_kind(run.kind)
    return {
        "run": run,
        "badge": _BADGES[JobStatus(run.status)],
        "params": _labelled(kind, dict(sorted(run.params.items()))),
        "result_rows": _labelled(kind, run.result),
        "can_retry": run.status == JobStatus.FAILED
        and kind is not None
        and may_start(request.user, kind),
    }


@requires(Cap.JOB_VIEW)
def run_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    run = queries.run_for(request.user, pk)
    # The status block polls this same address with htmx while the run is queued or running.
    template = "jobs/_run_status.html" if request.htmx else "jobs/run_detail.html"
    return render(request, template, _detail_context(request, run))


@require_POST
@requires(Cap.JOB_RUN)
def run_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    run = queries.run_for(request.user, pk)
    try:
        run = services.retry(request.user, run)
    except Conflict as err:
        messages.error(request, str(err.message))
    else:
        messages.success(
            request,
            _("Run #%(id)s queued again: attempt %(attempt)s.")
            % {"id": run.pk, "attempt": run.attempt},
        )
    return redirect("jobs:run_detail", pk=run.pk)


EXPORT_COLUMNS: tuple[exports.Column[JobRun], ...] = (
    exports.Column("id", gettext_lazy("Run"), lambda run: run.pk),
    exports.Column("kind", gettext_lazy("Job"), lambda run: run.kind_label),
    exports.Column("label", gettext_lazy("About"), lambda run: run.label),
    exports.Column("status", gettext_lazy("Status"), lambda run: run.get_status_display()),
    exports.Column("done", pgettext_lazy("export", "Done"), lambda run: run.progress_done),
    exports.Column("total", pgettext_lazy("export", "Total"), lambda run: run.progress_total),
    exports.Column("attempt", gettext_lazy("Attempt"), lambda run: run.attempt),
    exports.Column(
        "started_by",
        gettext_lazy("Started by"),
        lambda run: run.started_by.get_username() if run.started_by else _("system"),
    ),
    exports.Column("created", gettext_lazy("Created"), lambda run: run.created_at),
    exports.Column("started", gettext_lazy("Started"), lambda run: run.started_at),
    exports.Column("finished", gettext_lazy("Finished"), lambda run: run.finished_at),
)


@requires(Cap.JOB_VIEW)
def run_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The runs of the list (the user's scope) as CSV or xlsx."""
    return exports.export_response(
        request,
        list_name="jobs.runs",
        rows=queries.runs_for(request.user),
        columns=EXPORT_COLUMNS,
        fmt=fmt,
        filename="jobs",
    )
