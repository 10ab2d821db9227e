"""The settlement pages in Chinese: a run with a bad month, the batch in yuan, the stage buttons
and the confirmation before payment, a statement's rejected rows as sentences, the home panel
and the exports."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jingban.core.models import Region
from jingban.ltc import services_settlement
from jingban.ltc.models import BatchStage, SettlementBatch, Statement
from tests.ltc.test_settlement import JUNE, TODAY, kn, month_of_care  # noqa: F401
from tests.personas import Personas


def _run(p: Personas) -> SettlementBatch:
    suzhou = Region.objects.get(code="320500")
    return services_settlement.run_month(suzhou, JUNE, by=p.user("wang"), today=TODAY)


def test_a_bad_or_future_month_names_the_field(personas: Personas) -> None:
    client = personas.client("wang")
    suzhou = Region.objects.get(code="320500")
    before = SettlementBatch.objects.count()
    bad = client.post(reverse("ltc:settlement_run"), {"month": "2025-13", "region": suzhou.pk})
    assert bad.status_code == 400
    assert "月份" in bad.content.decode() or "month" in bad.content.decode()
    future = client.post(reverse("ltc:settlement_run"), {"month": "2999-01", "region": suzhou.pk})
    assert future.status_code == 400
    assert SettlementBatch.objects.count() == before


def test_a_run_from_the_page_shows_the_batch_in_yuan(month_of_care, personas) -> None:  # noqa: F811
    client = personas.client("wang")
    suzhou = Region.objects.get(code="320500")
    response = client.post(reverse("ltc:settlement_run"), {"month": "2025-06", "region": suzhou.pk})
    assert response.status_code == 302
    batch = SettlementBatch.objects.get(region=suzhou, month=JUNE)
    page = client.get(reverse("ltc:settlement_detail", args=[batch.pk])).content.decode()
    assert "¥3,300.00" in page and "¥3,225.00" in page
    assert "康宁护理院" in page
    assert "suzhou-ltc" not in page and "computed" not in page


def test_a_run_in_the_background_queues_the_job_and_opens_its_page(personas) -> None:
    from jingban.jobs.models import JobRun

    client = personas.client("wang")
    suzhou = Region.objects.get(code="320500")
    form = client.get(reverse("ltc:settlement_run")).content.decode()
    assert "在后台运行" in form
    response = client.post(
        reverse("ltc:settlement_run"),
        {"month": "2025-06", "region": suzhou.pk, "background": "on"},
    )
    run = JobRun.objects.get(kind="ltc.settlement.month")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:run_detail", args=[run.pk])
    assert run.params == {"month": "2025-06", "region": "320500"}
    assert run.started_by == personas.user("wang") and run.region == suzhou
    # Nothing is settled until the job runs.
    assert not SettlementBatch.objects.filter(month=JUNE).exists()


def test_payment_asks_for_confirmation(month_of_care, personas) -> None:  # noqa: F811
    p = personas
    batch = _run(p)
    for stage, who in (("claimed", "wang"), ("first_reviewed", "sun"), ("second_reviewed", "qian")):
        batch = services_settlement.advance(batch, stage, by=p.user(who))
    client = p.client("admin")
    url = reverse("ltc:settlement_advance", args=[batch.pk])
    unconfirmed = client.post(url, {"stage": "paid"})
    assert unconfirmed.status_code == 400
    batch.refresh_from_db()
    assert batch.stage == BatchStage.SECOND_REVIEWED
    assert client.post(url, {"stage": "paid", "confirm": "on"}).status_code == 302
    batch.refresh_from_db()
    assert batch.stage == BatchStage.PAID and batch.paid_by == p.user("admin")


def test_the_same_person_sees_why_not(month_of_care, personas, monkeypatch) -> None:  # noqa: F811
    p = personas
    batch = services_settlement.advance(_run(p), "claimed", by=p.user("wang"))
    # wang cannot review (no capability): no button; sun sees it.
    page = p.client("sun").get(reverse("ltc:settlement_detail", args=[batch.pk])).content.decode()
    assert "初审" in page and 'value="first_reviewed"' in page
    refused = p.client("wang").post(
        reverse("ltc:settlement_advance", args=[batch.pk]), {"stage": "first_reviewed"}
    )
    assert refused.status_code == 403


def test_statement_shows_rejected_rows_as_sentences(month_of_care, personas) -> None:  # noqa: F811
    batch = _run(personas)
    statement = Statement.objects.get(batch=batch, person=month_of_care["home"])
    page = (
        personas.client("wang")
        .get(reverse("ltc:settlement_statement", args=[statement.pk]))
        .content.decode()
    )
    assert "2025-06-16" in page and "15" in page
    assert "ltc.over_quota" not in page
    assert "1,200.00" in page and "1,125.00" in page and "75.00" in page


def test_home_panel_lists_batches_waiting_for_each_stage(month_of_care, personas) -> None:  # noqa: F811
    batch = services_settlement.advance(_run(personas), "claimed", by=personas.user("wang"))
    home = personas.client("sun").get("/").content.decode()
    assert 'id="home-ltc-settlement"' in home
    assert reverse("ltc:settlement_detail", args=[batch.pk]) in home
    # The auditor does no stage: no panel.
    assert 'id="home-ltc-settlement"' not in personas.client("zhao").get("/").content.decode()


def test_exports_in_yuan(month_of_care, personas) -> None:  # noqa: F811
    batch = _run(personas)
    client = personas.client("wang")
    listed = b"".join(client.get(reverse("ltc:settlement_export_csv")).streaming_content)  # type: ignore[attr-defined]
    assert "3,300.00" in listed.decode("utf-8-sig")
    rows = b"".join(
        client.get(reverse("ltc:settlement_statements_csv", args=[batch.pk])).streaming_content  # type: ignore[attr-defined]
    ).decode("utf-8-sig")
    assert rows.count("\n") == 4
    assert "1,200.00" in rows
    assert dt.date(2025, 6, 1).strftime("%Y-%m") in rows
