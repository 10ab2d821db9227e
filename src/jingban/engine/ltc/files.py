"""The files of ``jingban ltc level`` and ``jingban ltc settle`` (UTF-8 CSV with a header row).

``level``: one assessment a row (``assessment_id`` and the 17 item columns of the standard, in
any order); out, one row per assessment with its totals, bands and level, or ``rejected`` and
the reason. The file is read and written one row at a time: a million assessments never need
a million objects.

``settle``: one unit of service a row (``SERVICE_COLUMNS``, optionally ``billed`` and
``dementia``); out, one statement per person and month. A person's rows may be anywhere in the
file: they are grouped on disk first (``engine.external_sort``, shared with the medical batch),
then each person is settled as soon as their rows come out of the merge, so memory is one block
and one person's month whatever the size of the file. Statements come in the order of person
ids (as text).

A bad row never stops the others: it goes to the errors file with its line (the header is line
1), the column at fault, a stable code and a message. In ``settle``, the rows the engine does
not pay (over the quota, a day in hospital …) go there too, after the rows that could not be
read, with their line; they count in their person's ``rejected_count``. A row that could not be
read belongs to no statement. Only a problem with the file as a whole (unreadable, not UTF-8, a
column missing, a column named twice) raises ``FileProblem``. Amounts are yuan with two
decimals.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TextIO

from jingban.engine import csvfiles
from jingban.engine.csvfiles import FileProblem
from jingban.engine.external_sort import SortedRuns
from jingban.engine.ltc.scoring import Grade, ScoreInvalid, grade, item_codes
from jingban.engine.ltc.settle import (
    GENERAL,
    PERSON_CATEGORIES,
    ROW_FORMS,
    PersonMonth,
    Rejection,
    ServiceRow,
    settle_month,
)
from jingban.engine.money import MoneyError, fen_to_yuan_text, parse_yuan
from jingban.engine.policy.families.ltc import LtcAssessmentRules, LtcRules
from jingban.engine.policy.loader import PackRef

ASSESSMENT_ID = "assessment_id"
LEVEL_COLUMNS = (
    "line",
    "assessment_id",
    "status",
    "adl_total",
    "cognition_total",
    "perception_total",
    "adl_band",
    "cognition_band",
    "perception_band",
    "level",
    "reason",
)
SERVICE_COLUMNS = (
    "person_id",
    "disability_level",
    "person_category",
    "care_form",
    "hospital_level",
    "service_date",
    "hours",
    "caregiver_id",
    "institution_id",
    "check_in",
    "check_out",
    "lat",
    "lon",
)
OPTIONAL_SERVICE_COLUMNS = ("billed", "dementia")
STATEMENT_COLUMNS = (
    "person_id",
    "month",
    "billed",
    "fund",
    "self_pay",
    "lines",
    "rejected_count",
    "reasons",
    "policy",
    "policy_hash",
)
ERROR_COLUMNS = ("line", "id", "field", "code", "message")

OK = "ok"
REJECTED = "rejected"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")


@dataclass(frozen=True, slots=True)
class RowError:
    """A row refused: its line, its id (assessment or person), the column at fault (empty for
    the row as a whole), a stable code, the English message and the parameters to say it in
    another language."""

    line: int
    id: str
    field: str
    code: str
    message: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)


Describe = Callable[[RowError], str]


def english(error: RowError) -> str:
    return error.message


class _Bad(Exception):
    def __init__(self, field: str, code: str, message: str, **params: object) -> None:
        self.field = field
        self.code = code
        self.params = params
        super().__init__(message)


def _rows(path: Path, needed: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str] | RowError]]:
    """``(line, cells)`` of each row, or ``(line, RowError)`` for a row of the wrong length."""
    with csvfiles.open_csv(path) as stream:
        try:
            records = csvfiles.records(stream, str(path))
            names = csvfiles.header(records, str(path), needed)
            for line, values in records:
                if len(values) != len(names):
                    yield (
                        line,
                        RowError(
                            line,
                            "",
                            "",
                            "row.column_count",
                            f"the row has {len(values)} values where the header has {len(names)}",
                            {"count": len(values), "expected": len(names)},
                        ),
                    )
                    continue
                yield line, {name: value.strip() for name, value in zip(names, values, strict=True)}
        except UnicodeDecodeError as err:
            line = csvfiles.first_line_not_utf8(path)
            raise FileProblem(
                "file.not_utf8", f"{path}: line {line} is not UTF-8", path=str(path), line=line
            ) from err


class ErrorWriter:
    """The errors file: one row per refused row."""

    def __init__(self, stream: TextIO | None, describe: Describe = english) -> None:
        self._writer = csv.writer(stream, lineterminator="\n") if stream is not None else None
        self._describe = describe
        if self._writer is not None:
            self._writer.writerow(ERROR_COLUMNS)

    def write(self, error: RowError) -> None:
        if self._writer is not None:
            self._writer.writerow(
                [error.line, error.id, error.field, error.code, self._describe(error)]
            )


# --- jingban ltc level -------------------------------------------------------------------------


@dataclass
class LevelSummary:
    rows: int = 0
    graded: int = 0
    refused: int = 0
    by_level: dict[int, int] = dataclasses.field(default_factory=dict)
    first_errors: list[RowError] = dataclasses.field(default_factory=list)


def grade_file(
    path: Path,
    rules: LtcAssessmentRules,
    out: TextIO,
    errors: TextIO | None = None,
    describe: Describe = english,
    *,
    shown_errors: int = 20,
) -> LevelSummary:
    """Grade every assessment of ``path`` by ``rules``, writing each result as it is read."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LEVEL_COLUMNS)
    error_writer = ErrorWriter(errors, describe)
    summary = LevelSummary()
    for line, cells in _rows(path, (ASSESSMENT_ID, *item_codes(rules))):
        summary.rows += 1
        result: Grade | RowError
        if isinstance(cells, RowError):
            result = cells
        else:
            result = _grade_row(rules, line, cells)
        if isinstance(result, RowError):
            summary.refused += 1
            error_writer.write(result)
            if len(summary.first_errors) < shown_errors:
                summary.first_errors.append(result)
            writer.writerow(
                [line, result.id, REJECTED, "", "", "", "", "", "", "", describe(result)]
            )
            continue
        summary.graded += 1
        level = int(result.level)
        summary.by_level[level] = summary.by_level.get(level, 0) + 1
        assert isinstance(cells, dict)
        writer.writerow(
            [
                line,
                cells[ASSESSMENT_ID],
                OK,
                result.adl_total,
                result.cognition_total,
                result.perception_total,
                result.adl_band.value,
                result.cognition_band.value,
                result.perception_band.value,
                level,
                "",
            ]
        )
    return summary


