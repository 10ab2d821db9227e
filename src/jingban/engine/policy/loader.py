"""Reading a pack from YAML: provenance notes, validation with file/line/path errors, the hash.

A figure may be written plainly (``ratio: 0.65``) or with its provenance::

    amount: {value: 800, sample: true, note: "no source gives the level-3 deductible"}

The notes are taken off before validation and kept beside the pack as ``figures``, so the typed
rules stay plain numbers while the docs can list every ``sample`` value. The content hash covers
the whole document, notes included, in a canonical form: reformatting or comments do not change
it; any figure or note does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jingban.engine.policy.schema import PackKind, PackRules

_NOTE_KEYS = frozenset({"value", "sample", "note", "source"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: where (dotted path, line) and what, in English, with a stable
    ``code`` and its ``params`` so an application can say it in the user's language. Codes are
    pydantic's error types (``missing``, ``extra_forbidden`` …) and the schema's own
    (``pack.bands_overlap``, ``money.too_precise`` …)."""

    path: str
    line: int | None
    message: str
    code: str = "pack.invalid"
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.path or '(pack)'}: {self.message}"


class PackError(ValueError):
    """A pack that cannot be loaded; names the file, and each problem's path and line."""

    code = "policy.invalid_pack"

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.total = len(problems)
        # A page of 15,000 problems helps no one: the first ones, then how many more.
        shown = list(problems[:MAX_PROBLEMS])
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            shown.append(Problem("", None, f"… and {more} more", "pack.more", {"count": more}))
        self.problems = tuple(shown)
        super().__init__(f"{source}: " + "; ".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Figure:
    """A number of the pack with its provenance; ``sample`` marks a value no source gives."""

    path: str
    value: object
    sample: bool
    note: str


@dataclass(frozen=True)
class PackRef:
    """What a result records of the pack that made it."""

    id: str
    version: int
    hash: str

    def __str__(self) -> str:
        return f"{self.id}@{self.version}"


@dataclass(frozen=True, repr=False)
class PolicyPack:
    """One immutable, hashed pack: the typed rules, the provenance of each figure, the text."""

    rules: PackRules
    hash: str
    figures: tuple[Figure, ...]
    text: str
    source: str

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
    def ref(self) -> PackRef:
        return PackRef(self.rules.id, self.rules.version, self.hash)

    @property
    def samples(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.sample)

    def covers(self, day: dt.date) -> bool:
        return self.rules.effective.covers(day)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in one mapping: in a pack, the second
    figure would silently win over the first."""


class _DuplicateKey(yaml.constructor.ConstructorError):
    def __init__(self, key: object, mark: yaml.Mark) -> None:
        self.key = key
        super().__init__(None, None, f"key {key!r} is written twice", mark)


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise _DuplicateKey(key, key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


def _construct_date(loader: _UniqueKeyLoader, node: yaml.ScalarNode) -> object:
    """A date-shaped scalar that is no date (2025-13-01) is a problem at its line, not a crash."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as err:
        raise _BadDate(str(node.value), node.start_mark) from err


class _BadDate(yaml.constructor.ConstructorError):
    def __init__(self, value: str, mark: yaml.Mark) -> None:
        self.value = value
        super().__init__(None, None, f"{value} is not a date", mark)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)


def _path_text(loc: Iterable[object]) -> str:
    return ".".join(str(part) for part in loc)


def _line_of(node: yaml.Node | None, loc: Sequence[object]) -> int | None:
    """The line (1-based) of the deepest key along ``loc`` in the composed document."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if part == "[key]":  # pydantic's marker for a bad mapping key: the key's own line
            continue
        match: tuple[yaml.Node, yaml.Node] | None = None
        if isinstance(node, yaml.MappingNode):
            # A figure with notes is a mapping around its value: the path goes on inside it.
            match = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                match = (node.value[part], node.value[part])
        if match is None:
            break
        key, node = match
        line = key.start_mark.line + 1
    return line


def _strip_notes(data: object, path: tuple[object, ...], out: list[Figure]) -> object:
    """Replace every ``{value: …, sample: …}`` figure by its value, collecting the figures."""
    if isinstance(data, Mapping):
        keys = set(data)
        if "value" in keys and keys <= _NOTE_KEYS:
            sample = data.get("sample", False)
            if not isinstance(sample, bool):
                raise _NoteError(path, "sample must be true or false")
            value = data["value"]
            note = str(data.get("note") or data.get("source") or "")
            out.append(Figure(_path_text(path), value, sample, note))
            return value
        return {k: _strip_notes(v, (*path, k), out) for k, v in data.items()}
    if isinstance(data, list):
        return [_strip_notes(v, (*path, i), out) for i, v in enumerate(data)]
    if isinstance(data, (int, float)) and not isinstance(data, bool) and path != ("version",):
        out.append(Figure(_path_text(path), data, False, ""))
    return data


class _NoteError(Exception):
    def __init__(self, path: tuple[object, ...], message: str) -> None:
        self.path = path
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
MAX_PROBLEMS = 100


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


def load_pack_text(text: str, *, source: str = "<text>") -> PolicyPack:
    """Parse, validate and hash a pack. Raises ``PackError`` naming every problem found."""
    try:
        _check_shape(text)
        node = yaml.compose(text, Loader=_UniqueKeyLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a safe loader)
    except _Shape as err:
        raise PackError(source, [Problem("", err.line, str(err), err.code)]) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        if isinstance(err, _DuplicateKey):
            found = Problem("", line, problem, "pack.duplicate_key", {"key": repr(err.key)})
        elif isinstance(err, _BadDate):
            found = Problem("", line, problem, "pack.bad_date", {"value": err.value})
        else:
            found = Problem(
                "", line, f"not valid YAML: {problem}", "pack.yaml", {"problem": problem}
            )
        raise PackError(source, [found]) from err
    if not isinstance(data, dict):
        raise PackError(
            source, [Problem("", 1, "a pack is a mapping of names to values", "pack.not_mapping")]
        )
    figures: list[Figure] = []
    try:
        plain = _strip_notes(data, (), figures)
    except _NoteError as err:
        where = _path_text(err.path)
        problem = Problem(where, _line_of(node, err.path), str(err), "pack.sample_flag")
        raise PackError(source, [problem]) from err
    try:
        rules = PackRules.model_validate(plain)
    except ValidationError as err:
        problems = [
            Problem(
                _path_text(part for part in e["loc"] if part != "[key]"),
                _line_of(node, e["loc"]),
                e["msg"].removeprefix("Value error, "),
                e["type"],
                {k: v for k, v in (e.get("ctx") or {}).items() if k != "error"},
            )
            for e in err.errors(include_url=False)
        ]
        raise PackError(source, problems) from err
    return PolicyPack(
        rules=rules,
        hash=content_hash(_stringify_keys(data)),
        figures=tuple(figures),
        text=text,
        source=source,
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
