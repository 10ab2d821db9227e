"""The files of ``jingban adjudicate``: claims in, results, explanation lines, errors and
accumulators out (UTF-8 CSV with a header row).

Reading a claims file never stops at a bad row: the row becomes a ``Refusal`` naming its line
(the header is line 1), the field and a stable code. Only a problem with the file as a whole — it
cannot be read, is not UTF-8, lacks a column — raises ``FileProblem``. Amounts are yuan with at
most two decimals on the way in and out; accumulators are the engine's integers (fen, or a count
for ``visits:*``), so nothing is rounded when a year is carried from one file to the next.

The writers (``ResultWriter``, ``ExplanationWriter``, ``ErrorWriter``, ``AccumulatorWriter``)
take one row or person-year at a time, so a large file is written as it is settled
(``jingban.engine.medical.stream``). Output goes through ``AtomicFiles``: each file is written
beside its target under a temporary name and renamed only when every file is complete, so a
failure leaves no half-written file.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import TextIO, TypeVar

from jingban.engine import csvfiles
from jingban.engine.codes import PERSON_CATEGORIES, Condition, CrossRegion, VisitType
from jingban.engine.csvfiles import FileProblem
from jingban.engine.errors import FieldError
from jingban.engine.medical.batch import AMOUNTS, BatchResult, Outcome, PersonYear, Refusal
from jingban.engine.medical.cascade import Adjudication
from jingban.engine.medical.claim import Claim, YearToDate
from jingban.engine.money import MoneyError, fen_to_yuan_text, parse_yuan

CLAIM_COLUMNS = (
    "claim_id",
    "person_id",
    "visit_type",
    "condition",
    "hospital_level",
    "service_date",
    "discharge_date",
    "total",
    "out_of_scope",
    "class_b",
    "person_category",
    "cross_region",
)
RESULT_COLUMNS = ("line", "claim_id", "status", "reason", *AMOUNTS, "policy", "policy_hash")
EXPLANATION_COLUMNS = (
    "claim_id",
    "seq",
    "layer",
    "code",
    "label",
    "rule",
    "base",
    "amount",
    "payment",
)
ERROR_COLUMNS = ("line", "claim_id", "field", "code", "message")
ACCUMULATOR_COLUMNS = ("person_id", "year", "counter", "value")

_Code = TypeVar("_Code", bound=StrEnum)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNT = re.compile(r"^\d+$")


@dataclass(frozen=True)
class ClaimsFile:
    """What a claims file holds: the rows that make a claim, and the rows refused."""

    rows: list[tuple[int, Claim]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows) + len(self.refused)


class _BadField(FieldError):
    def __init__(self, field: str, code: str, message: str, **params: object) -> None:
        super().__init__(code, field, message, **params)


# Reading ----------------------------------------------------------------------------------------


def read_claims(path: Path) -> ClaimsFile:
    """The claims of a CSV file (UTF-8, with or without a byte-order mark).

    Every column of ``CLAIM_COLUMNS`` must be in the header; other columns are ignored. Empty
    cells mean: no condition, no discharge date, 0 out of scope and class B, the ``general``
    category and ``local`` treatment. Raises ``FileProblem`` for the file as a whole.
    """
    return csvfiles.read_file(path, parse_claims)


def parse_claims(stream: TextIO, source: str = "<claims>") -> ClaimsFile:
    """The whole of a claims stream in memory (small files, tests); ``claim_rows`` streams."""
    result = ClaimsFile()
    for line, item in iter_claims(stream, source):
        if isinstance(item, Refusal):
            result.refused.append(item)
        else:
            result.rows.append((line, item))
    return result


def claim_rows(path: Path) -> Iterator[tuple[int, Claim | Refusal]]:
    """The rows of a claims file one at a time, as ``iter_claims`` gives them. A problem with
    the file as a whole (header, encoding, CSV) raises ``FileProblem`` when it is met: the
    header's before the first row, an encoding error maybe after many rows."""
    with csvfiles.open_csv(path) as stream:
        try:
            yield from iter_claims(stream, str(path))
        except UnicodeDecodeError as err:
            line = csvfiles.first_line_not_utf8(path)
            raise FileProblem(
                "file.not_utf8", f"{path}: line {line} is not UTF-8", path=str(path), line=line
            ) from err


