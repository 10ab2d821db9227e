"""Enrollment and contributions in Chinese, in Debian's Chromium: the operator wang finds a
person, enrolls them for this year in the first tier and records the payment taken at his
window; the insured person chen reads her payment history (缴费记录查询)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from jingban.enrollment.models import ContributionPayment
from jingban.registry.models import Enrollment
from tests.browser.test_roles_and_persons import sign_in
from tests.enrollment.helpers import new_person
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_wang_enrolls_a_person_and_records_a_window_payment(
    live_server, page: Page, personas: Personas
) -> None:
    person = new_person(personas, name="窗口新参保")
    year = dt.date.today().year
    base = live_server.url
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="参保与缴费").click()
    page.get_by_label("姓名或证件号码").fill("窗口新参保")
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name="窗口新参保").click()
    expect(page.locator("main")).to_contain_text("未参保")
    page.locator("#id_enroll-scheme").select_option(value="resident_medical")
    page.locator("#id_enroll-year").fill(str(year))
    page.locator("#id_enroll-tier").select_option(label="一档")
    page.locator("#id_enroll-effective").fill(f"{year}-01-01")
    page.locator("#id_enroll-enrolled_on").fill(f"{year - 1}-11-20")
    page.locator("#id_enroll-reason").fill("集中参保期窗口登记")
    page.get_by_role("button", name="参保登记").click()
    expect(page.locator("main")).to_contain_text("已参保登记，无待遇等待期")
    expect(page.locator("main")).to_contain_text("集中参保期窗口登记")
    enrollment = Enrollment.objects.get(person=person, year=year)
    assert (enrollment.tier, enrollment.benefits_from) == ("tier_1", None)

    page.locator("#id_pay-scheme").select_option(value="resident_medical")
    page.locator("#id_pay-year").fill(str(year))
    page.locator("#id_pay-amount").fill("420")
    page.get_by_role("button", name="登记缴费").click()
    expect(page.locator("main")).to_contain_text("缴费已登记")
    expect(page.locator("main")).to_contain_text("¥420.00")
    expect(page.locator("main")).to_contain_text("已匹配")
    payment = ContributionPayment.objects.get(person=person)
    assert (payment.amount, payment.channel) == (42_000, "window")
    assert payment.reconciliation == "matched"


def test_chen_queries_her_payment_history(live_server, page: Page, personas: Personas) -> None:
    base = live_server.url
    sign_in(page, base, "chen", personas.world.passwords["chen"])
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的缴费").click()
    main = page.locator("main")
    expect(main.get_by_role("heading", name="我的缴费")).to_be_visible()
    expect(main).to_contain_text("城乡居民基本医疗保险")
    expect(main).to_contain_text("¥400.00")
    expect(main).to_contain_text("税务部门")
    # As her neighbour's agent she reads the neighbour's history too.
    main.get_by_role("link", name="陆美芳").click()
    expect(page.locator("main")).to_contain_text("您正以代办人身份查看")
    expect(page.locator("main")).to_contain_text("缴费记录")
