"""The person's whole picture in Chinese, in Debian's Chromium (axe checks every page on the
way): chen opens 我的全景 from the navigation, reads her coverage, a settlement's figures, her
filing and her notices, switches to last year, then to her neighbour's picture as her agent;
the operator wang opens a person's picture from the person's page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jingban.core.calendar import today
from jingban.engine.money import format_yuan
from jingban.medical.models import Settlement
from jingban.notices.models import Notice
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas
from tests.picture.helpers import chen_filing, chen_notice

pytestmark = pytest.mark.django_db(transaction=True)


def test_chen_reads_her_whole_picture(live_server, page: Page, personas: Personas) -> None:
    filing = chen_filing(personas)
    chen_notice(personas)
    # The world's notices (her reimbursements' steps) and the one above, all unread.
    unread = Notice.objects.filter(user=personas.user("chen"), read_at__isnull=True).count()
    year = today().year
    latest = (
        Settlement.objects.filter(person=personas.own_person, year=year)
        .order_by("-setl_time", "-pk")
        .first()
    )
    assert latest is not None
    base = live_server.url
    sign_in(page, base, "chen", personas.world.passwords["chen"])
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的全景").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的全景")

    coverage = page.get_by_role("region", name="参保情况")
    expect(coverage).to_contain_text(f"{year}年参保险种：2个。")
    expect(coverage).to_contain_text("城乡居民基本医疗保险")
    expect(coverage).to_contain_text("正常参保")

    settlements = page.get_by_role("region", name="医疗结算")
    day = timezone.localtime(latest.setl_time).date().isoformat()
    first = settlements.get_by_role("listitem").first
    expect(first).to_contain_text(f"{day} · 苏州市示例第一人民医院")
    expect(first).to_contain_text(f"医疗费总额 {format_yuan(latest.medfee_sumamt)}")
    expect(first).to_contain_text(f"基金支付 {format_yuan(latest.fund_pay_sumamt)}")
    expect(first).to_contain_text(f"个人现金支付 {format_yuan(latest.psn_cash_pay)}")

    filings = page.get_by_role("region", name="异地就医备案")
    expect(filings).to_contain_text("异地长期居住")
    expect(filings).to_contain_text("已生效")
    expect(filings).to_contain_text(filing.number)

    notices = page.get_by_role("region", name="通知")
    expect(notices).to_contain_text(f"未读通知：{unread}条。")
    expect(notices).to_contain_text("请续缴2027年度医保费")

    # Last year: her coverage of that year, no settlement, the filing not yet made.
    page.get_by_label("年度").select_option(str(year - 1))
    page.get_by_role("button", name="显示").click()
    expect(page.get_by_role("region", name="参保情况")).to_contain_text(
        f"{year - 1}年参保险种：2个。"
    )
    expect(page.get_by_role("region", name="医疗结算")).to_contain_text(
        f"{year - 1}年暂无医疗结算。"
    )
    expect(page.get_by_role("region", name="异地就医备案")).to_contain_text(
        f"{year - 1}年暂无异地就医备案。"
    )

    # Her neighbour, as her agent: the record, no settlements, the visit said to be recorded.
    page.get_by_label("查看谁的全景").select_option(label="陆美芳")
    page.get_by_role("button", name="显示").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("陆美芳的全景")
    expect(page.locator("main")).to_contain_text("您正以代办人身份查看")
    expect(page.get_by_role("region", name="医疗结算")).to_have_count(0)


def test_wang_opens_a_picture_from_the_persons_page(
    live_server, page: Page, personas: Personas
) -> None:
    chen = personas.own_person
    base = live_server.url
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.goto(f"{base}/persons/{chen.pk}/")
    page.get_by_role("link", name="全景：参保、结算、备案等全部信息").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("陈秀英的全景")
    expect(page.get_by_role("region", name="门诊慢特病")).to_contain_text("高血压")
    expect(page.get_by_role("region", name="通知")).to_have_count(0)
