"""The directory: the import is all or nothing and names each bad row; a good file goes in
whole, logged once; editors change only their region; search by line, place and text; the
public page needs no sign-in."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jingban.core.errors import ValidationFailed
from jingban.core.models import ActionLog, Region
from jingban.directory import imports, queries, services
from jingban.directory.demo import DATA, load_directory
from jingban.directory.models import Entry
from jingban.directory.services import EntryInput
from tests.personas import Personas

HEADER = "organisation,name,kind,lines,phones,address,hours,region,place,services,source\n"
GOOD = (
    "测试医保局,参保科,department,enrolment,0512-62000001,,,320500,苏州市,,测试\n"
    "测试医保局,结算科,department,settlement、review,0512-62000002,,,320500,苏州市,,测试\n"
    "测试医保局,咨询热线,hotline,policy,12345,,,320500,苏州市,,测试\n"
)


def _imported_rows() -> int:
    return ActionLog.objects.filter(action="directory.entry.imported").count()


def test_a_bad_row_in_the_middle_imports_nothing_and_names_the_row(personas: Personas) -> None:
    before = Entry.objects.count()
    logged = _imported_rows()
    bad = GOOD.replace("0512-62000002", "411-83709172")
    with translation.override("en"), pytest.raises(imports.ImportRefused) as caught:
        imports.import_file((HEADER + bad).encode(), "d.csv", acting_user=personas.user("admin"))
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "Phone numbers")]
    with translation.override("en"):
        assert str(caught.value.problems[0]).startswith("Row 3, Phone numbers: “411-83709172”")
    assert Entry.objects.count() == before
    assert _imported_rows() == logged


def test_every_bad_row_is_reported(personas: Personas) -> None:
    bad = GOOD.replace("enrolment", "swimming").replace(
        "320500,苏州市,,测试\n测试医保局,咨询", "999999,苏州市,,测试\n测试医保局,咨询"
    )
    with translation.override("en"), pytest.raises(imports.ImportRefused) as caught:
        imports.import_file((HEADER + bad).encode(), "d.csv", acting_user=personas.user("admin"))
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(2, "Business lines"), (3, "Region code")}


def test_a_good_file_goes_in_whole_logged_once_and_again_changes_nothing(
    personas: Personas,
) -> None:
    before = Entry.objects.count()
    logged = _imported_rows()
    admin = personas.user("admin")
    result = imports.import_file((HEADER + GOOD).encode(), "d.csv", acting_user=admin)
    assert (result.created, result.updated) == (3, 0)
    assert Entry.objects.count() == before + 3
    assert _imported_rows() == logged + 1
    assert Entry.objects.get(name="结算科").business_lines == ["review", "settlement"]
    again = imports.import_file((HEADER + GOOD).encode(), "d.csv", acting_user=admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _imported_rows() == logged + 1


def test_an_xlsx_file_with_chinese_headers_imports(personas: Personas) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["机构", "部门或窗口", "业务类别", "电话", "行政区划代码"])
    sheet.append(["测试医保局", "长护科", "长期护理保险", "0512-62000003", "320500"])
    sheet.append(["测试医保局", "北京科", "综合经办", 65006161, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with translation.override("zh-hans"):
        labels = {str(c.label) for c in imports.COLUMNS}
    assert {"机构", "部门或窗口", "业务类别", "电话", "行政区划代码"} <= labels
    with pytest.raises(imports.ImportRefused) as caught:
        imports.import_file(buffer.getvalue(), "d.xlsx", acting_user=personas.user("admin"))
    # The second row has neither a region nor a place.
    assert [p.row for p in caught.value.problems] == [3]
    sheet["F3"] = "北京市"
    sheet["F1"] = "地点"
    buffer = io.BytesIO()
    workbook.save(buffer)
    imports.import_file(buffer.getvalue(), "d.xlsx", acting_user=personas.user("admin"))
    assert Entry.objects.get(name="北京科").phones == "65006161"


def test_an_export_imports_again_unchanged(personas: Personas) -> None:
    client = personas.client("admin")
    response = client.get(reverse("directory:entry_export_csv"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    result = imports.import_file(content, "export.csv", acting_user=personas.user("admin"))
    assert result.created == 0 and result.updated == 0
    assert result.unchanged == Entry.objects.filter(active=True).count()


def test_the_demo_holds_seed_002_marked_with_its_source(personas: Personas) -> None:
    dalian = Entry.objects.get(name="异地就医与审核部")
    assert dalian.phones == "0411-83709182"
    assert dalian.region is not None and dalian.region.code == "210200"
    assert "002" in dalian.source
    seed_rows = (DATA / "seed_002.csv").read_text().count("\n") - 1
    assert Entry.objects.filter(source__contains="资料002").count() == seed_rows
    assert Entry.objects.get(phones="12393").region is None
    assert Region.objects.get(code="610831").path == "610000/610800/610831/"
    assert load_directory(personas.user("admin")) == 0  # idempotent


def test_search_by_line_place_and_text(personas: Personas) -> None:
    found = queries.search_entries(queries.Search(line="cross_region", place="大连"))
    assert [e.phones for e in found] == ["0411-83709182"]
    beijing = queries.search_entries(queries.Search(place="北京"))
    assert {e.phones for e in beijing} == {"65006161", "66007070"}
    assert [e.phones for e in queries.search_entries(queries.Search(place="西城"))] == ["66007070"]
    hotline = queries.search_entries(queries.Search(text="12393"))
    assert [e.place_name for e in hotline] == ["全国"]
    complaints = queries.search_entries(queries.Search(line="complaints"))
    assert {e.phones for e in complaints} == {"12345", "12393"}


def _input(**changes: object) -> EntryInput:
    values: dict[str, object] = {
        "name": "测试窗口",
        "organisation_name": "苏州市医疗保障局",
        "phones": "0512-62000009",
        "business_lines": ("enrolment",),
        "region": Region.objects.get(code="320505"),
    }
    values.update(changes)
    return EntryInput(**values)  # type: ignore[arg-type]


def test_an_operator_edits_only_their_region(personas: Personas) -> None:
    wang = personas.user("wang")
    entry = services.create_entry(_input(), acting_user=wang)
    assert entry.place_name == Region.objects.get(code="320505").name
    with pytest.raises(ValidationFailed) as caught:
        services.create_entry(
            _input(name="大连窗口", region=Region.objects.get(code="210200")), acting_user=wang
        )
    assert "region" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        services.create_entry(_input(region=None, place_name="全国"), acting_user=wang)
    assert "region" in caught.value.fields
    dalian = Entry.objects.get(name="结算部")
    assert wang.can("directory.entry.edit")
    assert (
        personas.client("wang").get(reverse("directory:entry_edit", args=[dalian.pk])).status_code
        == 404
    )


def test_a_wrong_phone_on_the_form_is_shown_beside_the_field(personas: Personas) -> None:
    client = personas.client("wang")
    data = {
        "organisation_name": "苏州市医疗保障局",
        "name": "新窗口",
        "kind": "window",
        "business_lines": ["enrolment"],
        "phones": "0512-620000",
        "region": Region.objects.get(code="320505").pk,
    }
    response = client.post(reverse("directory:entry_create"), data)
    assert response.status_code == 400
    assert "不是电话号码" in response.content.decode()
    assert not Entry.objects.filter(name="新窗口").exists()
    data["phones"] = "0512-62000000、13812345678"
    response = client.post(reverse("directory:entry_create"), data)
    assert response.status_code == 302
    entry = Entry.objects.get(name="新窗口")
    assert entry.phones == "0512-62000000、13812345678"
    assert ActionLog.objects.filter(
        action="directory.entry.created", object_id=str(entry.pk)
    ).exists()


def test_deactivation_asks_first_and_hides_the_entry_from_the_public(personas: Personas) -> None:
    entry = Entry.objects.get(name="虎丘区医保服务站")
    client = personas.client("wang")
    url = reverse("directory:entry_deactivate", args=[entry.pk])
    asked = client.get(url)
    assert asked.status_code == 200 and "确定停用该条目" in asked.content.decode()
    assert Entry.objects.get(pk=entry.pk).active  # asking changes nothing
    assert client.post(url).status_code == 302
    assert not Entry.objects.get(pk=entry.pk).active
    public = Client().get(reverse("directory:public_search"), {"q": "虎丘"})
    assert "虎丘区医保服务站" not in public.content.decode()
    assert ActionLog.objects.filter(action="directory.entry.deactivated").count() == 1
    # Staff still see it, marked inactive, and bring it back.
    listed = client.get(reverse("directory:entry_list"), {"status": "inactive"})
    assert "虎丘区医保服务站" in listed.content.decode() and "已停用" in listed.content.decode()
    again = reverse("directory:entry_reactivate", args=[entry.pk])
    assert client.post(again).status_code == 302
    assert Entry.objects.get(pk=entry.pk).active


def test_the_log_names_an_entry_and_an_export_is_logged(personas: Personas) -> None:
    from jingban.directory.log import describe_entries

    entry = Entry.objects.get(name="结算部")
    assert describe_entries(None, [str(entry.pk), "x"], reveal=False) == {
        str(entry.pk): "大连市医疗保障局 结算部"
    }
    client = personas.client("sun")
    response = client.get(reverse("directory:entry_export_xlsx"), {"place": "大连"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("机构", "部门或窗口") and len(rows) == 4
    logged = ActionLog.objects.filter(action="core.export.downloaded").latest("pk")
    assert logged.after["list"] == "directory.entry" and logged.after["rows"] == 3
    assert personas.client("kangning").get(reverse("directory:entry_export_csv")).status_code == 403


def test_the_public_page_searches_without_signing_in(personas: Personas) -> None:
    response = Client().get(
        reverse("directory:public_search"), {"line": "cross_region", "place": "大连"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:041183709182"' in html
    assert "0411-83709172" not in html  # 参保与个人账户部 serves other lines


def test_the_import_page_shows_the_report(personas: Personas) -> None:
    client = personas.client("admin")
    upload = io.BytesIO((HEADER + GOOD.replace("0512-62000002", "0512-6200")).encode())
    upload.name = "bad.csv"
    response = client.post(reverse("directory:entry_import"), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "import-report" in html and '<td class="num">3</td><td>电话</td>' in html
    assert not Entry.objects.filter(organisation_name="测试医保局").exists()


def test_the_api_searches_like_the_page(personas: Personas) -> None:
    response = personas.client("chen").get(
        "/api/v1/directory", {"line": "cross_region", "place": "大连"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["phones"] == ["0411-83709182"]
    assert body["results"][0]["region"] == "210200"
    assert Client().get("/api/v1/directory").status_code in (401, 403)


def test_a_file_without_a_required_column_or_of_another_type_is_refused(
    personas: Personas,
) -> None:
    admin = personas.user("admin")
    with translation.override("en"), pytest.raises(imports.ImportRefused) as caught:
        imports.import_file(
            "organisation,name,lines\n测试,科,policy\n".encode(), "d.csv", acting_user=admin
        )
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "Header")]
    assert "Phone numbers" in caught.value.problems[0].message
    with pytest.raises(imports.ImportRefused):
        imports.import_file(b"PK\x03\x04 not really", "d.xlsx", acting_user=admin)
    with pytest.raises(imports.ImportRefused):
        imports.import_file(b"a,b", "d.txt", acting_user=admin)
    with pytest.raises(imports.ImportRefused):
        imports.check_size(imports.MAX_BYTES + 1)
