"""Tuples sorted on disk (an external merge sort), for the engine's batch files: the medical
claims file and the LTC services file are grouped by person on disk before they are settled, so
the memory used does not grow with the file.
"""

from __future__ import annotations

import heapq
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Generic, TypeVar

# Claims sorted in memory before a run is written: about 40 MB of claims and their keys.
RUN_SIZE = 50_000
# Items pickled together in a run, so reading a run back holds one block, not the run.
_BLOCK = 1_000

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
