"""A manual reimbursement from the application to the payment, in Chinese, through the pages
only, in Debian's Chromium (axe checks every page on the way). chen applies online for her
neighbour 陆美芳 as her agent, uploading a photo of the identity card (a real JPEG) and scans
of the invoice, the itemised bill and the discharge summary of her stay (real PDFs); sun asks
for a clearer invoice (the clock stops); chen uploads it and resubmits (the clock restarts);
sun approves after confirming, and the settled amounts and the explanation are shown; wang
records the payment after confirming; chen sees the notices and the paid state, and downloads
the decision PDF, whose verification code the public page accepts.

One test for the whole chain on purpose: browser tests are expensive, and the same application
must travel every step (tests/reimburse/test_pages.py checks the same path's figures and errors
with the test client)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdf
import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from jingban.core.calendar import working_days_between
from jingban.reimburse import services
from jingban.reimburse.models import Reimbursement, Status
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas
from tests.reimburse.helpers import ACCOUNT, PDF, class_a_code, hospital, person, today

pytestmark = pytest.mark.django_db(transaction=True)


def _files(folder: Path) -> dict[str, Path]:
    """Real small files, as a phone or a scanner makes them: a JPEG photo and PDF scans."""
    photo = folder / "身份证.jpg"
    Image.new("RGB", (64, 40), (200, 210, 230)).save(photo, "JPEG")
    files = {"id_card": photo}
    for key, name in (
        ("invoices", "票据.pdf"),
        ("itemised_bill", "明细.pdf"),
        ("discharge_summary", "出院小结.pdf"),
        ("invoices_again", "票据（清晰）.pdf"),
    ):
        path = folder / name
        path.write_bytes(PDF)
        files[key] = path
    return files


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def test_chen_applies_for_her_neighbour_and_is_paid(
    live_server, page: Page, personas: Personas, tmp_path: Path
) -> None:
    base = live_server.url
    files = _files(tmp_path)
    neighbour = person("陆美芳")
    admitted, discharged = today() - dt.timedelta(days=6), today() - dt.timedelta(days=2)
    number = "30000077"

    # chen applies online for her neighbour, as her agent.
    sign_in(page, base, "chen", personas.world.passwords["chen"])
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="我的手工报销").click()
    page.get_by_role("link", name="申请手工报销").click()
    expect(page.get_by_role("heading", name="申请手工报销")).to_be_visible()
    page.get_by_label("参保人").select_option(label="陆美芳")
    page.get_by_label("医院", exact=True).select_option(label=hospital().name)
    page.get_by_label("就诊类型").select_option("inpatient")
    page.get_by_label("入院或就诊日期").fill(admitted.isoformat())
    page.locator("#r-discharged").fill(discharged.isoformat())
    page.get_by_label("票据代码").fill("032001900104")
    page.get_by_label("票据号码").fill(number)
    page.get_by_label("票据金额（元）").fill("3000.00")
    page.get_by_label("开票日期").fill(discharged.isoformat())
    page.get_by_label("第1行：医保目录编码").fill(class_a_code())
    page.locator("#l1-name").fill("阿莫西林胶囊")
    page.locator("#l1-quantity").fill("3")
    page.locator("#l1-price").fill("1000.00")
    page.locator("#l1-amount").fill("3000.00")
    page.get_by_label("银行", exact=True).fill("中国银行")
    page.get_by_label("账户名").fill("陆美芳")
    page.get_by_label("银行账号").fill(ACCOUNT)
    page.locator("#m-id_card").set_input_files(files["id_card"])
    page.locator("#m-invoices").set_input_files(files["invoices"])
    page.locator("#m-itemised_bill").set_input_files(files["itemised_bill"])
    page.locator("#m-discharge_summary").set_input_files(files["discharge_summary"])
    page.get_by_role("button", name="提交申请").click()

    item = Reimbursement.objects.get(person=neighbour, invoices__number=number)
    page.wait_for_url(f"**{reverse('reimburse:my_detail', args=[item.pk])}")
    main = page.locator("main")
    expect(main).to_contain_text(item.number)
    expect(main).to_contain_text("6222 **** **** 5678")
    expect(main).not_to_contain_text(ACCOUNT)
    assert item.channel == "agent" and item.total == 300000
    assert item.status == Status.SUBMITTED and item.deadline is not None
    # The photo went in as the JPEG it is.
    expect(main).to_contain_text("身份证.jpg")

    # sun finds it in the review queue with its deadline, and asks for a clearer invoice.
    page.context.clear_cookies()
    sign_in(page, base, "sun", personas.world.passwords["sun"])
    page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="手工报销", exact=True
    ).click()
    expect(page.locator("table.data thead")).to_contain_text("剩余工作日")
    row = page.get_by_role("row", name=item.number)
    expect(row).to_contain_text(item.deadline.isoformat())
    left = working_days_between(today(), item.deadline)
    expect(row.get_by_role("cell").last).to_have_text(str(left))
    row.get_by_role("link", name=item.number).click()
    expect(main).to_contain_text("6222 **** **** 5678")
    page.get_by_label("医疗费用原始票据").check()
    page.locator("#more-reason").fill("票据不清晰")
    page.get_by_role("button", name="通知补充材料").click()
    item.refresh_from_db()
    assert item.status == Status.MORE_MATERIALS and item.deadline is None
    expect(main).to_contain_text("待补充材料")

    # chen reads the request, uploads the clearer invoice and resubmits.
    page.context.clear_cookies()
    sign_in(page, base, "chen", personas.world.passwords["chen"])
    page.goto(base + reverse("reimburse:my_detail", args=[item.pk]))
    expect(main).to_contain_text("待补充材料")
    expect(main).to_contain_text("票据不清晰")
    page.get_by_label("医疗费用原始票据").set_input_files(files["invoices_again"])
    page.get_by_role("button", name="提交并重新申请审核").click()
    expect(main).to_contain_text("票据（清晰）.pdf")
    item.refresh_from_db()
    assert item.status == Status.RESUBMITTED and item.deadline is not None

    # sun approves: without the confirmation the browser does not send the form.
    page.context.clear_cookies()
    sign_in(page, base, "sun", personas.world.passwords["sun"])
    page.goto(base + reverse("reimburse:detail", args=[item.pk]))
    page.get_by_role("button", name="审核通过并结算").click()
    item.refresh_from_db()
    assert item.status == Status.RESUBMITTED
    page.get_by_label("确认审核通过并结算？此操作不可撤销。").check()
    page.get_by_role("button", name="审核通过并结算").click()
    expect(page.get_by_role("heading", name="结算说明")).to_be_visible()
    item.refresh_from_db()
    assert item.status == Status.APPROVED and item.settlement is not None
    assert 0 < item.payable <= item.total
    expect(main).to_contain_text(_yuan(item.payable))
    expect(main).to_contain_text(item.settlement.setl_id)
    expect(page.locator("table.data").last).to_contain_text(_yuan(item.settlement.hifp_pay))

    # wang records the payment to the masked account, after confirming.
    page.context.clear_cookies()
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.goto(base + reverse("reimburse:detail", args=[item.pk]))
    expect(main).to_contain_text("6222 **** **** 5678")
    page.get_by_label("拨付凭证号").fill("BANK-77")
    page.get_by_role("button", name="登记拨付").click()
    item.refresh_from_db()
    assert item.status == Status.APPROVED
    page.get_by_label("确认登记拨付？此操作不可撤销。").check()
    page.get_by_role("button", name="登记拨付").click()
    expect(main).to_contain_text("已拨付")
    item.refresh_from_db()
    assert item.status == Status.PAID and item.paid_on == today()

    # chen sees the notices of each step, the paid state, and downloads the decision.
    page.context.clear_cookies()
    sign_in(page, base, "chen", personas.world.passwords["chen"])
    page.goto(base + reverse("notices:inbox"))
    expect(main).to_contain_text(item.number)
    nav.get_by_role("link", name="我的手工报销").click()
    row = page.get_by_role("row", name=item.number)
    expect(row).to_contain_text("已拨付")
    expect(row).to_contain_text(_yuan(item.payable))
    row.get_by_role("link", name=item.number).click()
    expect(main).to_contain_text("已拨付")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载决定书（PDF）").click()
    pdf = download_info.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    flat = text.replace(" ", "")
    assert item.document is not None
    code = services.decision_code(item)
    assert "报销决定书" in flat and "陆美芳" in flat and code in flat
    assert _yuan(item.payable) in flat

    # The code verifies on the public page, without signing in.
    page.context.clear_cookies()
    page.goto(base + "/public/verify/")
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name="核验").click()
    expect(main).to_contain_text("报销决定书")
