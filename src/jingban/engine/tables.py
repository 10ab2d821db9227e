"""Reading an uploaded spreadsheet (CSV or Excel xlsx) into rows of text cells.

The imports of the apps (the catalogue's versions, the directory, enrollment's bulk files and
payment files) all take a table whose first row is the header. This module reads the bytes;
``jingban.core.tables`` matches the headers and reports problems in the user's language.

A CSV is UTF-8 (with or without the byte-order mark spreadsheets like to write) or GB18030,
the encoding older Chinese Excel writes. An xlsx is read from its first sheet, values only (a
formula gives its last computed value). Cells come back stripped; a whole number typed into a
cell reads 2026, not 2026.0; a day reads 2026-03-01 and a time 2026-03-01 10:20:00.

Only a problem with the file as a whole raises ``TableProblem``, with a stable code and the
parameters a caller needs to say it in the user's language: ``table.too_large`` (``max_bytes``),
``table.unknown_kind`` (neither .csv nor .xlsx), ``table.unknown_encoding``, ``table.not_csv``
and ``table.not_xlsx``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from jingban.engine.errors import CodedError

ENCODINGS = ("utf-8-sig", "gb18030")


class TableProblem(CodedError):
    """A file that cannot be read as a table at all."""


def read_table(content: bytes, filename: str, *, max_bytes: int, max_rows: int) -> list[list[str]]:
    """The rows of a .csv or .xlsx file as stripped text cells, the header first.

    An xlsx is read no further than ``max_rows`` data rows and one more (so a caller can tell
    that there are too many without reading a million rows); a CSV is read whole."""
    if len(content) > max_bytes:
        raise TableProblem(
            "table.too_large", f"{filename}: larger than {max_bytes} bytes", max_bytes=max_bytes
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content, filename, max_rows)
    if not name.endswith(".csv"):
        raise TableProblem("table.unknown_kind", f"{filename}: neither .csv nor .xlsx")
    for encoding in ENCODINGS:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableProblem("table.unknown_encoding", f"{filename}: neither UTF-8 nor GB18030")
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as err:
        raise TableProblem("table.not_csv", f"{filename}: {err}", error=str(err)) from None


def _read_xlsx(content: bytes, filename: str, max_rows: int) -> list[list[str]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise TableProblem("table.not_xlsx", f"{filename}: not an xlsx workbook") from None
    try:
        rows = []
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(["" if v is None else cell_text(v) for v in values])
            if len(rows) > max_rows + 1:
                break
        return rows
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A spreadsheet cell's value as the text a person typed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a cell: 2026, not 2026.0
    if isinstance(value, dt.datetime):
        # A day typed into a cell comes back from an xlsx as its midnight.
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
