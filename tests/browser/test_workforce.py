"""The workforce in Chinese, in Debian's Chromium (axe checks every page on the way): the
operator draws assessors for 陈秀英 applying through 康宁护理院 and sees the tied assessor left
out with the reason; the auditor replays the draw and is told it matches; 康宁护理院's staff
register a caregiver, with the phone's format error shown beside the field first."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from jingban.demo.world import CHEN_DOCUMENT
from jingban.workforce.models import Caregiver, Draw
from jingban.workforce.synth import staff_id
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_operator_draws_and_auditor_replays(live_server, page: Page, personas: Personas) -> None:
    base = live_server.url
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.goto(f"{base}/workforce/draws/new/")
    page.get_by_label("申请人证件号码").fill(CHEN_DOCUMENT)
    page.get_by_label("申请人所在护理机构").select_option(label="康宁护理院")
    page.get_by_role("button", name="抽取", exact=True).click()
    expect(page.locator("h1")).to_have_text("评估人员抽取")
    expect(page.locator("table.data")).to_contain_text("陆建国")
    expect(page.locator("table.data")).to_contain_text("任职于申请人所在护理机构")
    draw = Draw.objects.order_by("-pk").first()
    assert draw is not None and draw.drawn_by == personas.user("wang")

    page.context.clear_cookies()
    sign_in(page, base, "zhao", personas.world.passwords["zhao"])
    page.goto(f"{base}/workforce/draws/{draw.pk}/")
    page.get_by_role("button", name="复核抽取").click()
    expect(page.get_by_role("heading", name="复核结果与记录的抽取一致")).to_be_visible()


def test_institution_staff_register_a_caregiver(
    live_server, page: Page, personas: Personas
) -> None:
    base = live_server.url
    number = staff_id("320506", 66, base=dt.date(1988, 8, 8))
    sign_in(page, base, "kangning", personas.world.passwords["kangning"])
    page.goto(f"{base}/workforce/caregivers/new/")
    page.get_by_label("姓名").fill("冯小燕")
    page.get_by_label("证件号码").fill(number)
    page.get_by_label("签到手机号").fill("1234")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#id_phone_error")).to_be_visible()
    page.get_by_label("签到手机号").fill("139 1234 5678")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("冯小燕")
    expect(page.locator("dl.facts")).to_contain_text("139****5678")
    assert Caregiver.objects.get(document_number=number).employer.code == "SZ-CARE-KN"
