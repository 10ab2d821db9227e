"""Direct settlement in the browser, in Chinese (axe checks every page on the way): the
hospital's staff (renmin) find today's settlement from their home panel, filter the list by
medical type, open it and read its explanation of benefits; chen finds the same settlement
among her own. With the other parts' contracts faked (``fake_ports``) so the journey runs on
its own branch; after the merge ``test_settlement_integrated`` settles with the real ones."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jingban.core.models import Organisation, User
from jingban.medical.services import settle
from tests.browser.test_roles_and_persons import sign_in
from tests.medical.conftest import fake_ports, line, outpatient  # noqa: F401 - fixture
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_renmin_finds_a_settlement_and_reads_its_explanation(
    live_server,
    page: Page,
    personas: Personas,
    fake_ports,  # noqa: F811
) -> None:
    renmin = User.objects.get(username="renmin")
    hospital = Organisation.objects.get(code="SZ-HOSP-1")
    chen = personas.own_person
    lines = [line("1", "A001", 6000, "2"), line("2", "C001", 1500)]
    _, request = outpatient(renmin, hospital, chen, lines, number="BR-1")
    info = settle(renmin, hospital, request, msgid="BROWSER-1")

    base = live_server.url
    sign_in(page, base, "renmin", personas.world.passwords["renmin"])
    panel = page.locator("section[aria-labelledby=home-medical-today]")
    expect(panel.locator("h2")).to_have_text("今日结算")
    expect(panel).to_contain_text("¥135.00")
    panel.get_by_role("link", name="医疗结算").click()
    page.get_by_label("医疗类别").select_option("11")
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name=info.setl_id).click()
    expect(page.locator("h1")).to_contain_text(info.setl_id)
    explanation = page.locator("table").filter(has=page.locator("caption", has_text="待遇结算说明"))
    expect(explanation).to_contain_text("统筹基金支付")
    expect(explanation).to_contain_text("起付线")
    # The demo has settled chen's outpatient visits of this year already, so what the fund
    # pays depends on her year so far (the yearly deductible, the cap): the page shows this
    # settlement's own figures, which add up to the bill.
    assert info.fund_pay_sumamt + info.psn_cash_pay == info.medfee_sumamt == 13_500
    amounts = page.locator("table").first
    expect(amounts).to_contain_text(_yuan(info.hifp_pay))
    expect(amounts).to_contain_text(_yuan(info.psn_cash_pay))  # paid in cash
    expect(page.get_by_text("丙类")).to_be_visible()


def _yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"
