"""The citizens' desk in Chinese, in Debian's Chromium: a citizen files a complaint on the public
page (the ALTCHA widget solves its proof of work in the browser) and tracks it; the operator wang
finds it on his desk list, routes it to the organisation it belongs to with a reason, takes it
and answers it; the supervisor qian sees the escalated case of the demo on her home page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jingban.core.services.calendar import seed_from_chinese_calendar
from jingban.desk.models import Case, RoutingRule
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_files_and_tracks_a_complaint_and_wang_answers_it(
    live_server, page: Page, personas: Personas, settings
) -> None:
    settings.DESK_CAPTCHA_COST = 1
    seed_from_chinese_calendar([2026], acting_user=None)
    base = live_server.url
    page.goto(base + "/public/complaints/new/")
    page.locator("#id_kind").select_option(label="投诉")
    # The citizen files a complaint about the bureau's window under long-term care: the rules
    # send it to the insurer administering long-term care, and wang routes it back.
    page.locator("#id_category").select_option(label="长期护理")
    page.locator("#id_region").select_option(label="虎丘区")
    page.locator("#id_text").fill("医保窗口下午提前停止叫号。")
    page.locator("#id_name").fill("周敏")
    page.locator("#id_document").fill("320505199105052468")
    page.locator("#id_phone").fill("13955556666")
    page.get_by_text("我不是机器人").click()
    expect(page.locator("altcha-widget")).to_contain_text("已验证")
    page.get_by_role("button", name="提交").click()
    number = page.locator("#tracking-number").inner_text().strip()
    case = Case.objects.get(number=number)
    assert case.filer_name == "周敏" and case.organisation is not None
    assert case.organisation.code == "SZ-INS-LTC"

    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="投诉举报").click()
    page.locator("#f-state").select_option(label="已转办")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=number).click()
    expect(page.locator("#case-state")).to_contain_text("已转办")
    expect(page.locator("main")).to_contain_text("示例健康保险股份有限公司苏州分公司")
    expect(page.locator("main")).not_to_contain_text("320505199105052468")
    page.locator("#id_organisation").select_option(label="苏州市医疗保障局")
    page.locator("#id_reason").fill("投诉医保窗口叫号，不属长护经办事项，由医保局办理。")
    page.get_by_role("button", name="转办", exact=True).click()
    expect(page.locator("main")).to_contain_text("苏州市医疗保障局")
    case.refresh_from_db()
    assert case.organisation is not None and case.organisation.code == "SZ-YBJ"
    page.get_by_role("button", name="由我承办").click()
    expect(page.locator("#case-state")).to_contain_text("办理中")
    page.locator("#id_answer-text").fill("已要求窗口按时叫号，感谢监督。")
    page.get_by_role("button", name="发送答复").click()
    expect(page.locator("#case-state")).to_contain_text("已答复")

    page.context.clear_cookies()
    page.goto(base + "/public/track/")
    page.locator("#id_number").fill(number)
    page.locator("#id_proof").fill("2468")
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.locator("#track-state")).to_have_text("已答复")
    expect(page.locator("#track-answer")).to_have_text("已要求窗口按时叫号，感谢监督。")


def test_qian_sees_the_escalated_case(live_server, page: Page, personas: Personas) -> None:
    sign_in(page, live_server.url, "qian", personas.world.passwords["qian"])
    panel = page.locator("section", has=page.get_by_role("heading", name="督办的投诉举报"))
    # The demo's overdue complaint about a designated hospital, escalated.
    expect(panel).to_contain_text("投诉 · 定点机构")
    panel.get_by_role("link", name="全部督办件").click()
    rows = page.locator("table.data tbody tr")
    expect(rows.filter(has_text="定点机构")).to_have_count(1)
    expect(rows.first).to_contain_text("已督办")


def test_wang_adds_and_deletes_a_routing_rule(live_server, page: Page, personas: Personas) -> None:
    base = live_server.url
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="投诉举报").click()
    page.get_by_role("link", name="转办规则").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("转办规则")
    page.get_by_role("link", name="新增转办规则").click()
    page.locator("#id_category").select_option(label="长期护理")
    page.locator("#id_region").select_option(label="虎丘区")
    # Nanjing's bureau does not work in Suzhou: not even offered.
    expect(page.locator("#id_organisation option", has_text="南京市医疗保障局")).to_have_count(0)
    page.locator("#id_organisation").select_option(label="苏州市医疗保障局")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").first).to_contain_text("转办规则已新增")
    row = page.locator("table.data tbody tr", has_text="虎丘区")
    expect(row).to_contain_text("长期护理")
    expect(row).to_contain_text("苏州市医疗保障局")
    # The same rule a second time is refused on the field, and nothing is stored.
    page.get_by_role("link", name="新增转办规则").click()
    page.locator("#id_category").select_option(label="长期护理")
    page.locator("#id_region").select_option(label="虎丘区")
    page.locator("#id_organisation").select_option(label="苏州市医疗保障局")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("这一类别和地区已有转办规则。")
    assert RoutingRule.objects.filter(region__code="320505").count() == 1
    page.get_by_role("link", name="取消").click()
    row.get_by_role("link", name="删除").click()
    expect(page.get_by_role("heading", name="确定删除这条转办规则吗？")).to_be_visible()
    page.get_by_role("button", name="删除规则").click()
    expect(page.get_by_role("status").first).to_contain_text("转办规则已删除")
    assert not RoutingRule.objects.filter(region__code="320505").exists()
