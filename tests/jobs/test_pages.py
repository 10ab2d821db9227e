"""The jobs pages and API: who sees which runs, starting, the failed run's page, retry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jingban.jobs import services
from jingban.jobs.models import JobRun, JobStatus
from tests.personas import Personas


def _run(p: Personas, owner: str, status: JobStatus = JobStatus.SUCCEEDED, **fields) -> JobRun:
    return JobRun.objects.create(
        kind="core.audit.verify", status=status, started_by=p.user(owner), **fields
    )


def test_admin_sees_every_run_and_others_their_own(personas: Personas) -> None:
    own = _run(personas, "wang")
    other = _run(personas, "admin")

    wang = personas.client("wang", language="en")
    page = wang.get(reverse("jobs:run_list")).content.decode()
    assert reverse("jobs:run_detail", args=[own.pk]) in page
    assert reverse("jobs:run_detail", args=[other.pk]) not in page
    assert wang.get(reverse("jobs:run_detail", args=[other.pk])).status_code == 404
    assert wang.post(reverse("jobs:run_retry", args=[other.pk])).status_code == 404
    assert [r["id"] for r in wang.get("/api/v1/jobs").json()["results"]] == [own.pk]
    assert wang.get(f"/api/v1/jobs/{other.pk}").status_code == 404

    admin = personas.client("admin", language="en")
    page = admin.get(reverse("jobs:run_list")).content.decode()
    assert reverse("jobs:run_detail", args=[own.pk]) in page
    assert reverse("jobs:run_detail", args=[other.pk]) in page
    assert admin.get("/api/v1/jobs").json()["count"] == 2


@pytest.mark.parametrize("role", ["sun", "li", "zhao", "kangning", "zhou", "chen", "qian"])
def test_roles_without_the_capability_get_403(personas: Personas, role: str) -> None:
    run = _run(personas, "wang")
    client = personas.client(role)
    assert client.get(reverse("jobs:run_list")).status_code == 403
    assert client.get(reverse("jobs:run_detail", args=[run.pk])).status_code == 403
    assert client.post(reverse("jobs:run_retry", args=[run.pk])).status_code == 403
    assert client.get("/api/v1/jobs").status_code == 403
    assert client.post(f"/api/v1/jobs/{run.pk}/retry").json()["code"] == "forbidden"
    assert "/jobs/" not in client.get(reverse("core:home")).content.decode()


def test_a_failed_run_shows_its_error_and_a_retry_button(personas: Personas) -> None:
    failed = _run(
        personas,
        "admin",
        JobStatus.FAILED,
        error="ValueError: line 4: expected name,phone",
        progress_done=3,
        progress_total=6,
    )
    page = personas.client("admin", language="en").get(reverse("jobs:run_detail", args=[failed.pk]))
    html = page.content.decode()
    assert '<div class="form-errors" role="alert">' in html
    assert "ValueError: line 4: expected name,phone" in html
    assert f'action="{reverse("jobs:run_retry", args=[failed.pk])}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    # A failed run shows a failed state: its own badge colour, no half-filled bar.
    assert '<span class="badge badge-failed">Failed</span>' in html
    assert "<progress" not in html
    assert "Stopped after 3 of 6." in html
    assert "hx-trigger" not in html
    listing = personas.client("admin", language="en").get(reverse("jobs:run_list"))
    row = listing.content.decode().split(f">#{failed.pk}</a>", 1)[1].split("</tr>", 1)[0]
    assert "badge-failed" in row and "3 / 6" not in row

    # Wang may see his own failed run of this kind, but not retry it: it needs core.audit.verify.
    own = _run(personas, "wang", JobStatus.FAILED, error="boom")
    html = personas.client("wang").get(reverse("jobs:run_detail", args=[own.pk])).content.decode()
    assert "boom" in html
    assert reverse("jobs:run_retry", args=[own.pk]) not in html


def test_a_queued_run_polls_and_says_it_waits(personas: Personas) -> None:
    run = _run(personas, "admin", JobStatus.QUEUED)
    url = reverse("jobs:run_detail", args=[run.pk])
    html = personas.client("admin", language="en").get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 1s" hx-swap="outerHTML"' in html
    assert "Waiting for a worker." in html
    # No total yet: an indeterminate bar (no value attribute).
    assert '<progress id="run-progress" aria-describedby="run-progress-text">' in html


def test_retry_from_the_page_queues_the_run_again(personas: Personas) -> None:
    run = services.enqueue(personas.user("admin"), "core.audit.verify")
    JobRun.objects.filter(pk=run.pk).update(status=JobStatus.FAILED, error="boom")
    client = personas.client("admin", language="en")

    response = client.post(reverse("jobs:run_retry", args=[run.pk]), follow=True)

    assert response.redirect_chain == [(reverse("jobs:run_detail", args=[run.pk]), 302)]
    assert f"Run #{run.pk} queued again: attempt 2." in response.content.decode()
    run.refresh_from_db()
    assert (run.status, run.attempt) == (JobStatus.QUEUED, 2)
    assert client.get(reverse("jobs:run_retry", args=[run.pk])).status_code == 405


def test_start_from_the_list_page(personas: Personas) -> None:
    admin = personas.client("admin", language="en")
    page = admin.get(reverse("jobs:run_list")).content.decode()
    assert '<option value="core.audit.verify">Verify the action log</option>' in page
    # Wang may start jobs, but not this one: no form offers it to him.
    wang_page = personas.client("wang").get(reverse("jobs:run_list")).content.decode()
    assert "core.audit.verify" not in wang_page

    response = admin.post(reverse("jobs:run_start"), {"kind": "core.audit.verify"})

    run = JobRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:run_detail", args=[run.pk])
    assert (run.kind, run.status, run.started_by) == (
        "core.audit.verify",
        JobStatus.QUEUED,
        personas.user("admin"),
    )
    refused = admin.post(reverse("jobs:run_start"), {"kind": "no.such.kind"})
    assert refused.status_code == 400
    assert "There is no job of this kind." in refused.content.decode()
    assert (
        personas.client("wang")
        .post(reverse("jobs:run_start"), {"kind": "core.audit.verify"})
        .status_code
        == 403
    )


def test_api_start_is_idempotent_by_key_and_retry_only_takes_failed_runs(
    personas: Personas,
) -> None:
    admin = personas.client("admin", language="en")
    body = {"kind": "core.audit.verify", "idempotency_key": "nightly-2026-11-23"}

    first = admin.post("/api/v1/jobs", body, content_type="application/json")
    again = admin.post("/api/v1/jobs", body, content_type="application/json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "queued"
    assert JobRun.objects.count() == 1
    pk = first.json()["id"]

    refused = admin.post(f"/api/v1/jobs/{pk}/retry")
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_failed"
    assert refused.json()["message"] == "Only a failed job can be retried. This one is Queued."

    JobRun.objects.filter(pk=pk).update(status=JobStatus.FAILED, error="boom")
    retried = admin.post(f"/api/v1/jobs/{pk}/retry")
    assert retried.status_code == 200
    assert (retried.json()["attempt"], retried.json()["error"]) == (2, "")

    bad = admin.post(
        "/api/v1/jobs", {"kind": "core.audit.verify", "params": {"x": 1}}, "application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["fields"] == {"x": ["This job has no such parameter."]}


def test_api_refuses_a_key_taken_by_another_users_run(personas: Personas, gate) -> None:
    body = {"kind": "tests.gated", "idempotency_key": "shared"}
    assert personas.client("admin").post("/api/v1/jobs", body, "application/json").status_code
    taken = personas.client("wang", language="en").post("/api/v1/jobs", body, "application/json")
    assert taken.status_code == 409
    assert taken.json()["code"] == "key_in_use"
