"""The policy pack journey in Chinese, in Debian's Chromium (axe checks every page on the way):
admin drafts a new version of the sample resident pack in the structured form, changing two
figures and adding a critical illness band without touching YAML, and tries a bill with it
(试算); qian finds the draft on her home panel, reviews it in labelled figures with its
differences, and approves it after the confirmation; the list shows it approved, and reads in
关怀 mode."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jingban.core.models import ActionLog
from jingban.engine.policy import load_pack_text
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


def test_admin_drafts_in_the_form_and_qian_approves_it(
    live_server, page: Page, personas: Personas
) -> None:
    base = live_server.url
    # The version in force: @2, the shipped pack in the layout of schema 2 (@1 is layout 1).
    shipped = PackVersion.objects.get(pack_id=PACK_ID, version=2)

    sign_in(page, base, "admin", personas.world.passwords["admin"])
    page.locator("nav.site-nav a[href='/policies/']").click()
    page.locator(f"tr[data-spec='{PACK_ID}@2'] a").click()
    expect(page.locator("[data-testid=content-hash]")).to_have_text(shipped.content_hash)
    # The figures read as the scheme says, in Chinese, with their units.
    deductible = page.locator("tr[data-path='benefits.inpatient.deductible.by_level.3']")
    expect(deductible.locator("th")).to_have_text("住院 · 起付线 · 三级医院")
    expect(deductible.locator("td").nth(0)).to_contain_text("¥800")
    expect(deductible.locator("td").nth(0)).to_contain_text("示例")
    page.locator(f"a[href='/policies/{shipped.pk}/edit/']").click()

    # The structured form: two figures changed, the last band closed at 300,000 and a fourth
    # band added above it (a round trip that keeps what was typed).
    expect(page.get_by_label("普通门诊统筹年度限额").first).to_be_visible()
    page.locator("#f-caps-outpatient_general-amount").fill("180")
    page.locator("#f-benefits-inpatient-ratio_by_level-3").fill("70")
    page.locator("#f-critical_illness-bands-2-up_to").fill("300000")
    page.get_by_role("button", name="为分段支付添加一行").click()
    expect(page.locator("#f-caps-outpatient_general-amount")).to_have_value("180")
    page.locator("#f-critical_illness-bands-3-above").fill("300000")
    page.locator("#f-critical_illness-bands-3-ratio").fill("97.5")
    page.locator("#pack-form button[name=_save]").first.click()

    draft = PackVersion.objects.get(pack_id=PACK_ID, version=3)
    page.wait_for_url(f"{base}/policies/{draft.pk}/")
    expect(page.locator("h1")).to_contain_text(f"{PACK_ID}@3")
    change = page.locator(f"#changes tr[data-path='{FIGURE}']")
    expect(change.locator("th")).to_have_text("年度支付限额 · 普通门诊统筹年度限额 · 年度限额")
    expect(change.locator("td").nth(0)).to_have_text("¥150")
    expect(change.locator("td").nth(1)).to_have_text("¥180")
    expect(page.locator("#changes tbody tr")).to_have_count(5)
    band = page.locator("#changes tr[data-path='critical_illness.bands.3.ratio']")
    expect(band.locator("th")).to_have_text("大病保险 · 第4段 · 支付比例")
    expect(band.locator("td").nth(1)).to_have_text("97.5%")
    bands = load_pack_text(draft.content).medical.critical_illness
    assert bands is not None and len(bands.bands) == 4
    # The author cannot approve: a second person must.
    expect(page.locator("#approve-link")).to_have_count(0)
    expect(page.locator("[data-status=draft]").first).to_be_visible()

    # 试算: an inpatient bill of 10,800 at a level 3 hospital pays 70% above the 800
    # deductible now (7,000), 65% before (6,500).
    page.locator(f"a[href='/policies/{draft.pk}/trial/']").click()
    page.locator("#id_visit_type").select_option("inpatient")
    page.locator("#id_hospital_level").select_option("3")
    page.locator("#id_service_date").fill("2025-04-01")
    page.locator("#id_discharge_date").fill("2025-04-05")
    page.locator("#id_total").fill("10800")
    page.locator("#trial-form button[type=submit]").click()
    fund = page.locator("#trial-result tbody tr").first
    expect(fund.locator("td").nth(0)).to_have_text("¥7,000.00")
    expect(fund.locator("td").nth(1)).to_have_text("¥6,500.00")
    sign_out(page)

    # qian: the draft waits on her home panel.
    sign_in(page, base, "qian", personas.world.passwords["qian"])
    panel = page.locator("#home-pack-drafts-panel")
    expect(panel.locator(f"tr[data-spec='{PACK_ID}@3']")).to_be_visible()
    panel.locator(f"tr[data-spec='{PACK_ID}@3'] a").click()
    page.wait_for_url(f"{base}/policies/{draft.pk}/")
    expect(page.locator(f"#changes tr[data-path='{FIGURE}'] td").nth(1)).to_have_text("¥180")
    ratio = page.locator("#changes tr[data-path='benefits.inpatient.ratio_by_level.3']")
    expect(ratio.locator("th")).to_have_text("基本医保待遇 · 住院 · 报销比例 · 三级医院")
    expect(ratio.locator("td").nth(0)).to_have_text("65%")
    expect(ratio.locator("td").nth(1)).to_have_text("70%")
    # Approving asks for confirmation, with a note; nothing is decided before.
    page.locator("#approve-link").click()
    expect(page.locator("h1")).to_have_text("批准此版本？")
    expect(page.locator("[data-testid=changed-count]")).to_contain_text("5")
    draft.refresh_from_db()
    assert draft.status == "draft"
    page.locator("#id_approve-note").fill("与局发文件核对一致")
    page.locator("#approve-form button[type=submit]").click()
    expect(page.locator("main [data-status=approved]")).to_be_visible()
    expect(page.locator("#approve-link")).to_have_count(0)

    page.locator("nav.site-nav a[href='/policies/']").click()
    expect(page.locator(f"tr[data-spec='{PACK_ID}@3'] [data-status=approved]")).to_be_visible()
    expect(page.locator(f"tr[data-spec='{PACK_ID}@2'] [data-status=approved]")).to_be_visible()

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
    logged = ActionLog.objects.get(action="packs.version.approved")
    assert logged.actor == personas.user("qian")


def test_the_advanced_view_numbers_the_lines_of_the_pack_text(
    live_server, page: Page, personas: Personas
) -> None:
    base = live_server.url
    shipped = PackVersion.objects.get(pack_id=PACK_ID, version=2)
    sign_in(page, base, "admin", personas.world.passwords["admin"])
    page.goto(f"{base}/policies/{shipped.pk}/edit/yaml/")
    source = page.locator("#id_content")
    text = source.input_value()
    lines = text.count("\n") + 1
    expect(page.locator(".line-gutter")).to_contain_text(f"\n{lines}")
    source.fill(text.replace("  bands:\n", "  bands: [\n", 1))
    page.locator("#pack-form button[type=submit]").click()
    expect(page.locator("#id_content_errors")).to_contain_text("行")
    assert not PackVersion.objects.filter(pack_id=PACK_ID, version=3).exists()
