"""Exports of any list as CSV or xlsx: streamed, memory-bounded, needing a capability, logged.

An app's export view builds the rows of its list with the same scoped query as the page, names
its columns (translated headers, a function per cell) and calls ``export_response``::

    COLUMNS = (Column("id", _("Run"), lambda run: run.pk), ...)

    @requires(Cap.JOB_VIEW)
    def run_export(request, fmt):
        return exports.export_response(
            request, list_name="jobs.runs", rows=queries.runs_for(request.user),
            columns=COLUMNS, fmt=fmt, filename="jobs", filters={},
        )

- CSV is streamed row by row (``StreamingHttpResponse``) in UTF-8 with a byte-order mark, so
  Excel opens Chinese text correctly; a query set is read with a server-side cursor.
- xlsx is written by XlsxWriter in ``constant_memory`` mode (one row in memory at a time) into
  an anonymous temporary file, then sent from it.
- Text cells that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``, a tab or
  a carriage return first) get a leading apostrophe in both formats (CSV injection).
- Each export needs ``core.export.download`` on top of the list's own capability, and writes one
  ``core.export.downloaded`` row to the action log: the list, the format, the filters the view
  says are safe to record and the number of rows. Never a cell value: the log holds no
  personal data from an export.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from jingban.core.actionlog import log_action
from jingban.core.errors import Forbidden
from jingban.core.models import User

EXPORT_CAPABILITY = "core.export.download"
FORMATS = ("csv", "xlsx")
# Rows read from the database at a time (server-side cursor): memory stays flat with the list.
CHUNK_SIZE = 2000
# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BOM = "\ufeff"
# Excel's own limit of rows on a sheet, header included.
XLSX_MAX_ROWS = 1_048_576

T = TypeVar("T")
Cell = str | int | float | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of an export: a stable key, its translated header and its cell per row."""

    key: str
    label: str | Promise
    value: Callable[[T], Cell]


def require_export(user: User) -> None:
    """Forbidden unless the user may download exports (checked before any lookup)."""
    if not user.can(EXPORT_CAPABILITY):
        raise Forbidden()


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made plain text by a leading apostrophe."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def unneutralise(text: str) -> str:
    """The text ``neutralise`` was given: an exported cell read back in an import."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS) else text


def _local(moment: dt.datetime) -> dt.datetime:
    """An aware time in the installation's zone, without its zone (what a sheet can hold)."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


def cell_text(value: object) -> str:
    """A cell as CSV text: dates in ISO form, times local to the second, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


class _Echo:
    """A write-only "file" that hands back what is written: csv.writer's line, as a string."""

    def write(self, value: str) -> str:
        return value


def _iterate(rows: Iterable[T]) -> Iterator[T]:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=CHUNK_SIZE)
    return iter(rows)


def _count(rows: Iterable[Any]) -> int:
    if isinstance(rows, QuerySet):
        return rows.count()
    return len(rows) if isinstance(rows, Sequence) else sum(1 for _row in rows)


def _csv_lines(
    rows: Iterable[T], columns: Sequence[Column[T]], headers: list[str], language: str
) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield (_BOM + writer.writerow([neutralise(h) for h in headers])).encode("utf-8")
    buffer: list[str] = []
    for row in _iterate(rows):
        # The body is produced after the view returned, when the request's language may no
        # longer be active: translated cells (a status) are rendered in the request's own.
        with translation.override(language):
            buffer.append(writer.writerow([cell_text(c.value(row)) for c in columns]))
        if len(buffer) >= 200:
            yield "".join(buffer).encode("utf-8")
            buffer = []
    if buffer:
        yield "".join(buffer).encode("utf-8")


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Lists of persons are personal data: never kept by a browser or a proxy.
    response["Cache-Control"] = "no-store"


def stream_csv(
    rows: Iterable[T], columns: Sequence[Column[T]], filename: str
) -> StreamingHttpResponse:
    """The rows as a CSV download, streamed; headers in the active language."""
    headers = [str(c.label) for c in columns]
    language = translation.get_language() or "zh-hans"
    response = StreamingHttpResponse(
        _csv_lines(rows, columns, headers, language), content_type="text/csv; charset=utf-8"
    )
    _attachment(response, filename)
    return response


def write_xlsx(
    rows: Iterable[T], columns: Sequence[Column[T]], target: Any, *, sheet: str = "export"
) -> int:
    """Write the rows as an xlsx workbook into ``target`` (a path or a binary file) and return
    how many rows were written. One row is held in memory at a time (``constant_memory``)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    try:
        worksheet = workbook.add_worksheet(sheet[:31])
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        time_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        for col, column in enumerate(columns):
            worksheet.write_string(0, col, neutralise(str(column.label)), bold)
        written = 0
        for written, row in enumerate(_iterate(rows), start=1):
            if written >= XLSX_MAX_ROWS:
                raise ValueError("more rows than a worksheet holds")
            for col, column in enumerate(columns):
                value = column.value(row)
                if value is None or value == "":
                    continue  # an empty cell, as in the CSV
                if isinstance(value, bool):
                    worksheet.write_boolean(written, col, value)
                elif isinstance(value, int | float):
                    worksheet.write_number(written, col, value)
                elif isinstance(value, dt.datetime):
                    worksheet.write_datetime(written, col, _local(value), time_format)
                elif isinstance(value, dt.date):
                    worksheet.write_datetime(written, col, value, date_format)
                else:
                    worksheet.write_string(written, col, neutralise(str(value)))
    finally:
        workbook.close()
    return written


def export_response(
    request: Any,
    *,
    list_name: str,
    rows: Iterable[T],
    columns: Sequence[Column[T]],
    fmt: str,
    filename: str,
    filters: Mapping[str, object] | None = None,
) -> HttpResponse:
    """The list as a CSV or xlsx download, logged as ``core.export.downloaded``.

    ``list_name`` names the list in the log (``registry.persons``); ``filename`` is the file's
    name without its extension (ASCII); ``filters`` are what the log records of the list's
    filters, so the view passes only what holds no personal data. The caller has checked the
    list's own capability; the export capability is checked here, before anything is read.
    """
    user: User = request.user
    require_export(user)
    if fmt not in FORMATS:
        raise Http404
    stamp = timezone.localdate().isoformat()
    name = f"{filename}-{stamp}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        count = _count(rows)
        response = stream_csv(rows, columns, name)
    else:
        if _count(rows) >= XLSX_MAX_ROWS:
            message = gettext(
                "This list has more rows than a spreadsheet holds. Narrow it down, or download "
                "it as CSV."
            )
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        # A file of its own, removed when closed: FileResponse closes it after sending.
        handle = tempfile.TemporaryFile(suffix=".xlsx")
        try:
            count = write_xlsx(rows, columns, handle, sheet=filename)
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        response = FileResponse(
            handle,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        _attachment(response, name)
    _log(user, list_name=list_name, fmt=fmt, filters=filters or {}, count=count)
    # Streamed and file responses are responses like any other to Django; views are typed as
    # returning HttpResponse.
    return cast(HttpResponse, response)


def _log(
    user: User, *, list_name: str, fmt: str, filters: Mapping[str, object], count: int
) -> None:
    with transaction.atomic():
        log_action(
            acting_user=user,
            action="core.export.downloaded",
            object_type="core.export",
            object_id=list_name,
            region_path=user.region.path if user.region is not None else "",
            after={"list": list_name, "format": fmt, "filters": dict(filters), "rows": count},
        )
