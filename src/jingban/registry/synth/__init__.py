"""The synthetic city (合成城市): a deterministic, realistic population for the demo, tests and
benchmarks — persons with valid documents, households, enrollment and special groups, drawn from
the shares in ``data/city.toml``.

``generate_city(persons, seed)`` generates it and loads it into the registry (PostgreSQL, COPY,
one transaction), or writes Parquet files with ``out=DIR``. The same persons and seed always give
the same content digest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from jingban.core.plugins import SynthContext, SynthOutcome
from jingban.registry.synth.digest import city_digest, digests, table_digest
from jingban.registry.synth.generate import TABLES, generate_frames, generate_tables

if TYPE_CHECKING:
    from jingban.core.models import User

__all__ = ["TABLES", "SynthResult", "city_loaded", "generate_city", "generate_for_platform"]


@dataclass(frozen=True)
class SynthResult:
    """What a generation produced: rows per table, the content digest, and how long it took."""

    persons: int
    seed: int
    counts: dict[str, int]
    digest: str
    seconds: float
    out: Path | None = None
    table_digests: dict[str, str] = field(default_factory=dict)
    # Seconds per phase of the load ("generate", "copy persons", "index enrollments", "commit" …).
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def persons_per_second(self) -> float:
        return self.persons / self.seconds if self.seconds > 0 else float("inf")


def _reason(persons: int, seed: int) -> str:
    return f"synthetic city: persons={persons} seed={seed}"


class _Tally:
    """Progress in rows, the generation counting as ``persons`` rows. The generating thread only
    records that the city is drawn (and so the total); reports go out from the thread that
    called ``generate_city``, between the loader's statements, once the total is known."""

    def __init__(self, progress: Callable[[int, int], None] | None) -> None:
        self._progress = progress
        self._lock = threading.Lock()
        self._done = 0
        self._total: int | None = None

    def drawn(self, persons: int, counts: dict[str, int]) -> None:
        with self._lock:
            self._total = persons + sum(n for name, n in counts.items() if name != "regions")
            self._done += persons

    def add(self, rows: int) -> None:
        with self._lock:
            self._done += rows
            done, total = self._done, self._total
        if self._progress and total is not None:
            self._progress(done, total)


class _Stopped(Exception):
    """The load failed: the generating thread stops at the next table."""


class _Arriving(Mapping[str, pl.DataFrame]):
    """The frames of a city as a background thread draws them: a lookup waits for its frame (and
    raises what the generator raised)."""

    def __init__(self) -> None:
        self._frames: dict[str, Future[pl.DataFrame]] = {name: Future() for name in TABLES}

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self._frames[name].result()

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)

    def put(self, name: str, frame: pl.DataFrame) -> None:
        self._frames[name].set_result(frame)

    def fail(self, error: BaseException) -> None:
        for pending in self._frames.values():
            if not pending.done():
                pending.set_exception(error)


