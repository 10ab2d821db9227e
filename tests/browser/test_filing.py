"""Cross-region filing in Chinese, in Debian's Chromium (axe checks every page on the way): chen
files 异地长期居住 online with a personal commitment and sees it in effect; the operator wang finds
the demo's referral of 沈志明 in the approval queue and approves it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jingban.filing.models import Filing, Status
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_chen_files_online_with_a_commitment(live_server, page: Page, personas: Personas) -> None:
    base = live_server.url
    sign_in(page, base, "chen", personas.world.passwords["chen"])
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="我的异地就医备案").click()
    page.get_by_role("link", name="办理异地就医备案").click()
    page.get_by_label("为谁备案").select_option(label="陈秀英")
    page.get_by_label("备案类型").select_option(label="异地长期居住")
    page.get_by_label("就医地").select_option(label="南京市")
    page.get_by_label("本人承诺在当地居住或工作属实", exact=False).check()
    page.get_by_role("button", name="提交备案").click()
    expect(page.locator("[data-testid=filing-status]")).to_have_text("已生效")
    expect(page.locator("main")).to_contain_text("南京市")
    expect(page.locator("main")).to_contain_text("长期有效")
    filing = Filing.objects.get(person__account__username="chen", kind="long_term_residence")
    assert filing.status == Status.IN_EFFECT and filing.commitment
    nav.get_by_role("link", name="我的异地就医备案").click()
    expect(page.locator("table.data")).to_contain_text(filing.number)


def test_wang_approves_a_referral(live_server, page: Page, personas: Personas) -> None:
    referral = Filing.objects.get(person__name="沈志明", kind="referral")
    assert referral.status == Status.PENDING
    base = live_server.url
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    panel = page.locator("section", has=page.get_by_role("heading", name="待审核的异地就医备案"))
    expect(panel).to_contain_text(referral.number)
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="异地就医备案", exact=True).click()
    page.locator("#f-status").select_option(label="待审核")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=referral.number).click()
    expect(page.locator("[data-testid=filing-status]")).to_have_text("待审核")
    expect(page.locator("main")).to_contain_text("转诊转院证明 1")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("[data-testid=filing-status]")).to_have_text("已生效")
    referral.refresh_from_db()
    assert referral.status == Status.IN_EFFECT and referral.decided_by == personas.user("wang")
