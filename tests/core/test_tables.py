"""The one reader of uploaded tables (``jingban.engine.tables`` and ``jingban.core.tables``):
what the catalogue, the directory and enrollment import through."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import translation

from jingban.core import tables
from jingban.core.exports import neutralise
from jingban.engine import tables as engine_tables
from jingban.enrollment import tables as enrollment_tables

NAMES = {"id": ("证件号码", "id"), "name": ("姓名", "name"), "day": ("日期", "day")}
REQUIRED = ("id", "name")


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refused(content: bytes, filename: str, **limits: int) -> list[tuple[int, str, str]]:
    with translation.override("en"), pytest.raises(tables.ImportRefused) as caught:
        tables.read_table(content, filename, **limits)
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def test_a_csv_with_a_byte_order_mark_reads_its_first_header_cleanly() -> None:
    content = "\ufeff证件号码,姓名\r\n 320582198001011234 ,张三\r\n".encode()
    rows = tables.read_table(content, "名单.CSV")
    assert rows == [["证件号码", "姓名"], ["320582198001011234", "张三"]]
    keys, data = tables.columns(rows, NAMES, REQUIRED)
    assert keys == ["id", "name"]
    assert data == [{"id": "320582198001011234", "name": "张三"}]


def test_a_csv_older_excel_wrote_in_gb18030_reads_as_utf8_would() -> None:
    content = "证件号码,姓名\n1,李四\n".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the fallback is what reads it
    assert tables.read_table(content, "a.csv") == [["证件号码", "姓名"], ["1", "李四"]]
    # GBK (what "ANSI" means on a Chinese Windows) is a subset of GB18030.
    gbk = "姓名,证件号码\n欧阳娜娜,2\n".encode("gbk")
    assert tables.read_table(gbk, "a.csv") == [["姓名", "证件号码"], ["欧阳娜娜", "2"]]


def test_an_xlsx_gives_numbers_days_and_times_as_typed() -> None:
    content = xlsx(
        [
            ["证件号码", "姓名", "日期", "备注"],
            [2026.0, "王五", dt.date(2026, 3, 1), None],
            [1.5, " 赵六 ", dt.datetime(2026, 3, 1, 10, 20), "x"],
        ]
    )
    rows = tables.read_table(content, "book.xlsx")
    assert rows == [
        ["证件号码", "姓名", "日期", "备注"],
        ["2026", "王五", "2026-03-01", ""],
        ["1.5", "赵六", "2026-03-01 10:20:00", "x"],
    ]


def test_an_exported_cell_read_back_loses_only_the_apostrophe_the_export_added() -> None:
    content = xlsx([["姓名"], [neutralise("=1+1")], [neutralise("-5")], ["'plain"]])
    assert tables.read_table(content, "a.xlsx")[1:] == [["=1+1"], ["-5"], ["'plain"]]
    csv_content = f"姓名\n{neutralise('@SUM(A1)')}\n".encode()
    assert tables.read_table(csv_content, "a.csv")[1] == ["@SUM(A1)"]


def test_a_file_that_is_no_table_is_refused_with_the_reason() -> None:
    assert refused(b"", "a.xlsx") == [(0, "File", "This is not an Excel (xlsx) workbook.")]
    assert refused(b"a,b\n", "a.txt") == [(0, "File", "Upload a .csv or .xlsx file.")]
    assert refused(b"\xff\xfe\x00\x81\x30", "a.csv") == [
        (0, "File", "The file's text encoding is unknown.")
    ]
    # A field over the csv module's limit (128 KiB) is the one thing its reader refuses.
    assert refused(b'a\n"' + b"x" * 200_000, "a.csv") == [(0, "File", "This is not a CSV file.")]
    big = b"a\n" * (1024 * 1024)
    assert refused(big, "a.csv", max_bytes=1024 * 1024) == [
        (0, "File", "The file is larger than 1 MB.")
    ]
    assert tables.read_table(big, "a.csv", max_bytes=3 * 1024 * 1024)[0] == ["a"]


def test_the_engine_says_each_problem_by_a_stable_code() -> None:
    with pytest.raises(engine_tables.TableProblem) as caught:
        engine_tables.read_table(b"12345", "a.csv", max_bytes=4, max_rows=10)
    assert (caught.value.code, caught.value.params) == ("table.too_large", {"max_bytes": 4})
    with pytest.raises(engine_tables.TableProblem) as caught:
        engine_tables.read_table(b"x", "a.xls", max_bytes=10, max_rows=10)
    assert caught.value.code == "table.unknown_kind"


def test_an_empty_file_and_a_header_missing_a_column_are_named_on_row_1() -> None:
    with translation.override("en"):
        for rows in ([], [[]], [["", ""]]):
            with pytest.raises(tables.ImportRefused) as caught:
                tables.columns(rows, NAMES, REQUIRED)
            assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
                (1, "Header", "The file is empty.")
            ]
        rows = tables.read_table("ID,日期\n1,2026-01-01\n".encode(), "a.csv")
        with pytest.raises(tables.ImportRefused) as caught:
            tables.columns(rows, NAMES, REQUIRED)
        [problem] = caught.value.problems
        assert (problem.row, problem.column) == (1, "Header")
        assert problem.message == "Missing columns: 姓名."
        assert str(problem) == "Row 1, Header: Missing columns: 姓名."
    with translation.override("zh-hans"):
        assert str(problem) == "第 1 行，Header：Missing columns: 姓名."


def test_rows_keep_their_spreadsheet_numbers_past_blank_rows_and_too_many_are_refused() -> None:
    content = "姓名,证件号码,其他\n张三,1,x\n,,\n李四,2\n,,y\n".encode()
    _keys, data = tables.columns(tables.read_table(content, "a.csv"), NAMES, REQUIRED)
    numbered = dict(enumerate(data, start=2))
    assert numbered == {
        2: {"name": "张三", "id": "1"},
        3: {},
        4: {"name": "李四", "id": "2"},
        5: {"name": "", "id": ""},
    }
    with translation.override("en"), pytest.raises(tables.ImportRefused) as caught:
        tables.columns([["id", "name"], ["1", "a"], ["2", "b"]], NAMES, REQUIRED, max_rows=1)
    assert [(p.row, p.message) for p in caught.value.problems] == [(0, "At most 1 rows.")]


def test_a_malformed_row_is_named_by_its_row_number_and_the_report_is_capped() -> None:
    problems = [tables.RowProblem(n, "姓名", "必填") for n in range(2, 302)]
    with translation.override("zh-hans"):
        error = tables.ImportRefused(problems)
        assert str(problems[1]) == "第 3 行，姓名：必填"
        assert error.problems == problems
        assert len(error.fields["file"]) == tables.MAX_REPORTED
        assert str(error.message) == "未导入任何数据：文件中有 300 处问题。"


def test_the_size_is_checked_before_a_file_is_read() -> None:
    tables.check_size(5 * 1024 * 1024, 5 * 1024 * 1024)
    with translation.override("en"), pytest.raises(tables.ImportRefused) as caught:
        tables.check_size(5 * 1024 * 1024 + 1, 5 * 1024 * 1024)
        assert str(caught.value.problems[0]) == "Row 0, File: The file is larger than 5 MB."


def test_enrollment_still_names_the_reader_for_the_apps_that_import_it_there() -> None:
    assert enrollment_tables.read_table is tables.read_table
    assert enrollment_tables.ImportRefused is tables.ImportRefused
    assert enrollment_tables.RowProblem is tables.RowProblem
    assert enrollment_tables.columns is tables.columns
