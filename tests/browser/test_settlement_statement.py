"""The settlement statement in the browser, in Chinese (axe checks every page on the way): chen
opens one of her settlements from 我的医疗结算, downloads its 结算单 and checks its code on the
public page without signing in; renmin downloads the same statement from the hospital's page."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from playwright.sync_api import Page, expect

from jingban.core.models import Organisation, User
from jingban.engine.money import fen_to_yuan_text
from jingban.medical.services import settle
from tests.browser.test_roles_and_persons import sign_in
from tests.medical.conftest import fake_ports, line, outpatient  # noqa: F401 - fixture
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

CODE = re.compile(r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){4}")


def _download(page: Page) -> str:
    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载结算单（PDF）").click()
    pdf = download_info.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)


def test_chen_downloads_her_statement_and_checks_its_code(
    live_server,
    page: Page,
    personas: Personas,
    fake_ports,  # noqa: F811
) -> None:
    renmin = User.objects.get(username="renmin")
    hospital = Organisation.objects.get(code="SZ-HOSP-1")
    chen = personas.own_person
    lines = [line("1", "A001", 6000, "2"), line("2", "C001", 1500)]
    _, request = outpatient(renmin, hospital, chen, lines, number="BR-JSD-1")
    info = settle(renmin, hospital, request, msgid="BROWSER-JSD-1")

    base = live_server.url
    sign_in(page, base, "chen", personas.world.passwords["chen"])
    page.goto(base + "/settlements/mine/")
    page.locator(f"a[href$='/settlements/mine/{_pk(info.setl_id)}/']").click()
    expect(page.locator("h1")).to_contain_text(info.setl_id)
    flat = _download(page)
    assert "医疗费用结算单" in flat and chen.name in flat and info.setl_id in flat
    assert f"医疗费总额{fen_to_yuan_text(info.medfee_sumamt)}" in flat
    assert f"个人现金支付{fen_to_yuan_text(info.psn_cash_pay)}" in flat
    code = CODE.search(flat)
    assert code is not None

    page.context.clear_cookies()
    page.goto(base + "/public/verify/")
    page.locator("input[name=code]").fill(code.group(0))
    page.get_by_role("button", name="核验").click()
    expect(page.locator("main")).to_contain_text("该文书真实有效")
    expect(page.locator("main")).to_contain_text("结算单")

    sign_in(page, base, "renmin", personas.world.passwords["renmin"])
    page.goto(base + f"/settlements/{_pk(info.setl_id)}/")
    assert info.setl_id in _download(page)


def _pk(setl_id: str) -> int:
    from jingban.medical.models import Settlement

    return Settlement.objects.get(setl_id=setl_id).pk
