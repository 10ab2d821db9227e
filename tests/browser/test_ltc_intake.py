"""Long-term care intake in Chinese, in Debian's Chromium (axe checks every page on the way): the
operator (wang) records an application at the window, accepts it and draws two assessors; the
drawn assessor enters the scores on the scoring form; two assessment experts confirm the
conclusion; the case shows 结论已复核 with its level."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from jingban.ltc.demo_intake import PEOPLE
from jingban.ltc.models import Assessment, Case
from jingban.workforce.models import Assessor, AssessorClass
from jingban.workforce.synth import resident_id
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "browser-pass-2026"
SELF_ITEMS = ("进食", "大小便", "洗澡", "穿衣", "用厕", "床椅转移")
SCORES = {
    "adl_feeding": 5,
    "adl_dressing": 0,
    "adl_grooming": 0,
    "adl_bowel": 5,
    "adl_bladder": 5,
    "adl_toilet": 0,
    "adl_walking": 0,
    "adl_transfer": 5,
    "adl_stairs": 0,
    "adl_bathing": 0,
    "cog_time": 4,
    "cog_person": 4,
    "cog_place": 4,
    "cog_memory": 4,
    "per_vision": 4,
    "per_hearing": 4,
    "per_communication": 4,
}


def _account_for(assessor: Assessor, personas: Personas, username: str) -> str:
    """The drawn assessor's (or expert's) user name, with a password this test knows."""
    from jingban.core.models import Region, User
    from jingban.core.roles import Role
    from jingban.core.services.accounts import create_account

    if assessor.account is None:
        assessor.account = create_account(
            username=username,
            password=PASSWORD,
            role=Role.ASSESSOR,
            region=Region.objects.get(code="320500"),
            organisation=assessor.organisation,
            acting_user=None,
        )
        assessor.save(update_fields=["account"])
    user = User.objects.get(pk=assessor.account.pk)
    if user.username in personas.world.passwords:
        return user.username
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user.username


def _password(personas: Personas, username: str) -> str:
    return personas.world.passwords.get(username, PASSWORD)


def test_application_to_confirmed_conclusion(live_server, page: Page, personas: Personas) -> None:
    base = live_server.url
    name, _sex, born, county, seq, _what = PEOPLE[0]
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.goto(f"{base}/ltc/new/")
    page.get_by_label("申请人身份证号码").fill(resident_id(county, born, seq))
    page.get_by_label("受理渠道").select_option(label="服务窗口")
    page.get_by_label("失能起始日期").fill("2025-01-10")
    for item in SELF_ITEMS:
        page.get_by_role("group", name=item).get_by_label("依赖", exact=True).check()
    page.get_by_role("button", name="录入申请").click()
    expect(page.locator("h1")).to_contain_text("长期护理案件")
    case = Case.objects.order_by("-pk").first()
    assert case is not None and case.person.name == name

    page.get_by_label("予以受理").check()
    page.get_by_label("我已核对申请材料，此操作不可撤销").check()
    page.get_by_role("button", name="保存受理决定").click()
    expect(page.get_by_role("heading", name="抽取评估人员")).to_be_visible()

    page.locator("#id_dispatch-confirm").check()
    page.get_by_role("button", name="抽取并派遣").click()
    expect(page.get_by_test_id("case-status")).to_have_text("已派单")
    assessment = Assessment.objects.get(case=case)
    drawn = list(assessment.assessors.order_by("klass", "pk"))
    assert len(drawn) == 2

    scorer = next(a for a in drawn if a.klass == AssessorClass.ASSESSOR)
    username = _account_for(scorer, personas, "ltc-browser-assessor")
    page.context.clear_cookies()
    sign_in(page, base, username, _password(personas, username))
    page.goto(f"{base}/ltc/assessment/{assessment.pk}/score/")
    for code, points in SCORES.items():
        page.locator(f"#id_item_{code}").select_option(str(points))
    page.get_by_role("button", name="提交复核").click()
    expect(page.get_by_test_id("case-status")).to_have_text("已现场评估")

    experts = list(Assessor.objects.filter(klass=AssessorClass.EXPERT).order_by("pk")[:2])
    for i, expert in enumerate(experts):
        username = _account_for(expert, personas, f"ltc-browser-expert-{i}")
        page.context.clear_cookies()
        sign_in(page, base, username, _password(personas, username))
        page.goto(f"{base}/ltc/assessment/{assessment.pk}/review/")
        page.get_by_label("同意评估结论").check()
        page.get_by_label("我确认，此操作不可撤销").check()
        page.get_by_role("button", name="提交复核意见").click()
    expect(page.get_by_test_id("case-status")).to_have_text("结论已复核")
    expect(page.get_by_test_id("level")).to_have_text("3级")
    assert dt.date.today() >= case.received_on