def iter_claims(stream: TextIO, source: str = "<claims>") -> Iterator[tuple[int, Claim | Refusal]]:
    """``(line, claim)`` for each row that makes a claim, ``(line, refusal)`` for each that does
    not, in the order of the file. The header is read at the first step."""
    records = csvfiles.records(stream, source)
    names = csvfiles.header(records, source, CLAIM_COLUMNS)
    # A row may leave out trailing columns the engine does not read, nothing more.
    needed = 1 + max(names.index(name) for name in CLAIM_COLUMNS)
    for line, values in records:
        cells = dict(zip(names, values, strict=False))
        claim_id = cells.get("claim_id", "").strip()
        if not needed <= len(values) <= len(names):
            yield (
                line,
                Refusal(
                    line,
                    claim_id,
                    "",
                    "row.column_count",
                    f"the row has {len(values)} values where the header has {len(names)}",
                    {"count": len(values), "expected": len(names)},
                ),
            )
            continue
        try:
            yield line, _claim(cells)
        except _BadFields as err:
            first, *others = (
                Refusal(line, claim_id, bad.field, bad.code, str(bad), bad.params)
                for bad in err.fields
            )
            yield line, replace(first, also=tuple(others))


def _required(cells: Mapping[str, str], name: str) -> str:
    value = cells[name].strip()
    if not value:
        raise _BadField(name, "claim.required", "is required")
    return value


def _choice(
    cells: Mapping[str, str], name: str, kind: type[_Code], code: str, default: str | None = None
) -> _Code | None:
    value = cells[name].strip().lower()
    if not value:
        if default is None:
            return None
        value = default
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise _BadField(
            name,
            code,
            f"{value!r} is not one of {choices}",
            value=cells[name].strip(),
            choices=choices,
        ) from None


def _date(cells: Mapping[str, str], name: str, *, required: bool) -> dt.date | None:
    value = cells[name].strip()
    if not value:
        if required:
            raise _BadField(name, "claim.required", "is required")
        return None
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _BadField(
            name, "claim.bad_date", f"{value!r} is not a date written YYYY-MM-DD", value=value
        ) from None


def _amount(cells: Mapping[str, str], name: str, *, required: bool) -> int:
    value = cells[name].strip()
    if not value and not required:
        return 0
    try:
        return parse_yuan(value)
    except MoneyError as err:
        raise _BadField(name, err.code, str(err), value=value) from None


class _BadFields(Exception):
    """Every bad column of one row, in the order of ``CLAIM_COLUMNS``."""

    def __init__(self, fields: list[_BadField]) -> None:
        self.fields = fields
        super().__init__("; ".join(str(f) for f in fields))


_T = TypeVar("_T")


def _visit_type(cells: Mapping[str, str]) -> VisitType | None:
    _required(cells, "visit_type")
    return _choice(cells, "visit_type", VisitType, "claim.bad_visit_type")


def _level(cells: Mapping[str, str]) -> int:
    level_text = _required(cells, "hospital_level")
    if level_text not in ("1", "2", "3"):
        raise _BadField("hospital_level", "claim.bad_level", "must be 1, 2 or 3", value=level_text)
    return int(level_text)


def _category(cells: Mapping[str, str]) -> str:
    category = cells["person_category"].strip().lower() or "general"
    if category not in PERSON_CATEGORIES:
        choices = ", ".join(PERSON_CATEGORIES)
        raise _BadField(
            "person_category",
            "claim.bad_category",
            f"{category!r} is not one of {choices}",
            value=cells["person_category"].strip(),
            choices=choices,
        )
    return category


