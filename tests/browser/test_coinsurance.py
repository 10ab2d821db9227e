"""Co-insurance in Chinese, in Debian's Chromium (axe checks every page on the way): gongbao, the
staff of the chief insurer JS-INS-01, signs in, finds the latest statements on the home page,
opens their January share statement of an 11-insurer product, reads its figures and the part of
each item, downloads its PDF and finds the same figures in it; another insurer's statement is
not there for them."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from jingban.coinsurance import services
from jingban.coinsurance.models import Statement
from tests.browser.test_roles_and_persons import sign_in
from tests.coinsurance import matrix
from tests.coinsurance.helpers import PRODUCT, FixedProvider, eleven_panel, provider
from tests.core.test_authorization_matrix import _args
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["provider"]


def test_gongbao_reads_and_downloads_their_share_statement(
    live_server, page: Page, provider: FixedProvider, personas: Personas
) -> None:
    eleven_panel()
    provider.add("premium", "premium:1", dt.date(2026, 1, 3), 123457)
    provider.add("claim", "claim:1", dt.date(2026, 1, 8), 33333)
    services.generate(PRODUCT, dt.date(2026, 1, 1), acting_user=None)
    own = Statement.objects.get(run__product=PRODUCT, insurer__code="JS-INS-01")
    other = Statement.objects.get(run__product=PRODUCT, insurer__code="JS-INS-02")

    base = live_server.url
    sign_in(page, base, "gongbao", personas.world.passwords["gongbao"])
    expect(page.get_by_role("heading", name="最新共保对账单")).to_be_visible()
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="我的共保对账单").click()
    page.get_by_label("共保产品").select_option(label="测试共保产品")
    page.get_by_label("月份").fill("2026-01")
    page.get_by_role("button", name="筛选").click()
    table = page.locator("table.data")
    expect(table).to_contain_text(own.number)
    expect(table).not_to_contain_text(other.number)
    page.get_by_role("link", name=own.number).click()

    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("共保月度分摊对账单")
    expect(main).to_contain_text("示例人寿保险股份有限公司江苏省分公司")
    # 30 % of 1,234.57 元 is 370.37 元 (370.371); of a 333.33 元 claim, 100.00 元 (99.999, the
    # largest remainder): net 270.37 元.
    expect(page.locator("[data-figure=premiums]")).to_have_text("¥370.37")
    expect(page.locator("[data-figure=claims]")).to_have_text("¥100.00")
    expect(page.locator("[data-figure=net]")).to_have_text("¥270.37")
    lines = page.locator("section", has=page.get_by_role("heading", name="逐笔明细及本公司分摊额"))
    expect(lines).to_contain_text("保费")
    expect(lines).to_contain_text("¥1,234.57")
    expect(lines).to_contain_text("30 %")

    with page.expect_download() as caught:
        page.get_by_role("button", name="下载对账单（PDF）").click()
    download = caught.value
    assert download.suggested_filename.startswith("GBJS")
    path = download.path()
    assert path is not None
    with open(path, "rb") as handle:
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(handle.read())).pages)
    assert "共保月度分摊对账单" in text and "¥370.37" in text and "¥270.37" in text
    assert own.number in text

    # Another insurer's statement is not found (404), not forbidden.
    response = page.goto(f"{base}/coinsurance/my/{other.pk}/")
    assert response is not None and response.status == 404


@pytest.mark.parametrize("role", ["admin", "gongbao"])
def test_the_coinsurance_pages_fit_a_phone_in_care_mode(
    browser, live_server, personas: Personas, role: str
) -> None:
    """Each of co-insurance's pages the role may open, at 360 … 1024 px in both modes, as the
    layout test measures every page (gongbao is not in its walk yet)."""
    from tests.browser import test_layout as layout

    context = layout.new_context(browser, live_server.url)
    try:
        page = context.new_page()
        layout.sign_in(page, role, personas.world.passwords[role])
        walk = layout.Walk([], {}, [])
        stops = [
            layout.Stop(
                name, reverse(name, args=_args(r.target(personas, True) if r.target else None))
            )
            for name, r in sorted(matrix.PAGES.items())
            if r.method == "get" and role in r.allowed
        ]
        assert stops
        measured = [stop for stop in stops if layout.measure(page, stop, role, walk)]
        assert not walk.failures, layout.report(walk)
        assert measured
    finally:
        context.close()
