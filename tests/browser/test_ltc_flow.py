"""A long-term care case from the application to the decision letter, in Chinese, through the
pages only, in Debian's Chromium (axe checks every page on the way). The operator (wang)
records an application at the window, uploads its form (the other materials checked on paper
at the window), accepts it and draws two assessors; the drawn assessor enters the scores; two
assessment experts confirm the conclusion (结论已复核, 3级). wang posts the result on public
notice; anyone reads it without signing in, the name masked. When the notice period has ended
(its dates moved back in the database: no one waits five working days), wang issues the
decision; the letter downloads as a PDF whose text carries the level, the first day of benefit,
the validity and the verification code, which the public verify page accepts.

One test for the whole chain on purpose: browser tests are expensive, and the same case must
travel every step (the objection and re-assessment are in test_ltc_decision.py)."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from playwright.sync_api import Page, expect

from jingban.core.calendar import today
from jingban.ltc import services_decision
from jingban.ltc.demo_intake import PEOPLE
from jingban.ltc.models import Assessment, Case, CaseStatus, Decision, Notice
from jingban.workforce.models import Assessor, AssessorClass
from jingban.workforce.synth import resident_id
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "browser-pass-2026"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
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


def test_application_to_decision_letter(live_server, page: Page, personas: Personas) -> None:
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

    # The application form is scanned and uploaded; the other materials were shown on paper.
    expect(page.locator("#h-accept + .form-errors")).to_contain_text("缺少申请材料")
    page.get_by_label("材料类别").select_option(label="失能等级评估申请表")
    page.locator("#id_material-file").set_input_files(
        files=[{"name": "申请表.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="添加材料").click()
    expect(page.locator("#application-materials")).to_contain_text("失能等级评估申请表: 申请表.pdf")
    expect(page.locator("#h-accept + .form-errors")).to_contain_text("近期病历或诊断证明")
    expect(page.locator("#h-accept + .form-errors")).not_to_contain_text("评估申请表")
    page.get_by_label("所缺材料的纸质原件已在窗口核验").check()
    page.get_by_label("予以受理").check()
    page.get_by_label("我已核对申请材料，此操作不可撤销").check()
    page.get_by_role("button", name="保存受理决定").click()
    expect(page.get_by_role("heading", name="抽取评估人员")).to_be_visible()
    expect(page.locator("#application-materials")).to_contain_text(
        "申请人有效身份证件: 纸质原件已在窗口核验"
    )

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

    # wang posts the result on public notice from the list of results waiting for it.
    page.context.clear_cookies()
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="评估结果公示").click()
    page.get_by_role("row", name=case.number).get_by_role("link", name="公示").click()
    expect(page.get_by_role("heading", name="确认公示该评估结果？")).to_be_visible()
    page.get_by_role("button", name="公示", exact=True).click()
    expect(page.locator("#notice-status")).to_have_text("公示中")
    expect(page.locator("#case-status")).to_have_text("公示中")
    notice = Notice.objects.get(case=case)
    masked = services_decision.mask_name(name)
    assert masked != name and masked[0] == name[0]

    # Anyone, without signing in, reads the notice: the masked name, never the full one.
    page.context.clear_cookies()
    page.goto(base + "/public/ltc/notices/")
    row = page.locator("main tbody tr", has_text=masked)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("3级")
    expect(page.locator("main")).not_to_contain_text(name)
    expect(page.locator("main")).not_to_contain_text(case.person.document_number)

    # The notice period ended yesterday without objection: wang issues the decision.
    Notice.objects.filter(pk=notice.pk).update(
        posted_on=today() - dt.timedelta(days=15), ends_on=today() - dt.timedelta(days=1)
    )
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.goto(f"{base}/ltc/notices/{notice.pk}/")
    page.get_by_role("link", name="出具结论").click()
    page.locator("#id_delivery").select_option(label="当面送达")
    page.get_by_role("button", name="出具结论").click()
    main = page.locator("main")
    expect(main).to_contain_text("3级 重度失能Ⅰ级")
    decision = Decision.objects.get(case=case)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED
    # Suzhou's pack: benefit from the month after the decision, a severe level valid 24 months.
    decided = today()
    start = dt.date(decided.year + decided.month // 12, decided.month % 12 + 1, 1)
    until = dt.date(start.year + 2, start.month, 1) - dt.timedelta(days=1)
    assert (decision.start_on, decision.end_on) == (start, until)
    expect(main).to_contain_text(start.isoformat())
    expect(main).to_contain_text(until.isoformat())

    # The letter downloads as a PDF carrying the level, the dates and the verification code.
    with page.expect_download() as download_info:
        page.locator("#letter-download").click()
    pdf = download_info.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    flat = text.replace(" ", "")
    assert "长期护理保险失能评估结论书" in text
    assert "3级重度失能Ⅰ级" in flat
    assert start.isoformat() in flat and until.isoformat() in flat
    assert name in flat
    code = services_decision.letter_code(decision)
    assert code in flat

    # The code verifies on the public page, without signing in.
    page.context.clear_cookies()
    page.goto(base + "/public/verify/")
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name="核验").click()
    expect(page.locator("main")).to_contain_text("长期护理保险失能评估结论书")
