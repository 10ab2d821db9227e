"""Long-term care settlement in Chinese: this month's Suzhou batch of the demo passes its four
stages by four different people: wang settles it again and claims it (申报), sun passes the
first review (初审), qian the second (复核), and admin pays it (拨付) after confirming; the
totals are shown in yuan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jingban.core.calendar import today as local_today
from jingban.ltc.models import BatchStage, SettlementBatch
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_four_stages_by_four_people(live_server, page: Page, personas: Personas) -> None:
    base = live_server.url
    batch = SettlementBatch.objects.get(region__code="320500", month=local_today().replace(day=1))
    url = f"{base}/ltc/settlement/{batch.pk}/"
    passwords = personas.world.passwords

    sign_in(page, base, "wang", passwords["wang"])
    page.goto(url)
    page.get_by_role("button", name="重新结算该月").click()
    expect(page.get_by_test_id("batch-stage")).to_contain_text("已计算，待申报")
    expect(page.get_by_test_id("batch-billed")).to_contain_text("¥")
    page.get_by_role("button", name="申报该批次").click()
    expect(page.get_by_test_id("batch-stage")).to_contain_text("已申报")

    for username, button, stage in (
        ("sun", "初审通过", "初审通过"),
        ("qian", "复核通过", "复核通过"),
    ):
        page.context.clear_cookies()
        sign_in(page, base, username, passwords[username])
        page.goto(url)
        page.get_by_role("button", name=button).click()
        expect(page.get_by_test_id("batch-stage")).to_contain_text(stage)

    page.context.clear_cookies()
    sign_in(page, base, "admin", passwords["admin"])
    page.goto(url)
    page.get_by_label("我确认拨付：拨付后不能撤销。").check()
    page.get_by_role("button", name="拨付该批次").click()
    expect(page.get_by_test_id("batch-stage")).to_contain_text("已拨付")
    batch.refresh_from_db()
    assert batch.stage == BatchStage.PAID
    assert [
        batch.claimed_by.username,  # type: ignore[union-attr]
        batch.first_reviewed_by.username,  # type: ignore[union-attr]
        batch.second_reviewed_by.username,  # type: ignore[union-attr]
        batch.paid_by.username,  # type: ignore[union-attr]
    ] == ["wang", "sun", "qian", "admin"]
