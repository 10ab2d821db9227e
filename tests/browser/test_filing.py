"""Cross-region filing in Chinese, in Debian's Chromium (axe checks every page on the way): chen
files 异地长期居住 online with a personal commitment and sees it in effect; a Nanjing hospital then
settles her stay there directly, by the filed rule, and chen reads that in her settlement; the
operator wang finds the demo's referral of 沈志明 in the approval queue and approves it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jingban.core.models import Organisation, Region
from jingban.core.roles import Role
from jingban.core.services.accounts import create_account
from jingban.filing.models import Filing, Status
from jingban.medical.models import Settlement
from jingban.medical.services import (
    DischargeIn,
    FeeLineIn,
    SettleIn,
    VisitIn,
    discharge,
    psn_no_of,
    record_fee_lines,
    register_visit,
    settle,
)
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_chen_files_online_with_a_commitment(live_server, page: Page, personas: Personas) -> None:
    base = live_server.url
    sign_in(page, base, "chen", personas.world.passwords["chen"])
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="我的异地就医备案").click()
    page.get_by_role("link", name="办理异地就医备案").click()
    page.get_by_label("为谁备案").select_option(label="陈秀英")
    page.get_by_label("备案类型").select_option(label="异地长期居住")
    page.get_by_label("就医地").select_option(label="南京市")
    page.get_by_label("本人承诺在当地居住或工作属实", exact=False).check()
    page.get_by_role("button", name="提交备案").click()
    expect(page.locator("[data-testid=filing-status]")).to_have_text("已生效")
    expect(page.locator("main")).to_contain_text("南京市")
    expect(page.locator("main")).to_contain_text("长期有效")
    filing = Filing.objects.get(person__account__username="chen", kind="long_term_residence")
    assert filing.status == Status.IN_EFFECT and filing.commitment
    nav.get_by_role("link", name="我的异地就医备案").click()
    expect(page.locator("table.data")).to_contain_text(filing.number)

    # Admitted in Nanjing three days ago, before she filed; discharged and settled today.
    setl_id = _settle_in_nanjing(filing.person, personas)
    row = Settlement.objects.get(setl_id=setl_id)
    assert (row.cross_region, row.cross_region_decision["filing_id"]) == (
        "filed_long_term",
        filing.pk,
    )
    # A level-2 stay at the full 75 % of the filed long-term rule (unfiled would be 60 % of it).
    assert row.medfee_sumamt == 2_000_000 and row.act_pay_dedc > 0
    assert row.hifp_pay * 100 == (row.medfee_sumamt - row.act_pay_dedc) * 75
    nav.get_by_role("link", name="我的医疗结算").click()
    page.get_by_role("row", name="南京市示例医院").get_by_role("link").click()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(f"已备案：异地长期居住，{filing.number}")
    yuan = f"¥{row.hifp_pay // 100:,}.{row.hifp_pay % 100:02d}"
    expect(page.locator("main")).to_contain_text(yuan)


def _settle_in_nanjing(person, personas: Personas) -> str:
    """The Nanjing hospital's system settles the person's stay through the settlement service."""
    hospital = Organisation.objects.get(code="NJ-HOSP-1")
    staff = create_account(
        username="njstaff",
        password="nj-staff-pass-1",
        role=Role.INSTITUTION_STAFF,
        region=Region.objects.get(code="320102"),
        organisation=hospital,
        acting_user=personas.user("admin"),
    )
    psn = psn_no_of(person)
    today = timezone.localdate()
    admitted = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=3), dt.time(9)))
    visit = register_visit(staff, hospital, VisitIn(psn, "390", "21", admitted, "NJ-ZY-1"))
    line = FeeLineIn(
        "1",
        "XJ01CAA381A0010100000",
        "H1",
        "阿莫西林胶囊",
        Decimal(400),
        5_000,
        2_000_000,
        admitted,
    )
    record_fee_lines(staff, hospital, mdtrt_id=visit.mdtrt_id, psn_no=psn, lines=[line])
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(10)))
    discharge(staff, hospital, DischargeIn(visit.mdtrt_id, psn, now))
    info = settle(staff, hospital, SettleIn(psn, visit.mdtrt_id, 2_000_000), msgid="NJ-FILED-1")
    return info.setl_id


def test_wang_approves_a_referral(live_server, page: Page, personas: Personas) -> None:
    referral = Filing.objects.get(person__name="沈志明", kind="referral")
    assert referral.status == Status.PENDING
    base = live_server.url
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    panel = page.locator("section", has=page.get_by_role("heading", name="待审核的异地就医备案"))
    expect(panel).to_contain_text(referral.number)
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="异地就医备案", exact=True).click()
    page.locator("#f-status").select_option(label="待审核")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=referral.number).click()
    expect(page.locator("[data-testid=filing-status]")).to_have_text("待审核")
    expect(page.locator("main")).to_contain_text("转诊转院证明 1")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("[data-testid=filing-status]")).to_have_text("已生效")
    referral.refresh_from_db()
    assert referral.status == Status.IN_EFFECT and referral.decided_by == personas.user("wang")
