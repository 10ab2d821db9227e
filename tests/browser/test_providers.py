"""The institution's journey in Chinese (axe checks every page on the way): 康宁护理院's staff
sign in, see their own agreement under rectification and answer the rectification order from
the home page's panel, attaching the corrected records as a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from jingban.files.models import StoredFile
from jingban.providers.models import OrderState, RectificationOrder
from tests.browser.test_roles_and_persons import sign_in
from tests.files.samples import PDF
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_institution_staff_answer_their_rectification_order(
    live_server, page: Page, personas: Personas, settings: Any, tmp_path: Path
) -> None:
    settings.FILES_DIR = tmp_path / "files"
    base = live_server.url
    order = RectificationOrder.objects.get(agreement__institution__organisation__code="SZ-CARE-KN")
    sign_in(page, base, "kangning", personas.world.passwords["kangning"])
    panel = page.locator("section", has=page.get_by_role("heading", name="待办整改通知"))
    expect(panel).to_contain_text("1")
    page.get_by_role("link", name="本机构").first.click()
    expect(page.get_by_test_id("own-agreement-state").first).to_contain_text("整改中")
    page.locator(f"a[href$='/institutions/ours/orders/{order.pk}/']").first.click()
    expect(page.locator("h1")).to_have_text("整改通知")
    page.get_by_role("button", name="提交回复").click()
    expect(page.locator(".errorlist, .error").first).to_be_visible()
    page.get_by_label("整改情况").fill("已补齐护理记录，停止串换收费项目，并完成全员培训。")
    page.get_by_label("证明材料").set_input_files(
        {"name": "整改后护理记录.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="提交回复").click()
    expect(page.get_by_test_id("order-state")).to_have_text("已回复")
    expect(page.locator("blockquote")).to_contain_text("已补齐护理记录")
    expect(page.get_by_test_id("reply-files")).to_contain_text("整改后护理记录.pdf")
    order.refresh_from_db()
    assert order.state == OrderState.REPLIED
    reply = order.replies.get()
    stored = StoredFile.objects.get(object_type="providers.reply", object_id=str(reply.pk))
    assert stored.original_name == "整改后护理记录.pdf"
    assert [p for p in settings.FILES_DIR.rglob("*") if p.is_file()]
