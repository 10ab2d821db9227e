"""Import of a catalogue version from CSV and Excel: a good file becomes a version with its
items and one action-log row; a file with any bad row is refused whole with a report naming the
row and the field, and nothing is stored."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from jingban.catalogue import imports
from jingban.catalogue.models import CatalogueItem, CatalogueVersion
from jingban.core.errors import ValidationFailed
from jingban.core.models import ActionLog

HEADER = "国家医保编码,名称,类型,类别,先行自付比例,最高支付限价,单位,限就诊类型,限定支付范围"
GOOD = "\n".join(
    [
        HEADER,
        "XN02BEA001A0010100001,对乙酰氨基酚片,西药,甲,,,片,,",
        "XC10AAB002A0010100002,阿托伐他汀钙片,西药,乙,15%,1.20,片,,",
        "C0101010010000100001,冠状动脉药物洗脱支架,医用耗材,乙,0.2,798.00,个,住院,限带量采购中选产品",
        "001101000010000,普通门诊诊查费,医疗服务项目,甲,,10.00,次,普通门诊统筹、inpatient,",
        "ZA01AAA0001010100001,阿胶,中成药,丙,,,块,,",
    ]
)
VERSION = imports.VersionInput(
    "2027年测试版", dt.date(2027, 1, 1), default_first_pay_rate=Decimal("0.08")
)


def _import(text: str, name: str = "catalogue.csv", version: imports.VersionInput = VERSION):  # type: ignore[no-untyped-def]
    return imports.import_file(text.encode(), name, version, acting_user=None)


def test_a_good_csv_becomes_a_version_with_its_items(personas) -> None:
    version = _import(GOOD)
    items = {i.code: i for i in CatalogueItem.objects.filter(version=version)}
    assert len(items) == 5
    statin = items["XC10AAB002A0010100002"]
    assert (statin.category, statin.first_pay_rate, statin.price_limit) == (
        "B",
        Decimal("0.15"),
        120,
    )
    stent = items["C0101010010000100001"]
    assert (stent.kind, stent.first_pay_rate, stent.visit_types) == (
        "consumable",
        Decimal("0.2"),
        ["inpatient"],
    )
    assert stent.restriction == "限带量采购中选产品"
    visit = items["001101000010000"]
    assert visit.visit_types == ["outpatient_general", "inpatient"]
    assert items["ZA01AAA0001010100001"].category == "C"
    # An item without its own rate takes the version's.
    amoxicillin = items["XN02BEA001A0010100001"]
    assert amoxicillin.rate() is None
    assert CatalogueItem(version=version, category="B").rate() == Decimal("0.08")
    row = ActionLog.objects.filter(action="catalogue.version.imported").latest("id")
    assert row.after["rows"] == 5


def test_an_excel_file_imports_alike(personas) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in GOOD.splitlines():
        sheet.append(line.split(","))
    sheet.append(
        ["XB01AC06A001", "阿司匹林肠溶片", "western_drug", "A", None, 0.5, "片", None, None]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    version = imports.import_file(buffer.getvalue(), "catalogue.xlsx", VERSION, acting_user=None)
    aspirin = CatalogueItem.objects.get(version=version, code="XB01AC06A001")
    assert aspirin.price_limit == 50


BAD_ROWS = [
    ("XN99ZZZ999A0010109999,,西药,甲,,,片,,", "名称"),
    ("XN99ZZZ999A0010109999,某药,保健品,甲,,,片,,", "类型"),
    ("XN99ZZZ999A0010109999,某药,西药,丁,,,片,,", "类别"),
    ("XN99ZZZ999A0010109999,某药,西药,乙,120%,,片,,", "先行自付比例"),
    ("XN99ZZZ999A0010109999,某药,西药,乙,abc,,片,,", "先行自付比例"),
    ("XN99ZZZ999A0010109999,某药,西药,甲,10%,,片,,", "先行自付比例"),
    ("XN99ZZZ999A0010109999,某药,西药,甲,,-3.00,片,,", "最高支付限价"),
    ("XN99ZZZ999A0010109999,某药,西药,甲,,1.234,片,,", "最高支付限价"),
    ("XN99ZZZ999A0010109999,某药,西药,甲,,99999999999999999999,片,,", "最高支付限价"),
    ("XN99ZZZ999A0010109999,某药,西药,甲,,,片,门急诊,", "限就诊类型"),
    ("某药的编码,某药,西药,甲,,,片,,", "国家医保编码"),
    ("XC10AAB002A0010100002,重复的编码,西药,甲,,,片,,", "国家医保编码"),
]


@pytest.mark.parametrize(("row", "field"), BAD_ROWS)
def test_one_bad_row_refuses_the_file_naming_row_and_field(personas, row: str, field: str) -> None:
    versions = CatalogueVersion.objects.count()
    items = CatalogueItem.objects.count()
    text = GOOD + "\n" + row
    with pytest.raises(imports.ImportRefused) as caught:
        _import(text)
    problems = caught.value.problems
    assert [(p.row, p.column) for p in problems] == [(7, field)]
    assert "第 7 行" in str(problems[0]) or "Row 7" in str(problems[0])
    assert CatalogueVersion.objects.count() == versions
    assert CatalogueItem.objects.count() == items


def test_every_bad_row_is_reported(personas) -> None:
    text = "\n".join([HEADER, *(row for row, _field in BAD_ROWS[:3])])
    with pytest.raises(imports.ImportRefused) as caught:
        _import(text)
    # Each row is wrong in its own field (and rows 3 and 4 repeat row 2's code).
    assert sorted({p.row for p in caught.value.problems}) == [2, 3, 4]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"code,name\nX1,a", "catalogue.csv"),  # missing columns
        (b"", "catalogue.csv"),
        (HEADER.encode(), "catalogue.csv"),  # no rows
        (b"PK\x03\x04 not a workbook", "catalogue.xlsx"),
        (b"anything", "catalogue.pdf"),
    ],
)
def test_a_file_that_is_no_catalogue_is_refused(personas, content: bytes, name: str) -> None:
    versions = CatalogueVersion.objects.count()
    with pytest.raises(imports.ImportRefused):
        imports.import_file(content, name, VERSION, acting_user=None)
    assert CatalogueVersion.objects.count() == versions


def test_the_version_must_be_new_and_its_period_in_order(personas) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _import(GOOD, version=imports.VersionInput("2025年示例版", dt.date(2027, 1, 1)))
    assert "label" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        _import(GOOD, version=imports.VersionInput("x", dt.date(2027, 1, 1), dt.date(2026, 1, 1)))
    assert "effective_to" in caught.value.fields
    assert not CatalogueVersion.objects.filter(label="x").exists()


def test_the_import_page_shows_the_report(personas) -> None:
    client = personas.client("wang")
    bad = (GOOD + "\n" + BAD_ROWS[2][0]).encode()
    response = client.post(
        "/catalogue/import/",
        {
            "label": "页面测试版",
            "effective_from": "2027-01-01",
            "default_first_pay_rate": "10",
            "file": _upload(bad, "bad.csv"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "import-report" in page and "<td>类别</td>" in page and "丁" in page
    assert not CatalogueVersion.objects.filter(label="页面测试版").exists()
    response = client.post(
        "/catalogue/import/",
        {
            "label": "页面测试版",
            "effective_from": "2027-01-01",
            "default_first_pay_rate": "8",
            "file": _upload(GOOD.encode(), "good.csv"),
        },
    )
    assert response.status_code == 302
    version = CatalogueVersion.objects.get(label="页面测试版")
    assert version.default_first_pay_rate == Decimal("0.08")
    assert version.items.count() == 5


def _upload(content: bytes, name: str):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_a_downloaded_list_imports_again(personas) -> None:
    """The export is in the import's layout: the 2026 sample, downloaded and imported as a new
    version, has the same items with the same classes, rates, limits and visit types."""
    from jingban.catalogue import demo

    response = personas.client("wang").get("/catalogue/export.csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    version = imports.import_file(
        content,
        "catalogue.csv",
        imports.VersionInput("再导入", dt.date(2030, 1, 1)),
        acting_user=None,
    )
    fields = ("code", "name", "kind", "category", "first_pay_rate", "price_limit", "unit")
    again = set(CatalogueItem.objects.filter(version=version).values_list(*fields, "restriction"))
    shipped = set(
        CatalogueItem.objects.filter(version__label=demo.V2026).values_list(*fields, "restriction")
    )
    assert again == shipped
    albumin = CatalogueItem.objects.get(version=version, code="XB05AAF247A0010100084")
    assert albumin.visit_types == ["inpatient"]
    assert albumin.first_pay_rate == Decimal("0.2")