def _grade_row(rules: LtcAssessmentRules, line: int, cells: Mapping[str, str]) -> Grade | RowError:
    assessment_id = cells[ASSESSMENT_ID]
    if not assessment_id:
        return RowError(line, "", ASSESSMENT_ID, "row.required", "assessment_id is required")
    try:
        return grade(rules, cells)
    except ScoreInvalid as err:
        params = {k: v for k, v in err.params.items() if k != "item"}
        return RowError(line, assessment_id, err.item, err.code, str(err), params)


# --- jingban ltc settle ------------------------------------------------------------------------


def _required(cells: Mapping[str, str], name: str) -> str:
    value = cells[name]
    if not value:
        raise _Bad(name, "row.required", f"{name} is required")
    return value


def _date(value: str, name: str) -> dt.date:
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad(
            name, "ltc.bad_date", f"{value!r} is not a date written YYYY-MM-DD", value=value
        ) from None


def _datetime(cells: Mapping[str, str], name: str) -> dt.datetime | None:
    value = cells[name]
    if not value:
        return None
    try:
        if not _DATETIME.match(value):
            raise ValueError(value)
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(
            name,
            "ltc.bad_datetime",
            f"{value!r} is not a time written YYYY-MM-DD HH:MM",
            value=value,
        ) from None


