"""Exports of the job, pack and person lists: CSV and xlsx open and hold exactly the rows of
the user's scope, with translated headers, masked numbers, formulas neutralised; each download
needs the capability and is logged."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.http import HttpResponseBase
from django.urls import reverse

from jingban.core import exports
from jingban.core.models import ActionLog
from jingban.jobs import queries as jobs_queries
from jingban.jobs.models import JobRun, JobStatus
from jingban.packs import services as packs_services
from jingban.packs.models import PackVersion
from jingban.registry import queries as registry_queries
from jingban.registry.display import age_on
from jingban.registry.documents import mask_document
from tests.packs.conftest import pack_text
from tests.personas import Personas

FORMULA = '=HYPERLINK("http://evil.example","x")'


def body(response: HttpResponseBase) -> bytes:
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def read_csv(response: HttpResponseBase) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "no-store" in response["Cache-Control"]
    raw = body(response)
    assert raw.startswith("\ufeff".encode())  # Excel reads the UTF-8 as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def read_xlsx(response: HttpResponseBase) -> list[list[object]]:
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def export_logs(list_name: str) -> list[dict[str, object]]:
    rows = ActionLog.objects.filter(action="core.export.downloaded", object_id=list_name)
    return [row.after for row in rows.order_by("id")]


@pytest.fixture
def runs(personas: Personas) -> dict[str, JobRun]:
    wang, admin = personas.user("wang"), personas.user("admin")
    return {
        "wang": JobRun.objects.create(
            kind="core.audit.verify", status=JobStatus.SUCCEEDED, started_by=wang, label="ok"
        ),
        "formula": JobRun.objects.create(
            kind="core.audit.verify", status=JobStatus.FAILED, started_by=wang, label=FORMULA
        ),
        "admin": JobRun.objects.create(
            kind="core.audit.verify", status=JobStatus.QUEUED, started_by=admin
        ),
    }


# --- jobs ----------------------------------------------------------------------------------


def test_job_runs_as_csv_hold_the_users_runs_in_chinese(
    personas: Personas, runs: dict[str, JobRun]
) -> None:
    rows = read_csv(personas.client("wang").get(reverse("jobs:run_export_csv")))
    header, data = rows[0], rows[1:]
    assert header[:4] == ["运行编号", "任务", "说明", "状态"]
    assert {int(r[0]) for r in data} == {runs["wang"].pk, runs["formula"].pk}
    assert {int(r[0]) for r in data} == set(
        jobs_queries.runs_for(personas.user("wang")).values_list("pk", flat=True)
    )
    by_id = {int(r[0]): r for r in data}
    assert by_id[runs["wang"].pk][3] == "已完成"
    # A cell a spreadsheet would run as a formula is text.
    assert by_id[runs["formula"].pk][2] == "'" + FORMULA
    assert export_logs("jobs.runs") == [
        {"list": "jobs.runs", "format": "csv", "filters": {}, "rows": 2}
    ]


def test_job_runs_as_xlsx_in_english(personas: Personas, runs: dict[str, JobRun]) -> None:
    client = personas.client("admin", language="en")
    rows = read_xlsx(client.get(reverse("jobs:run_export_xlsx")))
    header, data = rows[0], rows[1:]
    assert header[:4] == ["Run", "Job", "About", "Status"]
    assert sorted(r[0] for r in data) == sorted(r.pk for r in runs.values())  # type: ignore[type-var]
    by_id = {r[0]: r for r in data}
    assert by_id[runs["formula"].pk][2] == "'" + FORMULA
    assert by_id[runs["admin"].pk][3] == "Queued"
    created = by_id[runs["admin"].pk][8]
    assert isinstance(created, dt.datetime)
    assert export_logs("jobs.runs") == [
        {"list": "jobs.runs", "format": "xlsx", "filters": {}, "rows": 3}
    ]


# --- policy packs --------------------------------------------------------------------------


def test_pack_versions_with_the_lists_filter(personas: Personas) -> None:
    draft = packs_services.import_pack_text(pack_text(3), acting_user=personas.user("admin"))
    client = personas.client("sun")
    everything = read_csv(client.get(reverse("packs:version_export_csv")))
    assert everything[0][:3] == ["政策包编号", "版本", "名称"]
    assert len(everything) - 1 == PackVersion.objects.count()
    drafts = read_xlsx(client.get(reverse("packs:version_export_xlsx") + "?status=draft"))
    assert drafts[1:] == [
        [
            draft.pack_id,
            3,
            draft.title_zh,
            "基本医保",
            "草稿",
            dt.datetime.combine(draft.effective_start, dt.time()),
            dt.datetime.combine(draft.effective_end, dt.time()),
            draft.region,
            draft.scheme,
            "从文件导入",
            draft.content_hash,
            "系统管理员",
            None,
            None,
        ]
    ]
    assert export_logs("packs.versions")[-1] == {
        "list": "packs.versions",
        "format": "xlsx",
        "filters": {"search": False, "status": "draft"},
        "rows": 1,
    }


# --- persons -------------------------------------------------------------------------------


def test_persons_hold_the_scope_masked_with_the_age(personas: Personas) -> None:
    wang = personas.user("wang")
    expected = list(registry_queries.persons_for(wang).order_by("id"))
    rows = read_csv(personas.client("wang").get(reverse("registry:person_export_csv")))
    header, data = rows[0], rows[1:]
    assert header == [
        "记录号",
        "姓名",
        "证件类型",
        "证件",
        "性别",
        "年龄",
        "联系电话",
        "地区",
        "已死亡",
    ]
    assert [int(r[0]) for r in data] == [p.pk for p in expected]
    assert personas.out_of_scope_person.pk not in {int(r[0]) for r in data}
    text = "\n".join(",".join(r) for r in data)
    today = dt.date.today()
    for person, row in zip(expected, data, strict=True):
        assert person.document_number not in text
        assert row[3] == mask_document(person.document_type, person.document_number)
        assert person.birth_date.isoformat() not in text
        assert person.birth_date.strftime("%Y%m%d") not in text
        if person.phone:
            assert person.phone not in text
        assert int(row[5]) == age_on(person.birth_date, person.death_date or today)
    assert export_logs("registry.persons") == [
        {
            "list": "registry.persons",
            "format": "csv",
            "filters": {"search": False},
            "rows": len(expected),
        }
    ]


def test_persons_as_xlsx_in_english_for_admin(personas: Personas) -> None:
    client = personas.client("admin", language="en")
    rows = read_xlsx(client.get(reverse("registry:person_export_xlsx")))
    assert rows[0] == [
        "Record number",
        "Name",
        "Document type",
        "Document",
        "Sex",
        "Age",
        "Phone",
        "Region",
        "Deceased",
    ]
    ids = {r[0] for r in rows[1:]}
    assert personas.out_of_scope_person.pk in ids  # admin's scope is every region
    numbers = {p.document_number for p in registry_queries.persons_for(personas.user("admin"))}
    cells = {str(c) for r in rows[1:] for c in r}
    assert not numbers & cells
    assert all("*" in str(r[3]) for r in rows[1:])


def test_a_search_is_logged_without_its_terms(personas: Personas) -> None:
    person = personas.in_scope_person
    client = personas.client("zhao")
    rows = read_csv(client.get(reverse("registry:person_export_csv"), {"q": person.name}))
    assert person.pk in {int(r[0]) for r in rows[1:]}
    logged = export_logs("registry.persons")[-1]
    assert logged["filters"] == {"search": True}
    afters = ActionLog.objects.filter(action="core.export.downloaded").values_list(
        "after", flat=True
    )
    assert all(person.name not in str(after) for after in afters)


def test_a_whole_number_search_without_the_reveal_right_is_refused(personas: Personas) -> None:
    person = personas.in_scope_person
    url = reverse("registry:person_export_csv")
    response = personas.client("qian").get(url, {"q": person.document_number})
    assert response.status_code == 400
    assert not export_logs("registry.persons")
    allowed = personas.client("wang").get(url, {"q": person.document_number})
    assert [int(r[0]) for r in read_csv(allowed)[1:]] == [person.pk]


@pytest.mark.parametrize("route", ["registry:person_export_csv", "registry:person_export_xlsx"])
def test_a_role_without_the_export_capability_gets_403(personas: Personas, route: str) -> None:
    # The assessor sees persons but may not take lists away; the institution sees none.
    for role in ("li", "kangning", "chen"):
        assert personas.client(role).get(reverse(route)).status_code == 403, role
    assert not export_logs("registry.persons")


def test_the_list_pages_offer_the_downloads_to_exporters_only(personas: Personas) -> None:
    page = personas.client("wang").get(reverse("registry:person_list"), {"q": "张", "page": "2"})
    html = page.content.decode()
    assert f'href="{reverse("registry:person_export_csv")}?q=%E5%BC%A0"' in html
    li_page = personas.client("li").get(reverse("registry:person_list")).content.decode()
    assert reverse("registry:person_export_csv") not in li_page
    packs = personas.client("qian").get(reverse("packs:version_list")).content.decode()
    assert reverse("packs:version_export_xlsx") in packs


def test_neutralise() -> None:
    for text in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert exports.neutralise(text) == "'" + text
    assert exports.neutralise("320582********1234") == "320582********1234"
    assert exports.cell_text(-5) == "-5"  # a number is a number
    assert exports.cell_text("-5") == "'-5"


def test_a_list_longer_than_a_sheet_is_refused_as_xlsx(
    personas: Personas, runs: dict[str, JobRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    client = personas.client("admin", language="en")
    response = client.get(reverse("jobs:run_export_xlsx"))
    assert response.status_code == 400
    assert "download it as CSV" in response.content.decode()
    assert not export_logs("jobs.runs")
    assert len(read_csv(client.get(reverse("jobs:run_export_csv")))) == 4
