"""The public pages in Chinese, in Debian's Chromium (axe checks every page on the way): an
anonymous visitor on a 360 px phone opens the public index, switches to 关怀 mode, opens the
policy page and reads the level-3 inpatient ratio of the pack in force, with the deductible
beside it marked as sample data."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 780}


def test_a_visitor_on_a_phone_reads_the_inpatient_ratio_in_care_mode(
    live_server, page: Page, personas: Personas
) -> None:
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(base + "/public/")
    expect(page.get_by_role("heading", level=1)).to_have_text("公共服务")
    # No sign-in anywhere, and the brand leads back here rather than to the sign-in page.
    expect(page.locator("a.brand")).to_have_attribute("href", "/public/")

    page.get_by_role("button", name="大字（关怀模式）").click()
    expect(page.locator("body")).to_have_class("care")
    expect(page.get_by_role("button", name="大字（关怀模式）")).to_have_attribute(
        "aria-pressed", "true"
    )

    page.get_by_role("navigation", name="公共服务").get_by_role("link", name="政策解读").click()
    page.wait_for_url("**/public/policy/")
    expect(page.locator("body")).to_have_class("care")  # the choice stays across pages
    expect(page.get_by_label("地区")).to_have_value("320500")
    expect(page.get_by_label("险种")).to_have_value("resident_medical")

    # The visitor asks for a day of 2025 (the sample pack's year) with the form.
    page.get_by_label("日期").fill("2025-06-30")
    page.get_by_role("button", name="查看政策").click()
    page.wait_for_url("**/public/policy/?*day=2025-06-30*")

    ratio = page.locator("[data-path='benefits.inpatient.ratio_by_level.3']")
    expect(ratio).to_have_text("65%")
    row = page.locator("#benefit-inpatient tbody tr").nth(2)
    expect(row.locator("th")).to_have_text("三级医院")
    deductible = page.locator("[data-path='benefits.inpatient.deductible.by_level.3']")
    expect(deductible).to_contain_text("¥800")
    expect(deductible.locator(".badge-sample")).to_have_text("示例数据")
    expect(page.locator(".pack-facts").first).to_contain_text("结算引擎正是按这些数字结算的")

    # Nothing scrolls sideways on the phone, in care mode and back in normal mode.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    page.get_by_role("button", name="大字（关怀模式）").click()
    expect(page.locator("body")).not_to_have_class("care")
    expect(page.locator("[data-path='benefits.inpatient.ratio_by_level.3']")).to_have_text("65%")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