def _claim(cells: Mapping[str, str]) -> Claim:
    """The claim of a row, or ``_BadFields`` naming every bad column of it (not only the
    first): whoever fixes the file fixes the row once."""
    bad: list[_BadField] = []

    def take(parse: Callable[[], _T]) -> _T | None:
        try:
            return parse()
        except _BadField as err:
            bad.append(err)
            return None

    claim_id = take(lambda: _required(cells, "claim_id"))
    person_id = take(lambda: _required(cells, "person_id"))
    visit_type = take(lambda: _visit_type(cells))
    condition = take(lambda: _choice(cells, "condition", Condition, "claim.bad_condition"))
    level = take(lambda: _level(cells))
    service_date = take(lambda: _date(cells, "service_date", required=True))
    discharge_date = take(lambda: _date(cells, "discharge_date", required=False))
    total = take(lambda: _amount(cells, "total", required=True))
    out_of_scope = take(lambda: _amount(cells, "out_of_scope", required=False))
    class_b = take(lambda: _amount(cells, "class_b", required=False))
    category = take(lambda: _category(cells))
    cross_region = take(
        lambda: _choice(cells, "cross_region", CrossRegion, "claim.bad_cross_region", "local")
    )
    if bad:
        raise _BadFields(bad)
    assert claim_id is not None and person_id is not None and category is not None
    assert visit_type is not None and cross_region is not None and service_date is not None
    assert level is not None and total is not None
    assert out_of_scope is not None and class_b is not None
    return Claim(
        claim_id=claim_id,
        person_id=person_id,
        visit_type=visit_type,
        hospital_level=level,
        service_date=service_date,
        total=total,
        out_of_scope=out_of_scope,
        class_b=class_b,
        discharge_date=discharge_date,
        condition=condition,
        person_category=category,
        cross_region=cross_region,
    )


def read_accumulators(path: Path) -> dict[PersonYear, YearToDate]:
    """Accumulators written by ``write_accumulators``. Any bad row is a ``FileProblem``: a
    figure carried wrong would settle every later claim of the person wrong."""
    return csvfiles.read_file(path, parse_accumulators)


def parse_accumulators(
    stream: TextIO, source: str = "<accumulators>"
) -> dict[PersonYear, YearToDate]:
    records = csvfiles.records(stream, source)
    names = csvfiles.header(records, source, ACCUMULATOR_COLUMNS)
    counters: dict[PersonYear, dict[str, int]] = {}
    for line, values in records:
        cells = dict(zip(names, (v.strip() for v in values), strict=False))
        if len(values) != len(names):
            raise FileProblem(
                "accumulators.column_count",
                f"{source}: line {line} has {len(values)} values where the header has {len(names)}",
                path=source,
                line=line,
                count=len(values),
                expected=len(names),
            )
        for name in ACCUMULATOR_COLUMNS:
            text = cells[name]
            if not text or (name in ("year", "value") and not _COUNT.match(text)):
                raise FileProblem(
                    "accumulators.bad_row",
                    f"{source}: line {line}: {name} {text!r} is not valid",
                    path=source,
                    line=line,
                    field=name,
                    value=text,
                )
        key = (cells["person_id"], int(cells["year"]))
        person = counters.setdefault(key, {})
        if cells["counter"] in person:
            raise FileProblem(
                "accumulators.duplicate",
                f"{source}: line {line} repeats {cells['counter']} of {key[0]} in {key[1]}",
                path=source,
                line=line,
                counter=cells["counter"],
                person_id=key[0],
                year=key[1],
            )
        person[cells["counter"]] = int(cells["value"])
    return {key: YearToDate(*key, values) for key, values in counters.items()}


# Writing ----------------------------------------------------------------------------------------


def _english(refusal: Refusal) -> str:
    return "; ".join(problem.message for problem in refusal.problems)