def _decimal(
    cells: Mapping[str, str], name: str, code: str, low: Decimal, high: Decimal
) -> Decimal | None:
    value = cells[name]
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not low <= number <= high:
        raise _Bad(
            name,
            code,
            f"{value!r} is not a number from {low} to {high}",
            value=value,
            low=str(low),
            high=str(high),
        )
    return number


def _service(cells: Mapping[str, str], line: int) -> ServiceRow:
    person_id = _required(cells, "person_id")
    level_text = _required(cells, "disability_level")
    if level_text not in ("0", "1", "2", "3", "4", "5"):
        raise _Bad(
            "disability_level",
            "ltc.bad_level",
            f"{level_text!r} is not a disability level from 0 to 5",
            value=level_text,
        )
    category = cells["person_category"].lower() or GENERAL
    if category not in PERSON_CATEGORIES:
        raise _Bad(
            "person_category",
            "ltc.bad_category",
            f"{category!r} is not general or relief",
            value=cells["person_category"],
        )
    form = _required(cells, "care_form").lower()
    if form not in ROW_FORMS:
        raise _Bad(
            "care_form",
            "ltc.unknown_care_form",
            f"{form!r} is not a care form",
            value=cells["care_form"],
            choices=", ".join(ROW_FORMS),
        )
    hospital_text = cells["hospital_level"]
    if hospital_text not in ("", "1", "2", "3"):
        raise _Bad(
            "hospital_level",
            "ltc.bad_hospital_level",
            f"{hospital_text!r} is not a hospital level (1, 2 or 3)",
            value=hospital_text,
        )
    service_date = _date(_required(cells, "service_date"), "service_date")
    hours = _decimal(cells, "hours", "ltc.bad_hours", Decimal(0), Decimal(24))
    check_in = _datetime(cells, "check_in")
    check_out = _datetime(cells, "check_out")
    if check_in is not None and check_out is not None and check_out < check_in:
        raise _Bad(
            "check_out", "ltc.check_out_before_check_in", "the check-out is before the check-in"
        )
    lat = _decimal(cells, "lat", "ltc.bad_coordinate", Decimal(-90), Decimal(90))
    lon = _decimal(cells, "lon", "ltc.bad_coordinate", Decimal(-180), Decimal(180))
    billed: int | None = None
    if cells.get("billed"):
        try:
            billed = parse_yuan(cells["billed"])
        except MoneyError as err:
            raise _Bad("billed", err.code, str(err), value=cells["billed"]) from None
    dementia_text = cells.get("dementia", "")
    if dementia_text not in ("", "0", "1"):
        raise _Bad(
            "dementia", "ltc.bad_flag", f"{dementia_text!r} is not 0 or 1", value=dementia_text
        )
    return ServiceRow(
        person_id=person_id,
        disability_level=int(level_text),
        person_category=category,
        care_form=form,
        hospital_level=int(hospital_text) if hospital_text else None,
        service_date=service_date,
        hours=Fraction(hours) if hours is not None else Fraction(0),
        caregiver_id=cells["caregiver_id"],
        institution_id=cells["institution_id"],
        check_in=check_in,
        check_out=check_out,
        lat=float(lat) if lat is not None else None,
        lon=float(lon) if lon is not None else None,
        billed_fen=billed,
        dementia=dementia_text == "1",
        ref=str(line),
    )


def service_rows(path: Path) -> Iterator[tuple[int, ServiceRow | RowError]]:
    """The rows of a services file one at a time, in file order."""
    for line, cells in _rows(path, SERVICE_COLUMNS):
        if isinstance(cells, RowError):
            yield line, cells
            continue
        try:
            yield line, _service(cells, line)
        except _Bad as err:
            yield (
                line,
                RowError(line, cells["person_id"], err.field, err.code, str(err), err.params),
            )


