"""An uploaded table (CSV or Excel xlsx) for an import that takes all rows or none: its rows
as text cells, its headers matched in Chinese or English, and the report naming each bad row
(its number in the spreadsheet, the header being row 1) and column.

The reading itself is the engine's (``jingban.engine.tables``); this module says its problems
in the user's language. An apostrophe that an export put before text a spreadsheet would take
for a formula (``core.exports.neutralise``) is taken off again, so an exported list imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jingban.core.errors import ValidationFailed
from jingban.core.exports import unneutralise
from jingban.engine import tables

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
# The report names this many problems at the most (a file of 20,000 bad rows says so in one).
MAX_REPORTED = 200


@dataclass(frozen=True)
class RowProblem:
    """A problem of one row (its number in the spreadsheet, the header being row 1; 0 for the
    file as a whole) and column."""

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
            fields={"file": [str(p) for p in problems[:MAX_REPORTED]]},
        )


def file_problem(message: str) -> ImportRefused:
    """A problem of the file as a whole."""
    return ImportRefused([RowProblem(0, _("File"), message)])


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    """Refuse a file over the limit (before it is read, when its size is known)."""
    if size > max_bytes:
        raise file_problem(_too_large(max_bytes))


def _too_large(max_bytes: int) -> str:
    return _("The file is larger than %(n)d MB.") % {"n": max_bytes // (1024 * 1024)}


def read_table(
    content: bytes, filename: str, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> list[list[str]]:
    """The rows of a CSV (UTF-8 with or without a byte-order mark, or GB18030) or xlsx file, as
    text cells; the first row is the header. ``ImportRefused`` says why a file cannot be read."""
    try:
        rows = tables.read_table(content, filename, max_bytes=max_bytes, max_rows=max_rows)
    except tables.TableProblem as err:
        messages = {
            "table.too_large": _too_large(max_bytes),
            "table.unknown_kind": _("Upload a .csv or .xlsx file."),
            "table.unknown_encoding": _("The file's text encoding is unknown."),
            "table.not_csv": _("This is not a CSV file."),
            "table.not_xlsx": _("This is not an Excel (xlsx) workbook."),
        }
        raise file_problem(messages.get(err.code, str(err))) from None
    return [[unneutralise(cell).strip() for cell in row] for row in rows]


def columns(
    rows: list[list[str]],
    names: Mapping[str, Sequence[str]],
    required: Sequence[str],
    *,
    max_rows: int = MAX_ROWS,
) -> tuple[list[str], list[dict[str, str]]]:
    """The column keys of the header and each data row as ``{key: text}`` (blank rows kept as
    empty dicts so that ``enumerate(rows, start=2)`` numbers them as the spreadsheet does).

    ``names`` gives each key's accepted headers, compared without case; the first is the one a
    missing column is named by. A header that names no key is ignored."""
    if not rows or not any(rows[0]):
        raise ImportRefused([RowProblem(1, _("Header"), _("The file is empty."))])
    lookup = {alias.strip().lower(): key for key, aliases in names.items() for alias in aliases}
    keys = [lookup.get(cell.strip().lower(), "") for cell in rows[0]]
    missing = [names[key][0] for key in required if key not in keys]
    if missing:
        raise ImportRefused(
            [RowProblem(1, _("Header"), _("Missing columns: %(c)s.") % {"c": "、".join(missing)})]
        )
    if len(rows) - 1 > max_rows:
        raise file_problem(_("At most %(n)d rows.") % {"n": max_rows})
    data: list[dict[str, str]] = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            data.append({})
            continue
        data.append({key: cell.strip() for key, cell in zip(keys, row, strict=False) if key})
    return keys, data
