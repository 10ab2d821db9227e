"""Long-term care's public notice and objection in Chinese, in Debian's Chromium: a neighbour
reads the public notice without signing in (the name masked as 张*明, no document number) and
objects (the ALTCHA widget solves its proof of work); the operator wang sees the objection and
draws the re-assessment, whose assessors are none of the first round's. (The notice that ends
without objection, the decision and its letter are in test_ltc_flow.py, on the case that test
carries from the application.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jingban.core.calendar import today
from jingban.core.services.calendar import seed_from_chinese_calendar
from jingban.ltc import services_decision as services
from jingban.ltc.models import CaseStatus
from jingban.registry.models import Person
from tests.browser.test_roles_and_persons import sign_in
from tests.ltc.test_decision import concluded_case
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def _person(personas: Personas, name: str, index: int) -> Person:
    suzhou = [p for p in personas.world.persons if "320500/" in p.region.path and not p.account_id]
    person = suzhou[index]
    Person.objects.filter(pk=person.pk).update(name=name)
    person.refresh_from_db()
    return person


def test_public_objection_then_reassessment(
    live_server, page: Page, personas: Personas, settings
) -> None:
    settings.DESK_CAPTCHA_COST = 1
    seed_from_chinese_calendar([2026], acting_user=None)
    base = live_server.url
    wang = personas.user("wang")
    person = _person(personas, "张三明", 0)
    case = concluded_case(personas, person=person)
    services.post_notice(case, by=wang, day=today())
    first_round = set(services.previous_assessor_ids(case))

    # Anyone, without signing in: the notice shows the masked name, never the document number.
    page.goto(base + "/public/ltc/notices/")
    main = page.locator("main")
    expect(main).to_contain_text("张*明")
    expect(main).not_to_contain_text("张三明")
    expect(main).not_to_contain_text(person.document_number)
    expect(main).to_contain_text("3级 重度失能Ⅰ级")
    page.get_by_role("link", name="提出异议 张*明").click()
    page.locator("#id_objector").select_option(label="其他人")
    page.locator("#id_reason").fill("老人平时能自己下楼买菜，评估时状态与平时不符。")
    page.get_by_text("我不是机器人").click()
    expect(page.locator("altcha-widget")).to_contain_text("已验证")
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("heading", name="异议已收到")).to_be_visible()

    # wang sees the objection on the notice and draws the re-assessment.
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="评估结果公示").click()
    page.get_by_role("link", name=case.number).click()
    expect(page.locator("#notice-status")).to_contain_text("已收到异议")
    expect(page.locator(".objection-reason")).to_contain_text("老人平时能自己下楼买菜")
    page.get_by_role("link", name="抽取复评人员").click()
    page.get_by_role("button", name="抽取复评人员").click()
    expect(page.locator("#case-status")).to_contain_text("已派单")
    drawn = page.locator("#reassessors li")
    expect(drawn).to_have_count(3)
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED
    second = case.assessments.get(round=2)
    assert not set(second.assessors.values_list("pk", flat=True)) & first_round
