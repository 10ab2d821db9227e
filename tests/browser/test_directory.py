"""The public department directory on a phone, in Chinese: a citizen (not signed in) searches
for 异地就医 in 大连 on a 390 px screen and finds Dalian's number as a link to call, then does
the same in 关怀 mode; the page never scrolls sideways."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _search(page: Page) -> None:
    page.get_by_label("业务类别").select_option(label="异地就医")
    page.get_by_label("地点").fill("大连")
    page.get_by_role("button", name="查询", exact=True).click()


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def test_a_citizen_finds_dalian_cross_region_number_on_a_phone(
    live_server, page: Page, personas: Personas
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("directory:public_search"))
    expect(page.get_by_role("heading", level=1)).to_have_text("部门电话")
    _search(page)
    results = page.locator("#directory-results")
    expect(results.get_by_role("heading", level=2).first).to_have_text("找到 1 个条目")
    link = results.get_by_role("link", name="0411-83709182")
    expect(link).to_have_attribute("href", "tel:041183709182")
    expect(results).to_contain_text("异地就医与审核部")
    expect(results).to_contain_text("摘自《居民医保各部门电话》")
    expect(results).not_to_contain_text("0411-83709172")
    _no_sideways_scroll(page)

    # 关怀 mode: large text, the same search, still no sideways scroll.
    page.get_by_role("button", name="大字（关怀模式）").click()
    expect(page.locator("body")).to_have_class("care")
    _search(page)
    expect(
        page.locator("#directory-results").get_by_role("link", name="0411-83709182")
    ).to_be_visible()
    _no_sideways_scroll(page)
