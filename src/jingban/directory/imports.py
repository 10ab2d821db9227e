"""Import and export of the directory as CSV or Excel (xlsx), in one column layout: a file
exported from the list imports again.

An import is all or nothing: every row is checked first, and one bad row refuses the whole file
with a report naming each bad row (its row number in the spreadsheet, the header being row 1)
and field. A good file goes in in one transaction, logged once (``directory.entry.imported``,
with the number of rows and their digest). Rows are matched to existing entries by organisation
and name: a row for an existing entry updates it, so importing the same file twice changes
nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from jingban.core import tables
from jingban.core.actionlog import log_bulk
from jingban.core.models import Region, User
from jingban.core.services.reference import digest_rows
from jingban.core.tables import ImportRefused, RowProblem
from jingban.directory import queries
from jingban.directory.models import BusinessLine, Entry, EntryKind
from jingban.directory.services import EntryInput, check_input

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
_LIST_SEPARATORS = ("、", ",", "，", ";", "；", "/")


@dataclass(frozen=True)
class FileColumn:
    """A column of the file: its key (accepted as a header), its label (accepted in English
    and in Chinese) and the entry field it fills."""

    key: str
    label: str | Promise
    field: str
    cell: Callable[[Entry], Any]


def _lines_cell(entry: Entry) -> str:
    return "、".join(entry.business_line_labels)


COLUMNS: tuple[FileColumn, ...] = (
    FileColumn(
        "organisation",
        pgettext_lazy("directory", "Organisation"),
        "organisation_name",
        lambda e: e.organisation_name,
    ),
    FileColumn(
        "name", pgettext_lazy("directory", "Department or window"), "name", lambda e: e.name
    ),
    FileColumn("kind", pgettext_lazy("directory", "Kind"), "kind", lambda e: e.get_kind_display()),
    FileColumn(
        "lines", pgettext_lazy("directory", "Business lines"), "business_lines", _lines_cell
    ),
    FileColumn("phones", pgettext_lazy("directory", "Phone numbers"), "phones", lambda e: e.phones),
    FileColumn("address", pgettext_lazy("directory", "Address"), "address", lambda e: e.address),
    FileColumn(
        "hours",
        pgettext_lazy("directory", "Opening hours"),
        "opening_hours",
        lambda e: e.opening_hours,
    ),
    FileColumn(
        "region",
        pgettext_lazy("directory", "Region code"),
        "region",
        lambda e: e.region.code if e.region else "",
    ),
    FileColumn("place", pgettext_lazy("directory", "Place"), "place_name", lambda e: e.place_name),
    FileColumn("services", pgettext_lazy("directory", "Services"), "note", lambda e: e.note),
    FileColumn("source", pgettext_lazy("directory", "Source"), "source", lambda e: e.source),
)
REQUIRED = ("organisation", "name", "lines", "phones")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _header_names() -> dict[str, tuple[str, ...]]:
    """Each column key's accepted headers: its label in the active language first (the one a
    missing column is named by), the key, and the English and the Chinese label."""
    found: dict[str, tuple[str, ...]] = {}
    for column in COLUMNS:
        labels = []
        for language in ("en", "zh-hans"):
            with translation.override(language):
                labels.append(str(column.label))
        found[column.key] = (str(column.label), column.key, *labels)
    return found


def _choice_map(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for value, label in choices:
        found[value.lower()] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                found[str(label).strip().lower()] = value
    return found


def check_size(size: int) -> None:
    """Refuse a file over the limit (before it is read, when its size is known)."""
    tables.check_size(size, MAX_BYTES)


def read_table(content: bytes, filename: str) -> list[list[str]]:
    """The rows of a CSV (UTF-8, with or without a byte-order mark, or GB18030 as older Excel
    writes it) or xlsx file, as text cells; the first row is the header."""
    return tables.read_table(content, filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)


def parse_table(rows: list[list[str]]) -> tuple[list[tuple[int, EntryInput]], list[RowProblem]]:
    """The entries of a table (header first) and the problems of each row that has any."""
    try:
        _keys, table = tables.columns(rows, _header_names(), REQUIRED, max_rows=MAX_ROWS)
    except ImportRefused as err:
        return [], err.problems
    labels = {c.key: str(c.label) for c in COLUMNS}
    kinds = _choice_map(EntryKind.choices)
    lines = _choice_map(BusinessLine.choices)
    region_codes = {cells["region"] for cells in table if cells.get("region")}
    regions = {r.code: r for r in Region.objects.filter(code__in=region_codes)}
    entries: list[tuple[int, EntryInput]] = []
    problems: list[RowProblem] = []
    for number, cells in enumerate(table, start=2):
        if not cells:
            continue
        row_problems: list[RowProblem] = []
        kind_text = cells.get("kind", "")
        kind = kinds.get(kind_text.lower(), "") if kind_text else EntryKind.DEPARTMENT
        if not kind:
            row_problems.append(
                RowProblem(number, labels["kind"], _("Unknown kind “%(v)s”.") % {"v": kind_text})
            )
        line_values = []
        text = cells.get("lines", "")
        for separator in _LIST_SEPARATORS:
            text = text.replace(separator, "\n")
        for part in filter(None, (p.strip() for p in text.split("\n"))):
            value = lines.get(part.lower())
            if value is None:
                row_problems.append(
                    RowProblem(
                        number, labels["lines"], _("Unknown business line “%(v)s”.") % {"v": part}
                    )
                )
            else:
                line_values.append(value)
        region = None
        code = cells.get("region", "")
        if code:
            region = regions.get(code)
            if region is None:
                row_problems.append(
                    RowProblem(
                        number, labels["region"], _("No region has the code “%(v)s”.") % {"v": code}
                    )
                )
        data = EntryInput(
            name=cells.get("name", ""),
            organisation_name=cells.get("organisation", ""),
            phones=cells.get("phones", ""),
            business_lines=tuple(line_values) if line_values or row_problems else (),
            kind=kind or EntryKind.DEPARTMENT,
            address=cells.get("address", ""),
            opening_hours=cells.get("hours", ""),
            region=region,
            place_name=cells.get("place", ""),
            note=cells.get("services", ""),
            source=cells.get("source", ""),
        )
        _values, errors = check_input(data)
        by_field = {c.field: str(c.label) for c in COLUMNS}
        for field, messages in errors.items():
            if field == "business_lines" and any(p.column == labels["lines"] for p in row_problems):
                continue
            for message in messages:
                row_problems.append(RowProblem(number, by_field.get(field, field), message))
        problems += row_problems
        entries.append((number, data))
    return entries, problems


@transaction.atomic
def import_entries(
    entries: Sequence[tuple[int, EntryInput]], *, acting_user: User | None, description: str = ""
) -> ImportResult:
    """Put the checked rows in: all of them, or none (``ImportRefused`` names each bad row)."""
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str], int] = {}
    checked: list[tuple[int, dict[str, Any]]] = []
    for number, data in entries:
        values, errors = check_input(data)
        for field, messages in errors.items():
            problems += [RowProblem(number, _field_label(field), m) for m in messages]
        if acting_user is not None and not queries.region_in_scope(acting_user, data.region):
            problems.append(
                RowProblem(
                    number,
                    _field_label("region"),
                    _("You may file entries only for places in your own region."),
                )
            )
        key = (values["organisation_name"], values["name"])
        if key in seen:
            problems.append(
                RowProblem(
                    number,
                    _field_label("name"),
                    _("The same entry as row %(n)d.") % {"n": seen[key]},
                )
            )
        seen[key] = number
        checked.append((number, values))
    if problems:
        raise ImportRefused(problems)
    existing = {
        (e.organisation_name, e.name): e
        for e in Entry.objects.select_for_update().filter(
            organisation_name__in={k[0] for k in seen}, name__in={k[1] for k in seen}
        )
    }
    new: list[Entry] = []
    changed: list[Entry] = []
    fields = [
        "kind",
        "business_lines",
        "phones",
        "address",
        "opening_hours",
        "region",
        "place_name",
        "note",
        "source",
    ]
    for _number, values in checked:
        found = existing.get((values["organisation_name"], values["name"]))
        if found is None:
            new.append(Entry(**values))
            continue
        if any(getattr(found, f) != values[f] for f in fields):
            for f in fields:
                setattr(found, f, values[f])
            changed.append(found)
    Entry.objects.bulk_create(new)
    if changed:
        Entry.objects.bulk_update(changed, fields)
    if new or changed:
        log_bulk(
            acting_user=acting_user,
            action="directory.entry.imported",
            object_type="directory.entry",
            rows=len(new) + len(changed),
            digest=digest_rows(
                {**v, "region": v["region"].code if v["region"] else None} for _n, v in checked
            ),
            reason=description,
        )
    return ImportResult(len(new), len(changed), len(checked) - len(new) - len(changed))


def _field_label(field: str) -> str:
    return next((str(c.label) for c in COLUMNS if c.field == field), field)


def import_file(content: bytes, filename: str, *, acting_user: User | None) -> ImportResult:
    """Read, check and import a file: all rows, or none with the report of every bad row."""
    entries, problems = parse_table(read_table(content, filename))
    if problems:
        raise ImportRefused(problems)
    if not entries:
        raise ImportRefused([RowProblem(2, _("File"), _("The file has no rows."))])
    return import_entries(entries, acting_user=acting_user, description=filename[:100])
