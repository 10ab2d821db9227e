"""API of background jobs: the runs a user may see, starting a run, retrying a failed one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.errors import Conflict
from jingban.core.roles import Cap
from jingban.jobs import queries, services
from jingban.jobs.models import JobRun

router = Router(tags=["jobs"])
PAGE_SIZE = 50


class JobRunOut(Schema):
    id: int
    kind: str
    kind_label: str
    label: str
    params: dict[str, Any]
    status: str = Field(description="queued, running, succeeded or failed")
    progress_done: int
    progress_total: int | None = Field(description="None while the amount of work is unknown")
    message: str
    error: str = Field(description="Why the last attempt failed; empty otherwise")
    result: dict[str, Any] | None
    attempt: int
    idempotency_key: str
    started_by: str | None = Field(description="Username; None for the system")
    region: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class JobRunPage(Schema):
    count: int
    page: int
    results: list[JobRunOut]


class JobRunIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "core.audit.verify", "params": {}, "label": "nightly check"}]
        }
    )

    kind: str = Field(max_length=80, description="A job kind, e.g. core.audit.verify")
    params: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str = Field(
        "", max_length=200, description="The same kind and key start one run only"
    )
    label: str = Field("", max_length=200)


def _out(run: JobRun) -> JobRunOut:
    return JobRunOut(
        id=run.pk,
        kind=run.kind,
        kind_label=run.kind_label,
        label=run.label,
        params=run.params,
        status=run.status,
        progress_done=run.progress_done,
        progress_total=run.progress_total,
        message=run.message,
        error=run.error,
        result=run.result,
        attempt=run.attempt,
        idempotency_key=run.idempotency_key,
        started_by=run.started_by.username if run.started_by else None,
        region=run.region.code if run.region else None,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
    )


@router.get(
    "",
    response={200: JobRunPage, **errors(403)},
    summary="Background job runs the user may see, newest first",
)
def run_list(request: HttpRequest, page: int = 1) -> JobRunPage:
    user = api_user(request, Cap.JOB_VIEW)
    runs = queries.runs_for(user)
    page = max(page, 1)
    start = (page - 1) * PAGE_SIZE
    count = runs.count()
    # A page past the end is empty; asking the database for it could overflow its OFFSET.
    results = [_out(run) for run in runs[start : start + PAGE_SIZE]] if start < count else []
    return JobRunPage(count=count, page=page, results=results)


@router.post(
    "",
    response={200: JobRunOut, 201: JobRunOut, **errors(400, 403, 409)},
    summary="Start a run (200 with the existing run when the idempotency key was used)",
)
def run_start(request: HttpRequest, payload: JobRunIn) -> Status[JobRunOut]:
    user = api_user(request, Cap.JOB_RUN)
    key = payload.idempotency_key.strip()
    existed = bool(key) and JobRun.objects.filter(kind=payload.kind, idempotency_key=key).exists()
    run = services.enqueue(
        user, payload.kind, payload.params, idempotency_key=key, label=payload.label
    )
    if not queries.runs_for(user).filter(pk=run.pk).exists():
        raise Conflict(
            _("This idempotency key is already used by another user's run."), code="key_in_use"
        )
    return Status(200 if existed else 201, _out(run))


@router.get(
    "/{int:pk}",
    response={200: JobRunOut, **errors(403, 404)},
    summary="One run, with its progress, error or result",
)
def run_detail(request: HttpRequest, pk: int) -> JobRunOut:
    user = api_user(request, Cap.JOB_VIEW)
    return _out(queries.run_for(user, pk))


@router.post(
    "/{int:pk}/retry",
    response={200: JobRunOut, **errors(403, 404, 409)},
    summary="Retry a failed run: the same run, next attempt (409 unless it failed)",
)
def run_retry(request: HttpRequest, pk: int) -> JobRunOut:
    user = api_user(request, Cap.JOB_RUN)
    run = queries.run_for(user, pk)
    return _out(services.retry(user, run))
