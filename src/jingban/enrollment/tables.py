"""Reading an uploaded table (CSV or Excel xlsx) into text cells, with headers matched in
Chinese or English, and the per-row problems of an import that refuses the whole file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jingban.core.errors import ValidationFailed

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RowProblem:
    """A problem of one row (its number in the spreadsheet, the header being row 1) and column."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportRefused(ValidationFailed):
    """The file was refused and nothing was stored; ``problems`` names each row and column."""

    code = "import_refused"

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        super().__init__(
            _("Nothing was imported: %(n)d problem(s) in the file.") % {"n": len(problems)},
            fields={"file": [str(p) for p in problems[:200]]},
        )


def file_problem(message: str) -> ImportRefused:
    return ImportRefused([RowProblem(0, _("File"), message)])


def read_table(content: bytes, filename: str) -> list[list[str]]:
    """The rows of a CSV (UTF-8 with or without a byte-order mark, or GB18030) or xlsx file, as
    text cells; the first row is the header."""
    if len(content) > MAX_BYTES:
        raise file_problem(_("The file is larger than 10 MB."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if not name.endswith(".csv"):
        raise file_problem(_("Upload a .csv or .xlsx file."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise file_problem(_("The file's text encoding is unknown."))
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error:
        raise file_problem(_("This is not a CSV file.")) from None


def _read_xlsx(content: bytes) -> list[list[str]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise file_problem(_("This is not an Excel (xlsx) workbook.")) from None
    try:
        rows = []
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(["" if v is None else _cell_text(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a cell: 2026, not 2026.0
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def columns(
    rows: list[list[str]], names: Mapping[str, Sequence[str]], required: Sequence[str]
) -> tuple[list[str], list[dict[str, str]]]:
    """The column keys of the header and each data row as ``{key: text}`` (blank rows kept as
    empty dicts so row numbers stay right). ``names`` gives each key's accepted headers."""
    if not rows or not any(rows[0]):
        raise ImportRefused([RowProblem(1, _("Header"), _("The file is empty."))])
    lookup = {alias.strip().lower(): key for key, aliases in names.items() for alias in aliases}
    keys = [lookup.get(cell.strip().lower(), "") for cell in rows[0]]
    missing = [names[key][0] for key in required if key not in keys]
    if missing:
        raise ImportRefused(
            [RowProblem(1, _("Header"), _("Missing columns: %(c)s.") % {"c": "、".join(missing)})]
        )
    if len(rows) - 1 > MAX_ROWS:
        raise file_problem(_("At most %(n)d rows.") % {"n": MAX_ROWS})
    data: list[dict[str, str]] = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            data.append({})
            continue
        data.append({key: cell.strip() for key, cell in zip(keys, row, strict=False) if key})
    return keys, data


def parse_day(text: str) -> dt.date:
    """A day written 2026-03-01, 2026/3/1 or 20260301 (ValueError otherwise)."""
    value = text.strip().split(" ")[0].split("T")[0]
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_moment(text: str) -> dt.datetime:
    """A time written 2026-03-01 10:20[:30] (or a bare day: its start), naive."""
    value = text.strip().replace("T", " ").replace("/", "-")
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y%m%d%H%M%S"):
        try:
            return dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise ValueError(text)
