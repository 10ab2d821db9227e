"""Main journeys in Chinese, in Debian's Chromium: every demo account signs in and sees its
role's home page with its scoped list and count; an operator registers, corrects and reveals."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from jingban.core import queries as core_queries
from jingban.core.actionlog.personal import decrypted
from jingban.core.calendar import today as local_today
from jingban.core.models import ActionLog, User
from jingban.core.roles import Cap
from jingban.demo.world import ACCOUNTS, resident_id
from jingban.ltc import queries_care as ltc_care_queries
from jingban.medical import queries as medical_queries
from jingban.providers import queries as providers_queries
from jingban.registry import display
from jingban.registry import queries as registry_queries
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

# What each role's home page heading says, in Chinese.
HOME_HEADINGS = {
    "person": "参保人",
    "windows": "服务窗口",
    "enrollment": "参保",
}


def expected_home_count(user: User) -> int:
    if user.can(Cap.PERSON_VIEW):
        return registry_queries.persons_for(user).count()
    if user.can(Cap.OWN_RECORD_VIEW):
        person = registry_queries.own_person(user)
        assert person is not None
        return registry_queries.enrollments_for(user, person).count()
    if user.organisation is not None and user.organisation.kind == "hospital":
        return medical_queries.day_totals(medical_queries.today_for(user)).count  # today's
    if user.can(providers_queries.OWN):
        return providers_queries.open_orders(user).count()  # institution staff: open orders
    if user.can("ltc.visit.record"):  # a caregiver: today's visits to make
        return ltc_care_queries.today_plans(user, local_today()).count()
    if user.can("coinsurance.own.view"):  # co-insurer staff: their current statements
        from jingban.coinsurance.queries import statements_for

        return statements_for(user).filter(run__current=True).count()
    return core_queries.windows_for(user).count()


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(base + "/")


def test_every_demo_account_sees_its_home(live_server, page: Page, personas: Personas) -> None:
    counts = set()
    for username, *_rest in ACCOUNTS:
        user = personas.user(username)
        sign_in(page, live_server.url, username, personas.world.passwords[username])
        expect(page.locator("html")).to_have_attribute("lang", re.compile("^zh"))
        expect(page.locator("h1")).to_contain_text(f"{user.display_name}，您好")
        expected = expected_home_count(user)
        counts.add(expected)
        expect(page.get_by_test_id("home-count").first, username).to_have_text(str(expected))
        assert expected > 0, username
        # The list under the count is real: at least one row, none from outside the scope.
        rows = page.locator("section.card").first.locator("tbody tr, ul li a")
        assert rows.count() >= 1
        if user.can(Cap.PERSON_VIEW) and user.region_id is not None:
            outside = personas.out_of_scope_person
            assert page.locator(f"a[href='/persons/{outside.pk}/']").count() == 0
        page.get_by_role("button", name=re.compile("退出")).click()
        page.wait_for_url(re.compile(r"/login/"))
    # Scopes differ: the roles do not all see the same number.
    assert len(counts) >= 3


def test_operator_registers_corrects_and_reveals(
    live_server, page: Page, personas: Personas
) -> None:
    sign_in(page, live_server.url, "wang", personas.world.passwords["wang"])
    page.get_by_role("navigation").get_by_role("link", name="参保人").click()
    page.locator("a[href='/persons/new/']").click()
    number = resident_id("320506", dt.date(1948, 7, 9), 41, male=True)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    page.get_by_label("证件号码").fill(wrong)
    page.locator("#id_name").fill("周建国")
    page.locator("#id_phone").fill("13800001111")
    page.get_by_label("地区").select_option("320506100")
    page.get_by_role("button", name="保存").click()
    # The error stands beside the document number, in Chinese; nothing was stored.
    error = page.locator("#id_document_number_error")
    expect(error).to_contain_text(re.compile("校验"))
    assert not registry_queries.search_persons(personas.user("wang"), "周建国").exists()
    # The bad checksum is the only error: sex and birth date were rightly left empty.
    expect(page.locator("#id_sex_error")).to_have_count(0)
    expect(page.locator("#id_birth_date_error")).to_have_count(0)
    # "按证件号码识别" is offered only while the document type carries sex and birth date.
    from_document = page.locator("#id_sex option[value='']")
    expect(from_document).to_have_text("按证件号码识别")
    page.locator("#id_document_type").select_option("passport")
    expect(from_document).to_have_text("— 请选择 —")
    expect(page.locator("#id_sex_helptext")).to_be_hidden()
    page.locator("#id_document_type").select_option("resident_id")
    expect(from_document).to_have_text("按证件号码识别")
    expect(page.locator("#id_sex_helptext")).to_be_visible()

    page.get_by_label("证件号码").fill(number)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("周建国")
    masked = number[:6] + "********" + number[-4:]
    expect(page.locator("#document-number")).to_have_text(masked)
    # Sex and birth date came from the number; the page shows the age, never the birth date
    # beside the masked number.
    age = display.age_on(dt.date(1948, 7, 9), local_today())
    expect(page.locator("dl")).to_contain_text(f"{age} 岁")
    expect(page.locator("dl")).not_to_contain_text("1948-07-09")
    expect(page.locator("dl")).to_contain_text("男")

    reveals = ActionLog.objects.filter(action="registry.person.document_revealed").count()
    # Without a purpose the reveal is refused, and the number stays masked.
    page.get_by_role("button", name=re.compile("完整")).click()
    expect(page.locator("#document-reveal")).to_contain_text("请选择查看完整号码的原因")
    expect(page.locator("#document-number")).to_have_text(masked)
    page.get_by_label("查看原因").select_option("identity_check")
    page.get_by_role("button", name=re.compile("完整")).click()
    expect(page.locator("#document-number")).to_have_text(number)
    expect(page.locator("#document-reveal")).to_contain_text("1948-07-09")
    # The page does not offer the reveal again.
    expect(page.get_by_role("button", name=re.compile("完整"))).to_have_count(0)
    assert (
        ActionLog.objects.filter(action="registry.person.document_revealed").count() == reveals + 1
    )
    entry = ActionLog.objects.filter(action="registry.person.document_revealed").first()
    assert entry is not None and decrypted(entry).after == {"purpose": "identity_check"}


def test_care_mode_and_english(live_server, page: Page, personas: Personas) -> None:
    sign_in(page, live_server.url, "chen", personas.world.passwords["chen"])
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name=re.compile("关怀")).click()
    expect(page.locator("body")).to_have_class(re.compile("care"))
    # The switch reloads the page: read the size once its stylesheet has been applied.
    page.wait_for_load_state("load")
    care_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert care_size >= 18 and care_size > size
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Welcome")
    # Both preferences belong to the account now, not only to this browser.
    chen = User.objects.get(username="chen")
    assert chen.care_mode is True and chen.language == "en"
