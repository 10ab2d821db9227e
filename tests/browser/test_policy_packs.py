"""The policy pack journey in Chinese, in Debian's Chromium (axe checks every page on the way):
admin drafts a new version of the sample resident pack with one figure changed and sees it in
the comparison, cannot approve it themself; qian tries a bill with it (试算) and approves it;
the list shows it approved, and reads in 关怀 mode."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jingban.core.models import ActionLog
from jingban.packs.models import PackVersion
from tests.browser.test_accessibility import measure
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

PACK_ID = "sample-resident-2025"
FIGURE = "caps.outpatient_general.amount"


def sign_out(page: Page) -> None:
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url("**/login/**")


def test_admin_drafts_a_version_and_qian_approves_it(
    live_server, page: Page, personas: Personas
) -> None:
    base = live_server.url
    # The version in force: @2, the shipped pack in the layout of schema 2 (@1 is layout 1).
    shipped = PackVersion.objects.get(pack_id=PACK_ID, version=2)

    sign_in(page, base, "admin", personas.world.passwords["admin"])
    page.locator("nav.site-nav a[href='/policies/']").click()
    page.locator(f"tr[data-spec='{PACK_ID}@2'] a").click()
    expect(page.locator("[data-testid=content-hash]")).to_have_text(shipped.content_hash)
    page.locator(f"a[href='/policies/{shipped.pk}/edit/']").click()

    source = page.locator("#id_content")
    text = source.input_value()
    assert "\nversion: 3\n" in text and text.count("    amount: 150\n") == 1
    source.fill(text.replace("    amount: 150\n", "    amount: 180\n"))
    page.locator("#pack-form button[type=submit]").click()

    draft = PackVersion.objects.get(pack_id=PACK_ID, version=3)
    page.wait_for_url(f"{base}/policies/{draft.pk}/")
    expect(page.locator("h1")).to_contain_text(f"{PACK_ID}@3")
    change = page.locator(f"#changes tr[data-path='{FIGURE}']")
    expect(change.locator("td").nth(0)).to_have_text("150")
    expect(change.locator("td").nth(1)).to_have_text("180")
    expect(page.locator("#changes tbody tr")).to_have_count(1)
    # The author has no approval form: a second person must approve.
    expect(page.locator("#approve-form")).to_have_count(0)
    expect(page.locator("[data-status=draft]").first).to_be_visible()
    sign_out(page)

    sign_in(page, base, "qian", personas.world.passwords["qian"])
    page.goto(f"{base}/policies/{draft.pk}/")
    expect(page.locator(f"#changes tr[data-path='{FIGURE}'] td").nth(1)).to_have_text("180")

    # Before approving, qian tries a bill: outpatient pooling of 400 pays 175 now, 150 before.
    page.locator(f"a[href='/policies/{draft.pk}/trial/']").click()
    page.locator("#id_visit_type").select_option("outpatient_general")
    page.locator("#id_hospital_level").select_option("1")
    page.locator("#id_service_date").fill("2025-04-01")
    page.locator("#id_total").fill("400")
    page.locator("#trial-form button[type=submit]").click()
    fund = page.locator("#trial-result tbody tr").first
    expect(fund.locator("td").nth(0)).to_have_text("¥175.00")
    expect(fund.locator("td").nth(1)).to_have_text("¥150.00")
    expect(page.locator("#trial-lines")).to_contain_text("年度起付线 ¥50.00")
    page.goto(f"{base}/policies/{draft.pk}/")
    page.locator("#id_approve-note").fill("与局发文件核对一致")
    page.locator("#approve-form button[type=submit]").click()
    expect(page.locator("main [data-status=approved]")).to_be_visible()
    expect(page.locator("#approve-form")).to_have_count(0)

    page.locator("nav.site-nav a[href='/policies/']").click()
    expect(page.locator(f"tr[data-spec='{PACK_ID}@3'] [data-status=approved]")).to_be_visible()
    expect(page.locator(f"tr[data-spec='{PACK_ID}@2'] [data-status=approved]")).to_be_visible()
    expect(page.locator(f"tr[data-spec='{PACK_ID}@1'] [data-status=approved]")).to_be_visible()

    # 关怀 mode: the same pages in large text, with AA contrast.
    page.locator("button.care-toggle").click()
    expect(page.locator("body")).to_have_class("care")
    measure(page, care=True)
    page.goto(f"{base}/policies/{draft.pk}/")
    measure(page, care=True)

    draft.refresh_from_db()
    assert (draft.status, draft.reviewer, draft.review_note) == (
        "approved",
        personas.user("qian"),
        "与局发文件核对一致",
    )
    assert draft.author == personas.user("admin")
    assert ActionLog.objects.get(action="packs.version.approved").actor == personas.user("qian")
