"""Reading a pack from YAML: provenance notes, validation with file/line/path errors, the hash.

A figure may be written plainly (``ratio: 0.65``) or with its provenance::

    amount: {value: 800, sample: true, note: {zh: "…", en: "no source gives the deductible"}}

(layout 1 wrote the note as plain text; ``layouts`` reads both).

The notes are taken off before validation and kept beside the pack as ``figures``, so the typed
rules stay plain numbers while the docs can list every ``sample`` value. The content hash covers
the whole document, notes included, in a canonical form: reformatting or comments do not change
it; any figure or note does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jingban.engine.policy.errors import (
    PackError,
    Problem,
    header_problems,
    line_of,
    path_text,
    validation_problems,
)
from jingban.engine.policy.layouts import LayoutProblem, layout_of, parse_note, upgrade
from jingban.engine.policy.schema import (
    PACK_RULES,
    ContributionRules,
    DeskRules,
    Family,
    LtcAssessmentRules,
    LtcRules,
    MedicalRules,
    PackKind,
    PackRules,
    SupplementaryRules,
)

_NOTE_KEYS = frozenset({"value", "sample", "note", "source"})
# Numbers that name the pack or its layout rather than state policy: not figures.
_NOT_FIGURES = frozenset({("version",), ("schema",)})


@dataclass(frozen=True)
class Note:
    """A provenance note in both languages. A layout-1 note was written once: both hold it."""

    zh: str = ""
    en: str = ""

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.zh

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)

    def __str__(self) -> str:
        return self.zh if self.zh == self.en else f"{self.zh} / {self.en}"


NO_NOTE = Note()


@dataclass(frozen=True)
class Figure:
    """A number of the pack with its provenance; ``sample`` marks a value no source gives."""

    path: str
    value: object
    sample: bool
    note: Note = NO_NOTE


@dataclass(frozen=True)
class PackRef:
    """What a result records of the pack that made it."""

    id: str
    version: int
    hash: str

    def __str__(self) -> str:
        return f"{self.id}@{self.version}"


class WrongFamily(TypeError):
    """A pack of one family used where another is needed (a contribution pack given to settle
    a claim …)."""

    code = "policy.wrong_family"


@dataclass(frozen=True, repr=False)
class PolicyPack:
    """One immutable, hashed pack: the typed rules (one family's model), the provenance of each
    figure, the text as written and the layout it is written in."""

    rules: PackRules
    hash: str
    figures: tuple[Figure, ...]
    text: str
    source: str
    layout: int = 2

    def __repr__(self) -> str:
        return f"<PolicyPack {self.ref} {self.hash[:12]}>"

    @property
    def id(self) -> str:
        return self.rules.id

    @property
    def version(self) -> int:
        return self.rules.version

    @property
    def kind(self) -> PackKind:
        return self.rules.kind

    @property
    def family(self) -> Family:
        return self.rules.family

    @property
    def medical(self) -> MedicalRules:
        """The rules of a medical pack (``WrongFamily`` for another family)."""
        if not isinstance(self.rules, MedicalRules):
            raise WrongFamily(f"{self.ref} is a {self.family} pack, not a medical one")
        return self.rules

    @property
    def supplementary(self) -> SupplementaryRules:
        """The rules of a supplementary pack (``WrongFamily`` for another family)."""
        if not isinstance(self.rules, SupplementaryRules):
            raise WrongFamily(f"{self.ref} is a {self.family} pack, not a supplementary one")
        return self.rules

    @property
    def contribution(self) -> ContributionRules:
        """The rules of a contribution pack (``WrongFamily`` for another family)."""
        if not isinstance(self.rules, ContributionRules):
            raise WrongFamily(f"{self.ref} is a {self.family} pack, not a contribution one")
        return self.rules

    @property
    def desk(self) -> DeskRules:
        """The rules of a desk pack (``WrongFamily`` for another family)."""
        if not isinstance(self.rules, DeskRules):
            raise WrongFamily(f"{self.ref} is a {self.family} pack, not a desk one")
        return self.rules

    @property
    def ltc_assessment(self) -> LtcAssessmentRules:
        """The rules of an LTC assessment standard pack (``WrongFamily`` for another family)."""
        if not isinstance(self.rules, LtcAssessmentRules):
            raise WrongFamily(f"{self.ref} is a {self.family} pack, not an LTC assessment one")
        return self.rules

    @property
    def ltc(self) -> LtcRules:
        """The rules of a city's LTC pack (``WrongFamily`` for another family)."""
        if not isinstance(self.rules, LtcRules):
            raise WrongFamily(f"{self.ref} is a {self.family} pack, not an LTC one")
        return self.rules

    @property
    def ref(self) -> PackRef:
        return PackRef(self.rules.id, self.rules.version, self.hash)

    @property
    def samples(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.sample)

    def covers(self, day: dt.date) -> bool:
        return self.rules.effective.covers(day)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in one mapping (in a pack, the second
    figure would silently win over the first) and a date-shaped value that is no date. Each is
    a problem at its line, collected in ``problems`` so that the rest of the pack is still
    read and checked: one run reports every problem."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[Problem] = []


def _line(mark: yaml.Mark | None) -> int | None:
    return mark.line + 1 if mark is not None else None


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            loader.problems.append(
                Problem(
                    "",
                    _line(key_node.start_mark),
                    f"key {key!r} is written twice",
                    "pack.duplicate_key",
                    {"key": repr(key)},
                )
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


def _construct_date(loader: _UniqueKeyLoader, node: yaml.ScalarNode) -> object:
    """A date-shaped scalar that is no date (2025-13-01) is a problem at its line, not a crash;
    the text stands in for it, and the checks of its field are not repeated (same line)."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        value = str(node.value)
        loader.problems.append(
            Problem(
                "",
                _line(node.start_mark),
                f"{value} is not a date",
                "pack.bad_date",
                {"value": value},
            )
        )
        return value


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)


def _strip_notes(
    data: object,
    path: tuple[object, ...],
    out: list[Figure],
    layout: int,
    errors: list[_NoteError],
) -> object:
    """Replace every ``{value: …, sample: …}`` figure by its value, collecting the figures. A
    bad sample flag or note is collected in ``errors`` and the walk goes on, so that every one
    is reported (the figure keeps its value; the bad flag or note is left out)."""
    if isinstance(data, Mapping):
        keys = set(data)
        if "value" in keys and keys <= _NOTE_KEYS:
            sample = data.get("sample", False)
            if not isinstance(sample, bool):
                errors.append(_NoteError(path, "sample must be true or false", "pack.sample_flag"))
                sample = False
            value = data["value"]
            note = NO_NOTE
            written = data.get("note") or data.get("source")
            if written is not None:
                where = (*path, "note" if "note" in keys else "source")
                try:
                    note = Note(*parse_note(written, layout))
                except LayoutProblem as err:
                    errors.append(_NoteError(where, str(err), err.code))
            out.append(Figure(path_text(path), value, sample, note))
            return value
        return {k: _strip_notes(v, (*path, k), out, layout, errors) for k, v in data.items()}
    if isinstance(data, list):
        return [_strip_notes(v, (*path, i), out, layout, errors) for i, v in enumerate(data)]
    if isinstance(data, (int, float)) and not isinstance(data, bool) and path not in _NOT_FIGURES:
        out.append(Figure(path_text(path), data, False))
    return data


class _NoteError(Exception):
    def __init__(self, path: tuple[object, ...], message: str, code: str) -> None:
        self.path = path
        self.code = code
        super().__init__(message)


def _canonical(data: object) -> str:
    def default(value: object) -> str:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        raise TypeError(f"cannot hash a {type(value).__name__}")

    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default
    )


def content_hash(data: object) -> str:
    return hashlib.sha256(_canonical(data).encode()).hexdigest()


def _stringify_keys(data: object) -> object:
    """JSON keys are text; level keys written as 1, 2, 3 hash the same as "1", "2", "3"."""
    if isinstance(data, Mapping):
        return {str(k): _stringify_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_stringify_keys(v) for v in data]
    return data


MAX_DEPTH = 32  # a pack is a few levels deep; the shipped ones reach 6
# Names and values in a pack; the shipped ones hold under 1,000. A paste of thousands of keys
# is refused in one pass instead of being validated key by key.
MAX_VALUES = 5_000


class _Shape(Exception):
    """A text no pack has: an alias, or nesting deeper than ``MAX_DEPTH``."""

    def __init__(self, code: str, message: str, line: int | None) -> None:
        self.code = code
        self.line = line
        super().__init__(message)


def _check_shape(text: str) -> None:
    """A pack writes every figure out: an alias would make one figure stand for another, and
    aliases of aliases can make a short text expand without bound when it is walked. Very deep
    nesting would exhaust the recursion of the YAML composer. One pass over the events."""
    depth = values = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.ScalarEvent):
            values += 1
            if values > MAX_VALUES:
                raise _Shape("pack.too_many_values", "the pack holds too many values", line)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Shape("pack.alias", "anchors and aliases (&, *) are not allowed", line)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Shape("pack.too_deep", "the pack is nested too deeply", line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _parse(text: str) -> tuple[yaml.Node | None, object, list[Problem]]:
    """The composed document, its data and the problems met reading it (keys written twice,
    dates that are no dates). Text that is not YAML at all raises ``yaml.YAMLError``."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    loader = _UniqueKeyLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return node, data, loader.problems


def _with(found: list[Problem], more: list[Problem]) -> list[Problem]:
    """``found`` and then ``more``, less those of ``more`` on a line already reported: a date
    that is no date is not also "not a date" to the schema."""
    lines = {p.line for p in found if p.line is not None}
    return found + [p for p in more if p.line is None or p.line not in lines]


def load_pack_text(text: str, *, source: str = "<text>") -> PolicyPack:
    """Parse, validate and hash a pack. Raises ``PackError`` naming every problem found: the
    reading goes on past a key written twice, a bad date, a bad sample flag or note, so that
    the schema still checks the rest (``PackError`` lists the first ``MAX_PROBLEMS``). Only
    text that is not YAML, or not a pack's shape at all, stops at its first problem."""
    try:
        _check_shape(text)
        node, data, found = _parse(text)
    except _Shape as err:
        raise PackError(source, [Problem("", err.line, str(err), err.code)]) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        found_yaml = Problem(
            "", line, f"not valid YAML: {problem}", "pack.yaml", {"problem": problem}
        )
        raise PackError(source, [found_yaml]) from err
    if not isinstance(data, dict):
        raise PackError(
            source, [Problem("", 1, "a pack is a mapping of names to values", "pack.not_mapping")]
        )
    try:
        layout = layout_of(data)
    except LayoutProblem as err:
        problem = Problem(err.path, line_of(node, (err.path,)), str(err), err.code, err.params)
        raise PackError(source, _with(found, [problem])) from err
    figures: list[Figure] = []
    note_errors: list[_NoteError] = []
    stripped = _strip_notes(data, (), figures, layout, note_errors)
    found = _with(
        found,
        [Problem(path_text(e.path), line_of(node, e.path), str(e), e.code) for e in note_errors],
    )
    assert isinstance(stripped, dict)
    try:
        plain = upgrade(stripped, layout)
    except LayoutProblem as err:
        # Without its family the rules cannot be checked; the header still can.
        problem = Problem(err.path, line_of(node, (err.path,)), str(err), err.code, err.params)
        header = header_problems(stripped, node, layout, skip={err.path})
        raise PackError(source, _with(found, [problem, *header])) from err
    try:
        rules = PACK_RULES.validate_python(plain, context={"layout": layout})
    except ValidationError as err:
        problems = _with(found, validation_problems(err, plain, node, layout))
        raise PackError(source, problems) from err
    if found:
        raise PackError(source, found)
    return PolicyPack(
        rules=rules,
        hash=content_hash(_stringify_keys(data)),
        figures=tuple(figures),
        text=text,
        source=source,
        layout=layout,
    )


def load_pack_file(path: Path) -> PolicyPack:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        problem = Problem(
            "", None, f"cannot read the file: {err}", "pack.unreadable", {"error": err}
        )
        raise PackError(str(path), [problem]) from err
    return load_pack_text(text, source=path.name)


def iter_pack_files(directory: Path) -> Iterator[Path]:
    yield from sorted(directory.glob("*.yaml"))
