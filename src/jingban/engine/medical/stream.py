"""Settling a claims file of any size (``jingban adjudicate``) in bounded memory.

A claim's figures depend only on the claims of the same person and year before it, so the file
is first grouped on disk: the rows are read once, each block of ``run_size`` claims is sorted by
``settlement_order`` and written to a temporary file (a *run*), and the runs are then read back
merged, one block of each at a time. Each person-year is settled as soon as its claims have come
out of the merge and its rows are written at once; nothing of it is kept afterwards. Memory is
that of one block and one person-year, whatever the size of the file.

Claim ids must be unique in the whole file, so the ids are grouped the same way (id, line) to
find the rows that repeat an earlier id; only those are held until the end.

The order of what is written follows from this (docs/medical-settlement.md states it): first the
rows that could not be read, in line order, as they are met; then person-year by person-year
(person id as text, then year), each in settlement order. The accumulators come in the same
person-year order. Every results and errors row names its input line.
"""

from __future__ import annotations

import heapq
import itertools
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from jingban.engine.external_sort import RUN_SIZE, SortedRuns
from jingban.engine.medical.batch import (
    AMOUNTS,
    Outcome,
    PersonYear,
    Refusal,
    SettlementKey,
    check_packs,
    settle_person_years,
    settlement_order,
)
from jingban.engine.medical.claim import Claim, YearToDate
from jingban.engine.medical.files import (
    AccumulatorWriter,
    ErrorWriter,
    ExplanationWriter,
    ResultWriter,
    claim_rows,
)
from jingban.engine.policy.loader import PolicyPack

# The refusals kept for the command's summary on stderr (the errors file lists them all).
SHOWN_REFUSALS = 20


@dataclass(frozen=True)
class Outputs:
    """Where ``settle_file`` writes: the results, and optionally the explanation lines, the
    errors and the accumulators; ``describe`` words a refusal, ``language`` the lines."""

    results: TextIO
    explanation: TextIO | None = None
    errors: TextIO | None = None
    accumulators: TextIO | None = None
    describe: Callable[[Refusal], str] = field(default=lambda refusal: refusal.message)
    language: str = "en"


@dataclass
class FileSummary:
    """What a claims file came to: rows read, settled and refused, fen per layer over the
    settled claims (and their ``total``), the first refusals by line, and how many runs the
    grouping wrote to disk (0 when the file fitted in one)."""

    rows: int = 0
    settled: int = 0
    refused: int = 0
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("total", *AMOUNTS), 0))
    first_refusals: list[Refusal] = field(default_factory=list)
    runs: int = 0


class _FirstRefusals:
    """The ``limit`` refusals with the smallest lines, whatever order they come in."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._heap: list[tuple[int, int, Refusal]] = []
        self._count = itertools.count()

    def add(self, refusal: Refusal) -> None:
        entry = (-refusal.line, next(self._count), refusal)
        if len(self._heap) < self._limit:
            heapq.heappush(self._heap, entry)
        elif self._limit and entry > self._heap[0]:
            heapq.heapreplace(self._heap, entry)

    def sorted(self) -> list[Refusal]:
        return sorted((entry[2] for entry in self._heap), key=lambda refusal: refusal.line)


class _Writers:
    def __init__(self, outputs: Outputs, summary: FileSummary, shown: int) -> None:
        self.results = ResultWriter(outputs.results, outputs.describe)
        self.lines = (
            ExplanationWriter(outputs.explanation, outputs.language)
            if outputs.explanation is not None
            else None
        )
        self.errors = (
            ErrorWriter(outputs.errors, outputs.describe) if outputs.errors is not None else None
        )
        self.accumulators = (
            AccumulatorWriter(outputs.accumulators) if outputs.accumulators is not None else None
        )
        self.summary = summary
        self.first = _FirstRefusals(shown)

    def write(self, outcome: Outcome) -> None:
        """One settled or refused row: its result, its explanation lines or its error."""
        self.results.write(outcome)
        adjudication = outcome.adjudication
        if adjudication is None:
            assert outcome.refusal is not None
            self.refused(outcome.refusal)
            return
        summary = self.summary
        summary.settled += 1
        totals = summary.totals
        totals["total"] += adjudication.total
        for name in AMOUNTS:
            totals[name] += getattr(adjudication, name)
        if self.lines is not None:
            self.lines.write(adjudication)

    def refused(self, refusal: Refusal) -> None:
        self.summary.refused += 1
        self.first.add(refusal)
        if self.errors is not None:
            self.errors.write(refusal)


def settle_file(
    path: Path,
    packs: Sequence[PolicyPack],
    accumulators: Mapping[PersonYear, YearToDate] | None,
    outputs: Outputs,
    *,
    workdir: Path | None = None,
    run_size: int = RUN_SIZE,
    shown_refusals: int = SHOWN_REFUSALS,
    on_person_year: Callable[[PersonYear], None] | None = None,
) -> FileSummary:
    """Settle the claims file at ``path`` and write ``outputs`` as it goes.

    The runs go to a temporary folder in ``workdir`` (the system's temporary folder when
    ``None``), removed at the end. ``on_person_year`` is called with each person-year once its
    rows are written. Raises ``PackSetError`` before reading when the packs cannot settle
    together, and ``FileProblem`` for the file as a whole (maybe after some rows were written:
    the caller writes through ``AtomicFiles`` so that nothing of them remains).
    """
    check_packs(packs)
    summary = FileSummary()
    writers = _Writers(outputs, summary, shown_refusals)
    with tempfile.TemporaryDirectory(prefix=".jingban-adjudicate-", dir=workdir) as folder:
        claims: SortedRuns[tuple[SettlementKey, Claim]] = SortedRuns(
            Path(folder), "claims", run_size
        )
        ids: SortedRuns[tuple[str, int]] = SortedRuns(Path(folder), "ids", run_size * 4)
        for line, item in claim_rows(path):
            summary.rows += 1
            if item.claim_id:
                ids.add((item.claim_id, line))
            if isinstance(item, Refusal):
                # A row that could not be read has no person-year: written at once, in order.
                writers.write(Outcome(line, item.claim_id, refusal=item))
            else:
                claims.add((settlement_order(line, item), item))
        duplicates = _repeated_ids(ids.merged())
        years = settle_person_years(
            ((key[-1], claim) for key, claim in claims.merged()),
            packs,
            accumulators,
            duplicates=duplicates,
            on_outcome=writers.write,
        )
        for year in years:
            if writers.accumulators is not None:
                writers.accumulators.write(year.accumulators)
            if on_person_year is not None:
                on_person_year(year.key)
        summary.runs = claims.runs + ids.runs
    summary.first_refusals = writers.first.sorted()
    return summary


def _repeated_ids(ids: Iterable[tuple[str, int]]) -> dict[int, int]:
    """For each row whose claim id was given on an earlier line, that first line."""
    repeated: dict[int, int] = {}
    current: str | None = None
    first = 0
    for claim_id, line in ids:
        if claim_id == current:
            repeated[line] = first
        else:
            current, first = claim_id, line
    return repeated