@dataclass
class SettleSummary:
    rows: int = 0
    people: int = 0
    unreadable: int = 0
    rejected: int = 0
    billed_fen: int = 0
    fund_fen: int = 0
    self_pay_fen: int = 0
    first_errors: list[RowError] = dataclasses.field(default_factory=list)

    @property
    def refused(self) -> int:
        return self.unreadable + self.rejected


def rejection_error(rejection: Rejection) -> RowError:
    line = int(rejection.row.ref) if rejection.row.ref.isdigit() else 0
    return RowError(
        line, rejection.row.person_id, "", rejection.code, rejection.message, rejection.params
    )


def settle_file(
    path: Path,
    rules: LtcRules,
    month: dt.date,
    out: TextIO,
    errors: TextIO | None = None,
    describe: Describe = english,
    *,
    ref: PackRef | None = None,
    workdir: Path | None = None,
    shown_errors: int = 20,
    run_size: int | None = None,
) -> SettleSummary:
    """Settle the services of ``path`` for ``month`` by ``rules``: statements to ``out``, the
    rows refused to ``errors``. The grouping runs are written in ``workdir`` (a private
    temporary folder inside it) and removed at the end."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STATEMENT_COLUMNS)
    error_writer = ErrorWriter(errors, describe)
    summary = SettleSummary()

    def refuse(error: RowError) -> None:
        error_writer.write(error)
        if len(summary.first_errors) < shown_errors:
            summary.first_errors.append(error)

    with tempfile.TemporaryDirectory(prefix=".ltc-settle-", dir=workdir) as folder:
        runs: SortedRuns[tuple[str, int, ServiceRow]] = (
            SortedRuns(Path(folder), "services")
            if run_size is None
            else SortedRuns(Path(folder), "services", run_size)
        )
        for line, item in service_rows(path):
            summary.rows += 1
            if isinstance(item, RowError):
                summary.unreadable += 1
                refuse(item)
            else:
                runs.add((item.person_id, line, item))
        rows = (row for _, _, row in runs.merged())
        for person in settle_month(rules, month, rows, sorted_by_person=True):
            summary.people += 1
            summary.rejected += len(person.rejected)
            summary.billed_fen += person.billed_fen
            summary.fund_fen += person.fund_fen
            summary.self_pay_fen += person.self_pay_fen
            for rejection in person.rejected:
                refuse(rejection_error(rejection))
            writer.writerow(statement_row(person, ref))
    return summary


def statement_row(person: PersonMonth, ref: PackRef | None = None) -> list[object]:
    reasons = sorted({rejection.code for rejection in person.rejected})
    return [
        person.person_id,
        person.month.strftime("%Y-%m"),
        fen_to_yuan_text(person.billed_fen),
        fen_to_yuan_text(person.fund_fen),
        fen_to_yuan_text(person.self_pay_fen),
        len(person.lines),
        len(person.rejected),
        ";".join(reasons),
        str(ref) if ref is not None else "",
        ref.hash if ref is not None else "",
    ]


def parse_month(text: str) -> dt.date:
    """``2026-05`` → 2026-05-01; ``ValueError`` otherwise."""
    if not re.fullmatch(r"\d{4}-\d{2}", text.strip()):
        raise ValueError(text)
    year, month = text.strip().split("-")
    return dt.date(int(year), int(month), 1)


__all__ = [
    "ERROR_COLUMNS",
    "LEVEL_COLUMNS",
    "SERVICE_COLUMNS",
    "STATEMENT_COLUMNS",
    "FileProblem",
    "LevelSummary",
    "RowError",
    "SettleSummary",
    "grade_file",
    "parse_month",
    "service_rows",
    "settle_file",
]
