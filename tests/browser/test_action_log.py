"""The auditor's journey through the action log, in Chinese: zhao finds a person's entries by
the person's document number and a date, opens an entry with its changes by field, downloads the
filtered list, and finds that download in the log."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from jingban.core.calendar import today as local_today
from jingban.core.models import ActionLog
from jingban.demo.world import resident_id
from jingban.registry import services
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = resident_id("320505", dt.date(1972, 11, 23), 77, male=False)
NAME, NEW_NAME = "慕容晓雪", "慕容晓月"


def test_an_auditor_filters_opens_and_exports_the_log(
    live_server, page: Page, personas: Personas
) -> None:
    wang = personas.user("wang")
    person = services.register_person(
        services.PersonInput(
            document_type="resident_id",
            document_number=NUMBER,
            name=NAME,
            region_code="320505",
            phone="13822223333",
        ),
        acting_user=wang,
    )
    services.update_person(
        person,
        services.PersonInput(
            document_type="resident_id",
            document_number=NUMBER,
            name=NEW_NAME,
            region_code="320505",
            phone="13822223333",
        ),
        acting_user=wang,
        reason="户籍信息更正",
    )
    today = local_today().isoformat()

    sign_in(page, live_server.url, "zhao", personas.world.passwords["zhao"])
    page.get_by_role("navigation").get_by_role("link", name="操作日志").click()
    expect(page.locator("h1")).to_have_text("操作日志")

    # The person, by document number: posted, and only the person's id reaches the address.
    page.get_by_label("人员（姓名或证件号码）").fill(NUMBER)
    page.get_by_role("button", name="查找人员").click()
    page.wait_for_url(re.compile(r"subject=registry\.person%3A\d+"))
    assert NUMBER not in page.url and NEW_NAME not in page.url
    expect(page.locator("form.filters strong")).to_contain_text(NEW_NAME)

    # And the date: today only.
    page.get_by_label("起始日期").fill(today)
    page.get_by_label("截止日期").fill(today)
    page.get_by_role("button", name="筛选", exact=True).click()
    page.wait_for_url(re.compile(r"date_from="))
    query = parse_qs(urlparse(page.url).query)
    assert query["date_from"] == [today] and query["date_to"] == [today]
    assert query["subject"] == [f"registry.person:{person.pk}"]
    rows = page.locator("table.action-log tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("王经办修改了参保人信息")
    expect(rows.nth(1)).to_contain_text("王经办登记了参保人")

    # The entry: its sentence, and the changes by field (zhao may reveal: in clear, logged).
    rows.first.get_by_role("link", name=re.compile("查看 .* 的条目")).click()
    expect(page.locator("h1")).to_have_text("操作日志条目")
    changes = page.locator("table.data")
    expect(changes.get_by_role("rowheader", name="姓名")).to_be_visible()
    expect(changes).to_contain_text(NAME)
    expect(changes).to_contain_text(NEW_NAME)
    expect(page.locator("dl.details")).to_contain_text("户籍信息更正")
    updated = ActionLog.objects.get(action="registry.person.updated", object_id=str(person.pk))
    shown = ActionLog.objects.filter(action="core.action_log.personal_data_shown").last()
    assert shown is not None and updated.pk in shown.after["entries"]  # type: ignore[index]

    # Back to the filtered list, and download it.
    page.go_back()
    page.wait_for_url(re.compile(r"date_from="))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("action-log-")
    body = download.path().read_bytes().decode("utf-8-sig")
    assert "王经办修改了参保人信息" in body and NUMBER not in body

    # The download is in the log, with the filters as ids and dates.
    page.goto(live_server.url + "/action-log/")
    page.get_by_label("操作", exact=True).select_option(label="下载了列表")
    page.get_by_role("button", name="筛选", exact=True).click()
    page.wait_for_url(re.compile(r"action=core\.export\.downloaded"))
    expect(page.locator("table.action-log tbody tr").first).to_contain_text(
        "赵稽核下载了列表：操作日志列表"
    )
    logged = ActionLog.objects.filter(action="core.export.downloaded").last()
    assert logged is not None and logged.after is not None
    assert logged.after["filters"] == {
        "date_from": today,
        "date_to": today,
        "subject": f"registry.person:{person.pk}",
    }
    assert logged.after["rows"] == 2
