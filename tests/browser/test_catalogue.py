"""The medical catalogue and chronic diseases in the browser, in Chinese: hospital staff look up
a drug and read how its class changed between editions; the operator registers a person for
尿毒症透析 and ends the registration after confirming; 陈秀英 reads her own registrations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jingban.catalogue.models import ChronicRegistration
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_hospital_staff_look_up_a_drug_and_its_editions(
    live_server, page: Page, personas: Personas
) -> None:
    base = live_server.url
    sign_in(page, base, "kangning", personas.world.passwords["kangning"])
    page.get_by_role("link", name="医保目录").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("医保目录")
    expect(page.locator("#catalogue-version")).to_contain_text("2026年示例版")
    page.get_by_label("编码或名称").fill("头孢克肟")
    page.get_by_role("button", name="查询", exact=True).click()
    rows = page.locator("#catalogue-items tbody tr")
    expect(rows).to_have_count(2)
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("头孢克肟片")
    versions = page.locator("#item-versions tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("甲类")
    expect(versions.nth(0)).to_contain_text("今日有效")
    expect(versions.nth(1)).to_contain_text("乙类")
    expect(versions.nth(1)).to_contain_text("10%")


def test_the_operator_registers_and_ends_a_chronic_disease(
    live_server, page: Page, personas: Personas
) -> None:
    base = live_server.url
    person = personas.in_scope_person
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.get_by_role("link", name="门诊慢特病").first.click()
    page.get_by_role("link", name="办理门诊慢特病认定").click()
    page.get_by_label("参保人证件号码").fill(person.document_number)
    page.get_by_label("病种").select_option(label="尿毒症透析（M07800）")
    page.get_by_label("生效日期").fill("2026-02-01")
    page.get_by_role("button", name="办理认定").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("门诊慢特病认定")
    expect(page.locator("main")).to_contain_text("尿毒症透析")
    expect(page.locator("main")).not_to_contain_text(person.document_number)

    page.get_by_role("link", name="终止认定").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("确定终止该认定吗？")
    page.get_by_label("待遇终止日期").fill("2026-08-31")
    page.get_by_label("原因").fill("转为腹膜透析另行认定")
    page.get_by_role("button", name="确定终止").click()
    expect(page.locator("main")).to_contain_text("已终止")
    registration = ChronicRegistration.objects.get(person=person, disease__code="M07800")
    assert registration.status == "ended"
    assert registration.valid_to.isoformat() == "2026-08-31"


def test_chen_reads_her_own_registrations(live_server, page: Page, personas: Personas) -> None:
    base = live_server.url
    sign_in(page, base, "chen", personas.world.passwords["chen"])
    page.get_by_role("link", name="我的门诊慢特病").first.click()
    rows = page.locator("#own-registrations tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("高血压（合并并发症）")
    expect(rows.first).to_contain_text("已认定")
