"""Finding people in Chinese, in Debian's Chromium: the operator wang finds a person by the masked
number the list shows and by phone, narrows the list with the region picker, sorts by name and
pages on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from jingban.registry import queries as registry_queries
from jingban.registry.documents import mask_phone
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def _search(page: Page, term: str) -> None:
    page.get_by_label("姓名、证件号码或电话").fill(term)
    page.get_by_role("button", name="查询", exact=True).click()


def test_wang_finds_a_person_by_the_masked_number_and_by_phone(
    live_server, page: Page, personas: Personas
) -> None:
    wang = personas.user("wang")
    sign_in(page, live_server.url, "wang", personas.world.passwords["wang"])
    page.get_by_role("navigation").get_by_role("link", name="参保人").click()
    rows = page.locator("#person-results tbody tr")
    expect(rows.first).to_be_visible()
    # The third row's masked number, as the list shows it.
    row = rows.nth(2)
    name = row.locator("td").nth(0).locator("a").inner_text()
    masked = row.locator("td").nth(1).inner_text()
    assert "********" in masked
    _search(page, masked)
    expect(page.locator("#person-results")).to_contain_text(name)
    expect(page.locator("#person-results td.masked").first).to_have_text(masked)
    # The search is not in the address.
    assert masked not in page.url and "q=" not in page.url

    # By phone: the whole number, then the masked form the list shows.
    person = next(
        p
        for p in registry_queries.persons_for(wang).order_by("id")
        if len(p.phone) == 11 and p.name != name
    )
    _search(page, person.phone)
    expect(page.locator("#person-results tbody")).to_contain_text(person.name)
    expect(page.get_by_test_id("person-count")).to_have_text(re.compile(r"共 \d+ 人"))
    _search(page, mask_phone(person.phone))
    expect(page.locator("#person-results tbody")).to_contain_text(person.name)

    # Nothing found: the line says what was searched.
    _search(page, "查无此人")
    expect(page.get_by_test_id("no-match")).to_contain_text("没有找到符合条件的人员：「查无此人」")


def test_the_region_picker_and_sorting(live_server, page: Page, personas: Personas) -> None:
    wang = personas.user("wang")
    sign_in(page, live_server.url, "wang", personas.world.passwords["wang"])
    page.goto(live_server.url + "/persons/")
    person = registry_queries.persons_for(wang).order_by("id").first()
    assert person is not None
    district, town = person.region.path.split("/")[2:4]
    page.locator("#id_region0").select_option(district)
    # The next level appears under the district (htmx), its towns to choose from.
    expect(page.locator("#id_region1")).to_be_visible()
    page.locator("#id_region1").select_option(town)
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.locator("#person-results tbody")).to_contain_text(person.name)
    page.wait_for_load_state("networkidle")
    # Sort by name: the header says so to assistive technology.
    page.locator("#person-results th button.sort").first.click()
    expect(page.locator("#person-results th[aria-sort='ascending']")).to_contain_text("姓名")
    page.wait_for_load_state("networkidle")
    names = page.locator("#person-results tbody tr td:first-child a").all_inner_texts()
    assert names == sorted(names)
    # Again: descending, and the order the next page uses is the one shown.
    page.locator("#person-results th button.sort").first.click()

    expect(page.locator("#person-results th[aria-sort='descending']")).to_contain_text("姓名")
    assert page.locator("#person-results input[name='sort']").input_value() == "-name"
