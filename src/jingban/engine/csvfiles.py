"""CSV files for the engine's batch commands (``jingban adjudicate``, ``jingban ltc``): reading
a UTF-8 file with a header row, record by record with its line, and writing several output
files that appear together or not at all.

Only a problem with a file as a whole (it cannot be read or written, is not UTF-8, is not CSV,
lacks a column or names one twice) raises ``FileProblem``, with a stable code and the
parameters a caller needs to say it in the user's language; a bad row is the reader's to
report.
"""

from __future__ import annotations

import codecs
import csv
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TextIO, TypeVar

from jingban.engine.errors import CodedError

_Parsed = TypeVar("_Parsed")


class FileProblem(CodedError):
    """A file that cannot be used at all (unreadable, not UTF-8, a column missing …)."""


# Reading ----------------------------------------------------------------------------------------


def open_csv(path: Path) -> TextIO:
    try:
        # utf-8-sig takes off the byte-order mark spreadsheets like to write, if there is one.
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as err:
        raise FileProblem(
            "file.unreadable",
            f"{path}: cannot be read ({err.strerror or err})",
            path=str(path),
            error=err.strerror or str(err),
            errno=err.errno,
        ) from err


def read_file(path: Path, parse: Callable[[TextIO, str], _Parsed]) -> _Parsed:
    with open_csv(path) as stream:
        try:
            return parse(stream, str(path))
        except UnicodeDecodeError as err:
            line = first_line_not_utf8(path)
            raise FileProblem(
                "file.not_utf8", f"{path}: line {line} is not UTF-8", path=str(path), line=line
            ) from err


def first_line_not_utf8(path: Path) -> int:
    """The decoder reads ahead in blocks, so its error does not say which line is bad."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    number = 1
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return number  # a character cut off at the end of the file


def records(stream: TextIO, path: str) -> Iterator[tuple[int, list[str]]]:
    """``(first line, values)`` of each record, blank lines left out."""
    reader = csv.reader(stream)
    line = 1
    try:
        for values in reader:
            if any(v.strip() for v in values):
                yield line, values
            line = reader.line_num + 1
    except csv.Error as err:
        raise FileProblem(
            "file.bad_csv", f"{path}: line {line}: {err}", path=path, line=line, error=str(err)
        ) from err


def header(records: Iterator[tuple[int, list[str]]], path: str, needed: Iterable[str]) -> list[str]:
    first = next(records, None)
    if first is None:
        raise FileProblem("file.empty", f"{path}: the file is empty, not even a header", path=path)
    # A text stream may still carry the byte-order mark that utf-8-sig takes off a file.
    names = [name.strip().lower().lstrip("\ufeff") for name in first[1]]
    twice = sorted({name for name in names if name and names.count(name) > 1})
    if twice:
        raise FileProblem(
            "file.duplicate_columns",
            f"{path}: the header names {', '.join(twice)} more than once",
            path=path,
            columns=", ".join(twice),
        )
    missing = [name for name in needed if name not in names]
    if missing:
        raise FileProblem(
            "file.missing_columns",
            f"{path}: the header lacks {', '.join(missing)}",
            path=path,
            columns=", ".join(missing),
        )
    return names


# Writing ----------------------------------------------------------------------------------------


class AtomicFiles:
    """Output files that appear together or not at all.

    ``open(path)`` gives a stream onto a temporary file beside ``path``; ``commit()`` renames
    them all into place. Leaving the ``with`` block without committing removes them.
    """

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path, TextIO]] = []

    def __enter__(self) -> AtomicFiles:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.discard()

    def open(self, path: Path) -> TextIO:
        if path.is_dir():
            raise FileProblem(
                "file.is_directory", f"{path} is a directory, not a file", path=str(path)
            )
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            stream = temporary.open("x", encoding="utf-8", newline="")
        except OSError as err:
            raise FileProblem(
                "file.unwritable",
                f"{path}: cannot be written ({err.strerror or err})",
                path=str(path),
                error=err.strerror or str(err),
                errno=err.errno,
            ) from err
        self._files.append((path, temporary, stream))
        return stream

    def commit(self) -> None:
        for _, _, stream in self._files:
            stream.close()
        for path, temporary, _ in self._files:
            os.replace(temporary, path)
        self._files.clear()

    def discard(self) -> None:
        for _, temporary, stream in self._files:
            stream.close()
            temporary.unlink(missing_ok=True)
        self._files.clear()