class ResultWriter:
    """Results row by row: the input line and claim id, then the layers in yuan, or why the
    row was refused."""

    def __init__(self, stream: TextIO, describe: Callable[[Refusal], str] = _english) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")
        self._describe = describe
        self._writer.writerow(RESULT_COLUMNS)

    def write(self, outcome: Outcome) -> None:
        adjudication = outcome.adjudication
        if adjudication is not None:
            amounts = [fen_to_yuan_text(getattr(adjudication, name)) for name in AMOUNTS]
            policy = "+".join(str(ref) for ref in adjudication.packs)
            hashes = "+".join(ref.hash for ref in adjudication.packs)
            self._writer.writerow(
                (outcome.line, outcome.claim_id, "ok", "", *amounts, policy, hashes)
            )
        else:
            assert outcome.refusal is not None
            reason = self._describe(outcome.refusal)
            blanks = [""] * (len(AMOUNTS) + 2)
            self._writer.writerow((outcome.line, outcome.claim_id, "rejected", reason, *blanks))


def write_results(
    stream: TextIO, result: BatchResult, describe: Callable[[Refusal], str] = _english
) -> None:
    """One row per input row of an in-memory batch, in input order."""
    writer = ResultWriter(stream, describe)
    for outcome in result.outcomes:
        writer.write(outcome)


class ExplanationWriter:
    """Explanation lines written claim by claim, as they are settled: a batch need not keep
    millions of lines in memory to write them at the end."""

    def __init__(self, stream: TextIO, language: str = "en") -> None:
        self._writer = csv.writer(stream, lineterminator="\n")  # plain: there are many lines
        self._language = language
        self._writer.writerow(EXPLANATION_COLUMNS)

    def write(self, adjudication: Adjudication) -> None:
        claim_id = adjudication.claim.claim_id
        language = self._language
        self._writer.writerows(
            (
                claim_id,
                seq,
                line.layer,
                line.code,
                line.texts.label(language),
                line.texts.rule(language),
                "" if line.base is None else fen_to_yuan_text(line.base),
                fen_to_yuan_text(line.amount),
                "true" if line.payment else "false",
            )
            for seq, line in enumerate(adjudication.lines, start=1)
        )


def write_explanation(stream: TextIO, result: BatchResult, language: str = "en") -> None:
    """The explanation lines of every settled claim of ``result`` (which kept its lines), in
    input order."""
    writer = ExplanationWriter(stream, language)
    for adjudication in result.settled:
        writer.write(adjudication)


class ErrorWriter:
    """The refused rows, one by one: line, claim id, field, code and the message."""

    def __init__(self, stream: TextIO, describe: Callable[[Refusal], str] = _english) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")
        self._describe = describe
        self._writer.writerow(ERROR_COLUMNS)

    def write(self, refusal: Refusal) -> None:
        """One row per problem: a row refused for three columns has three."""
        self._writer.writerows(
            (
                problem.line,
                problem.claim_id,
                problem.field,
                problem.code,
                self._describe(problem),
            )
            for problem in refusal.problems
        )


def write_errors(
    stream: TextIO, result: BatchResult, describe: Callable[[Refusal], str] = _english
) -> None:
    writer = ErrorWriter(stream, describe)
    for refusal in result.refusals:
        writer.write(refusal)


class AccumulatorWriter:
    """Person-years' counters, one person-year at a time (give them in order: person id, then
    year), each counter by name, as integers."""

    def __init__(self, stream: TextIO) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")
        self._writer.writerow(ACCUMULATOR_COLUMNS)

    def write(self, ytd: YearToDate) -> None:
        counters = ytd.counters
        self._writer.writerows(
            (ytd.person_id, ytd.year, name, counters[name]) for name in sorted(counters)
        )


def write_accumulators(stream: TextIO, accumulators: Mapping[PersonYear, YearToDate]) -> None:
    """Every counter of every person-year, sorted, as integers."""
    writer = AccumulatorWriter(stream)
    for key in sorted(accumulators):
        writer.write(accumulators[key])
