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
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Generic, TextIO, TypeVar

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

# Claims sorted in memory before a run is written: about 40 MB of claims and their keys.
RUN_SIZE = 50_000
# Items pickled together in a run, so reading a run back holds one block, not the run.
_BLOCK = 1_000
# The refusals kept for the command's summary on stderr (the errors file lists them all).
SHOWN_REFUSALS = 20

_Item = TypeVar("_Item", bound=tuple[object, ...])


class SortedRuns(Generic[_Item]):
    """Tuples sorted on disk (an external merge sort).

    ``add`` keeps items in memory up to ``run_size``, then sorts them and writes them as a run
    in ``folder``; ``merged`` gives every item in order, reading each run back one block at a
    time. When everything fits in one run nothing is written at all. Items must be totally
    ordered by their leading fields (a line number at the end keeps them apart), and are
    pickled: the runs live in a private folder of this process and are read only by it.
    """

    def __init__(self, folder: Path, name: str, run_size: int = RUN_SIZE) -> None:
        self._folder = folder
        self._name = name
        self._run_size = max(run_size, 1)
        self._items: list[_Item] = []
        self._runs: list[Path] = []

    @property
    def runs(self) -> int:
        """Runs written to disk so far."""
        return len(self._runs)

    def add(self, item: _Item) -> None:
        self._items.append(item)
        if len(self._items) >= self._run_size:
            self._spill()

    def _spill(self) -> None:
        self._items.sort()
        path = self._folder / f"{self._name}-{len(self._runs):05d}.run"
        with path.open("wb") as stream:
            for start in range(0, len(self._items), _BLOCK):
                pickle.dump(self._items[start : start + _BLOCK], stream, pickle.HIGHEST_PROTOCOL)
        self._runs.append(path)
        self._items = []

    def merged(self) -> Iterator[_Item]:
        if not self._runs:
            self._items.sort()
            items, self._items = self._items, []
            yield from items
            return
        if self._items:
            self._spill()
        streams = [path.open("rb") for path in self._runs]
        try:
            yield from heapq.merge(*(_read_run(stream) for stream in streams))
        finally:
            for stream in streams:
                stream.close()


def _read_run(stream: IO[bytes]) -> Iterator[_Item]:
    while True:
        try:
            # Written by this process into its own private folder a moment ago.
            block = pickle.load(stream)  # noqa: S301
        except EOFError:
            return
        yield from block


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