def _load(
    persons: int,
    seed: int,
    *,
    tally: _Tally,
    acting_user: User | None,
    phases: dict[str, float],
) -> tuple[dict[str, int], dict[str, str]]:
    """Draw the city in a background thread and load each table as soon as it is drawn; each
    table's digest is computed in another thread meanwhile. Returns the counts and digests."""
    from jingban.registry.synth.load import load_frames

    arriving = _Arriving()
    stop = threading.Event()
    persons_sent = threading.Event()
    table_digests: dict[str, Future[str]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:

        def copied(name: str) -> None:
            # Called once the table's rows are sent, while PostgreSQL builds its indexes and the
            # loader waits: computed earlier, the digest would compete with the COPY for the CPU.
            table_digests[name] = pool.submit(table_digest, name, arriving[name])
            if name == "persons":
                persons_sent.set()

        def produce() -> None:
            started = time.perf_counter()
            counts: dict[str, int] = {}
            try:
                for name, frame in generate_tables(persons, seed):
                    if stop.is_set():
                        raise _Stopped
                    counts[name] = frame.height
                    arriving.put(name, frame)
                    if name == "persons":
                        # The rest is drawn while the persons' indexes are built, when the CPU
                        # is idle, rather than beside their COPY, the longest but one.
                        paused = time.perf_counter()
                        persons_sent.wait()
                        started += time.perf_counter() - paused
                        if stop.is_set():
                            raise _Stopped
            except BaseException as error:
                arriving.fail(error)
                raise
            phases["generate"] = time.perf_counter() - started
            tally.drawn(persons, counts)

        producing = pool.submit(produce)

        def digests_of_tables() -> dict[str, str]:
            producing.result()
            for name in TABLES:
                if name not in table_digests:
                    copied(name)
            return {name: table_digests[name].result() for name in TABLES}

        try:
            counts = load_frames(
                arriving,
                persons=persons,
                table_digests=digests_of_tables,
                reason=_reason(persons, seed),
                acting_user=acting_user,
                progress=tally.add,
                phases=phases,
                copied=copied,
            )
        except BaseException:
            stop.set()
            persons_sent.set()
            raise
        return {"regions": arriving["regions"].height, **counts}, digests_of_tables()


def generate_city(
    persons: int,
    seed: int,
    *,
    out: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    acting_user: User | None = None,
) -> SynthResult:
    """Generate a city of ``persons`` persons from ``seed``; write it to Parquet files under
    ``out``, or, when ``out`` is None, load it into the registry as ``acting_user`` (None: the
    system). ``progress(done, total)`` is called from the calling thread as work advances, in
    rows (generation counts as ``persons`` rows): table by table once the whole city is drawn,
    never during a COPY, so it may use the database. Raises ``ValueError`` for fewer than one
    person or a negative seed, and ``load.CityAlreadyLoaded`` when the registry already holds a
    synthetic city. ``SynthResult.phases`` tells where the time went (the generation overlaps the
    load)."""
    if persons < 1:
        raise ValueError("a city needs at least one person")
    if seed < 0:
        raise ValueError("the seed must not be negative")
    started = time.perf_counter()
    phases: dict[str, float] = {"generate": 0.0}
    tally = _Tally(progress)
    if out is None:
        counts, tables = _load(persons, seed, tally=tally, acting_user=acting_user, phases=phases)
    else:
        from jingban.registry.synth.files import write_city

        frames = generate_frames(persons, seed)
        phases["generate"] = time.perf_counter() - started
        counts = {name: frame.height for name, frame in frames.items()}
        tally.drawn(persons, counts)
        tally.add(0)
        clock = time.perf_counter()
        _digest, tables = digests(frames)
        phases["digest"] = time.perf_counter() - clock
        clock = time.perf_counter()
        write_city(
            out,
            frames,
            manifest={
                "persons": persons,
                "seed": seed,
                "counts": counts,
                "digest": city_digest(tables),
                "tables": tables,
            },
        )
        phases["write"] = time.perf_counter() - clock
        tally.add(sum(n for name, n in counts.items() if name != "regions"))
    return SynthResult(
        persons=persons,
        seed=seed,
        counts=counts,
        digest=city_digest(tables),
        seconds=time.perf_counter() - started,
        out=out,
        table_digests=tables,
        phases=phases,
    )


def city_loaded() -> bool:
    """Whether a synthetic city was loaded into this registry: its load writes one summary row
    per table to the action log (``registry.household.imported``, the reason naming the city).
    A second city would collide with the first's households (see ``load``)."""
    from jingban.core.models import ActionLog

    return ActionLog.objects.filter(
        action="registry.household.imported", reason__startswith=_reason_prefix()
    ).exists()


def _reason_prefix() -> str:
    return _reason(0, 0).split(":", 1)[0] + ":"


def generate_for_platform(ctx: SynthContext) -> SynthOutcome:
    """The registry's part of ``jingban synth`` (declared in the registry's plugin)."""
    result = generate_city(
        ctx.persons, ctx.seed, out=ctx.out, progress=ctx.progress, acting_user=ctx.acting_user
    )
    return SynthOutcome(
        name="registry",
        counts=result.counts,
        digest=result.digest,
        seconds=result.seconds,
        details={"persons_per_second": round(result.persons_per_second)},
    )
