"""The structured draft form of a policy pack: one field per figure, grouped by section, with its
sample mark and its note in both languages, generated from the pack schema's labels and units
(``engine.policy.scheme``) so that every family, present and future, gets it without page code.

The form works on a *form document*: the pack as nested dicts and lists whose leaves are
``Leaf`` values holding what the person typed (text, not yet numbers). It is read from a stored
version (``from_data``), from a POST (``from_post``, the structure carried in hidden fields so
that adding or removing a row round-trips without losing anything typed), changed by the row
actions (``apply_action``), and written back as pack YAML (``to_yaml``) that goes through the
same service as any other draft. The loader's problems, each at a dotted path, are put back on
the field at that path (``attach_problems``).

Amounts are typed in yuan and ratios in percent (85 for 0.85); both are converted exactly with
``Decimal``. A figure left empty is left out of the text, so a required one is reported by the
schema as missing, at its field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import yaml
from django.http import QueryDict
from django.utils.translation import gettext as _
from pydantic import BaseModel

from jingban.core.pack_problems import problem_text
from jingban.engine.money import to_ratio
from jingban.engine.policy import Problem
from jingban.engine.policy.header import LAYOUT_2, PackHeader
from jingban.engine.policy.layouts import SCHEMA_KEY
from jingban.engine.policy.scheme import (
    SchemaNode,
    key_label,
    schema_fields,
    unit_text,
)

# The kinds of leaf that may carry a sample mark and a provenance note.
FIGURE_KINDS = frozenset({"money", "ratio", "int", "bool", "choice", "multi", "date"})
_FIGURE_KEYS = frozenset({"value", "sample", "note", "source"})
# A key the pack names itself (a cap pool, a contribution tier).
FREE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_ROWS = 200  # entries of one map or list a form may grow to


@dataclass
class Leaf:
    """What the form holds for one value: the text typed (a list for a multiple choice), the
    sample mark and the note in both languages (for a bilingual text, ``zh``/``en`` hold it)."""

    text: str | list[str] = ""
    sample: bool = False
    zh: str = ""
    en: str = ""


# --- From a stored pack ----------------------------------------------------------------------


def _figure(data: object) -> tuple[object, bool, str, str]:
    if isinstance(data, Mapping) and "value" in data and set(data) <= _FIGURE_KEYS:
        note = data.get("note") or data.get("source")
        zh = en = ""
        if isinstance(note, Mapping):
            zh, en = str(note.get("zh") or ""), str(note.get("en") or "")
        elif isinstance(note, str):
            zh = en = note
        return data["value"], bool(data.get("sample")), zh, en
    return data, False, "", ""


def _plain(value: object) -> str:
    if isinstance(value, float):
        return repr(value)
    return "" if value is None else str(value)


def _percent(value: object) -> str:
    try:
        ratio = to_ratio(value)
    except ValueError:
        return _plain(value)
    number = Decimal(ratio.numerator * 100) / Decimal(ratio.denominator)
    return format(number.normalize(), "f")


def _leaf_from(node: SchemaNode, data: object) -> Leaf:
    value, sample, zh, en = _figure(data)
    if node.kind == "text":
        if isinstance(value, Mapping):
            return Leaf("", False, str(value.get("zh") or ""), str(value.get("en") or ""))
        return Leaf("", False, _plain(value), _plain(value))
    text: str | list[str]
    if node.kind in ("multi", "refs"):
        text = [str(v) for v in value] if isinstance(value, (list, tuple)) else []
    elif node.kind == "ratio" and value is not None:
        text = _percent(value)
    elif node.kind == "bool" and isinstance(value, bool):
        text = str(value)
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = _plain(value)
    return Leaf(text, sample, zh, en)


def from_data(node: SchemaNode, data: object) -> Any:
    """The form document of ``data`` (a pack as read from YAML) under ``node``; None: absent."""
    value, *_rest = _figure(data)
    if node.kind == "model" and node.model is not None:
        if value is None:
            return None
        source = value if isinstance(value, Mapping) else {}
        return {
            name: from_data(child, source.get(name))
            for name, child in schema_fields(node.model)
            if not child.layout_one
        }
    if node.kind == "map":
        if value is None:
            return None
        assert node.item is not None
        entries = value if isinstance(value, Mapping) else {}
        return {str(k): from_data(node.item, v) for k, v in entries.items()}
    if node.kind == "list":
        assert node.item is not None
        items = value if isinstance(value, (list, tuple)) else []
        return [from_data(node.item, v) for v in items]
    return _leaf_from(node, data)


def root(model: type[BaseModel]) -> SchemaNode:
    return SchemaNode("model", model=model)


def document_of(model: type[BaseModel], text: str) -> dict[str, Any]:
    """The form document of a stored pack text."""
    data = yaml.safe_load(text)
    document = from_data(root(model), data if isinstance(data, Mapping) else {})
    assert isinstance(document, dict)
    return document


def empty(node: SchemaNode) -> Any:
    """A new entry: a model with its required parts, an empty map or list, an empty value."""
    if node.kind == "model" and node.model is not None:
        return {
            name: (empty(child) if child.required or not child.optional else None)
            for name, child in schema_fields(node.model)
            if not child.layout_one
        }
    if node.kind == "map":
        return {}
    if node.kind == "list":
        return []
    return Leaf([] if node.kind in ("multi", "refs") else "")


# --- From a POST -------------------------------------------------------------------------


def from_post(node: SchemaNode, post: QueryDict, path: str, base: Any) -> Any:
    """The form document as posted. The structure (which optional parts are present, the keys
    of each map, the length of each list) comes from hidden fields; a fixed field comes from
    ``base`` (the stored version), never from the POST."""
    if node.fixed:
        return base
    if node.kind == "model" and node.model is not None:
        if path and node.optional and post.get(f"_present.{path}") != "1":
            return None
        base_map = base if isinstance(base, dict) else {}
        return {
            name: from_post(child, post, _join(path, name), base_map.get(name))
            for name, child in schema_fields(node.model)
            if not child.layout_one
        }
    if node.kind == "map":
        assert node.item is not None
        if node.optional and post.get(f"_present.{path}") != "1":
            return None
        base_map = base if isinstance(base, dict) else {}
        keys = list(dict.fromkeys(post.getlist(f"_keys.{path}")))[:MAX_ROWS]
        return {
            key: from_post(node.item, post, _join(path, key), base_map.get(key)) for key in keys
        }
    if node.kind == "list":
        assert node.item is not None
        try:
            count = min(max(int(post.get(f"_count.{path}", "0")), 0), MAX_ROWS)
        except ValueError:
            count = 0
        base_list = base if isinstance(base, list) else []
        return [
            from_post(
                node.item, post, _join(path, str(i)), base_list[i] if i < len(base_list) else None
            )
            for i in range(count)
        ]
    if node.kind == "text":
        return Leaf(
            "", False, post.get(f"tz.{path}", "").strip(), post.get(f"te.{path}", "").strip()
        )
    text: str | list[str]
    if node.kind in ("multi", "refs"):
        text = [v for v in post.getlist(f"v.{path}") if v]
    else:
        text = post.get(f"v.{path}", "").strip()
    return Leaf(
        text,
        post.get(f"s.{path}") == "1",
        post.get(f"nz.{path}", "").strip(),
        post.get(f"ne.{path}", "").strip(),
    )


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _locate(model: type[BaseModel], document: Any, path: str) -> tuple[SchemaNode, Any, Any, str]:
    """The node at ``path``, its parent container in the document, and the last segment."""
    node = root(model)
    parent: Any = None
    current: Any = document
    segment = ""
    for segment in path.split("."):
        if node.kind == "model" and node.model is not None:
            child = dict(schema_fields(node.model)).get(segment)
        elif node.kind in ("map", "list"):
            child = node.item
        else:
            child = None
        if child is None:
            raise KeyError(path)
        parent, node = current, child
        if isinstance(current, dict):
            current = current.get(segment)
        elif isinstance(current, list) and segment.isdigit() and int(segment) < len(current):
            current = current[int(segment)]
        else:
            current = None
    return node, parent, current, segment


def apply_action(
    model: type[BaseModel], document: dict[str, Any], action: str, post: QueryDict
) -> str:
    """Add or remove a row or a section (``add:critical_illness.bands``,
    ``remove:benefits.maternity_natural``, ``open:critical_illness``, ``close:…``). Returns a
    message for the person when the action cannot be done, else ""."""
    verb, _sep, path = action.partition(":")
    try:
        node, parent, current, segment = _locate(model, document, path)
    except KeyError:
        return _("That part of the form does not exist.")
    if node.fixed:
        return _("That part of the form does not exist.")
    if verb == "open" and current is None:
        parent[segment] = empty(node)
    elif verb == "close" and node.optional:
        parent[segment] = None
    elif verb == "add" and node.kind == "list" and isinstance(current, list):
        if len(current) >= MAX_ROWS:
            return _("No more rows can be added here.")
        assert node.item is not None
        current.append(empty(node.item))
    elif verb == "add" and node.kind == "map" and isinstance(current, dict):
        assert node.item is not None
        key = post.get(f"_newkey.{path}", "").strip()
        vocabulary = node.keys.vocabulary if node.keys else None
        if vocabulary is not None and key not in {str(k) for k in vocabulary}:
            return _("Choose what to add.")
        if vocabulary is None and not FREE_KEY.match(key):
            return _(
                "Give the new entry a short code: small letters, digits and underscores, "
                "starting with a letter."
            )
        if key in current:
            return _("That entry is already there.")
        if len(current) >= MAX_ROWS:
            return _("No more rows can be added here.")
        current[key] = empty(node.item)
    elif verb == "remove" and isinstance(parent, dict) and segment in parent:
        del parent[segment]
    elif verb == "remove" and isinstance(parent, list) and segment.isdigit():
        index = int(segment)
        if index < len(parent):
            del parent[index]
    else:
        return _("That part of the form does not exist.")
    return ""


# --- To the pack text ------------------------------------------------------------------------


@dataclass
class Conversion:
    """What cannot become a value before the schema even sees it (a ratio typed as words):
    problems at paths, like the loader's."""

    problems: list[Problem] = field(default_factory=list)

    def bad(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, None, message, "form.invalid"))


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _yaml_number(number: Decimal) -> int | float:
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def _key(node: SchemaNode, key: str) -> object:
    vocabulary = node.keys.vocabulary if node.keys else None
    for known in vocabulary or ():
        if str(known) == key:
            return int(known) if isinstance(known, int) else str(known)
    return key


def _choice(node: SchemaNode, text: str) -> object:
    for known in node.choices or ():
        if str(known) == text:
            if isinstance(known, bool):
                return known
            return int(known) if isinstance(known, int) else str(known)
    return text


def _value(node: SchemaNode, leaf: Leaf, path: str, conversion: Conversion) -> object:
    text = leaf.text
    if isinstance(text, list):
        return [_choice(node, t) for t in text]
    if node.kind == "money":
        number = _number(text)
        if number is None:
            conversion.bad(path, _("Enter an amount in yuan, like 1234.50."))
            return None
        return text if number < 0 else _yaml_number(number)  # the schema names a negative
    if node.kind == "ratio":
        number = _number(text.removesuffix("%"))
        if number is None:
            conversion.bad(path, _("Enter a percentage, like 65."))
            return None
        return _yaml_number(number / 100)
    if node.kind == "int":
        if not re.fullmatch(r"-?\d+", text):
            conversion.bad(path, _("Enter a whole number."))
            return None
        return int(text)
    if node.kind in ("bool", "choice"):
        return _choice(node, text)
    if node.kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            conversion.bad(path, _("Enter a date as YYYY-MM-DD."))
            return None
    return text


def to_data(node: SchemaNode, document: Any, path: str, conversion: Conversion) -> Any:
    """The pack data of a form document; None: leave the key out."""
    if document is None:
        return None
    if node.kind == "model" and node.model is not None:
        out: dict[str, Any] = {}
        for name, child in schema_fields(node.model):
            value = to_data(child, document.get(name), _join(path, name), conversion)
            if value is not None:
                out[name] = value
        return out
    if node.kind == "map":
        assert node.item is not None
        return {
            _key(node, key): to_data(node.item, entry, _join(path, key), conversion)
            for key, entry in document.items()
        }
    if node.kind == "list":
        assert node.item is not None
        return [
            to_data(node.item, entry, _join(path, str(i)), conversion)
            for i, entry in enumerate(document)
        ]
    if not isinstance(document, Leaf):
        return document  # a fixed part, as stored
    leaf = document
    if node.kind == "text":
        return {"zh": leaf.zh, "en": leaf.en} if (leaf.zh or leaf.en) else None
    if leaf.text in ("", []) and node.kind not in ("multi", "refs"):
        # A required figure left empty is the schema's "required"; an optional one with a
        # note would lose the note silently.
        if not node.required and (leaf.sample or leaf.zh or leaf.en):
            conversion.bad(path, _("A figure marked sample or with a note needs a value."))
        return None
    value = _value(node, leaf, path, conversion)
    if value is None:
        return None
    if node.kind in FIGURE_KINDS and (leaf.sample or leaf.zh or leaf.en):
        figure: dict[str, Any] = {"value": value, "sample": leaf.sample}
        if leaf.zh or leaf.en:
            figure["note"] = {"zh": leaf.zh, "en": leaf.en}
        return figure
    return value


class _Dumper(yaml.SafeDumper):
    """Block style, but a figure with its note (and a band) on one line, as packs are written."""


def _represent_dict(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> yaml.Node:
    keys = set(data)
    flow = keys == {"zh", "en"} or ("value" in keys and keys <= _FIGURE_KEYS)
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


_Dumper.add_representer(dict, _represent_dict)


def to_yaml(
    model: type[PackHeader], document: dict[str, Any], version: int
) -> tuple[str, list[Problem]]:
    """The pack text of a form document, in the current layout, with ``version``."""
    conversion = Conversion()
    data = to_data(root(model), document, "", conversion)
    assert isinstance(data, dict)
    data["version"] = version
    family = model.model_fields["family"].default
    ordered: dict[str, Any] = {SCHEMA_KEY: LAYOUT_2}
    for key, value in data.items():
        if key != "family":
            ordered[key] = value
        if key == "kind":
            ordered["family"] = str(family)
    ordered.setdefault("family", str(family))
    text = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
    return text, conversion.problems


# --- The form as the page shows it -----------------------------------------------------------


@dataclass
class Entry:
    """One part of the form as the template renders it."""

    path: str
    kind: str
    label: str
    depth: int
    node: SchemaNode
    leaf: Leaf | None = None
    children: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    present: bool = True
    removable: bool = False
    figure: bool = False
    unit: str = ""
    help: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    addable: list[tuple[str, str]] = field(default_factory=list)
    free_keys: bool = False
    fixed_text: str = ""
    key: str = ""
    place: str = ""
    default_text: str = ""
    parent_ident: str = ""  # where the page scrolls back to after this row is removed

    @property
    def ident(self) -> str:
        return "f-" + self.path.replace(".", "-") if self.path else "f-root"

    @property
    def selected(self) -> list[str]:
        text = self.leaf.text if self.leaf else ""
        return text if isinstance(text, list) else [text]

    @property
    def has_note(self) -> bool:
        return bool(self.leaf and (self.leaf.zh or self.leaf.en))

    @property
    def optional_section(self) -> bool:
        return self.node.optional and self.kind in ("model", "map")

    def walk(self) -> Iterable[Entry]:
        yield self
        for child in self.children:
            yield from child.walk()


def _choices(node: SchemaNode, language: str) -> list[tuple[str, str]]:
    return [(str(k), node.choice_label(k, language)) for k in (node.choices or {})]


def _fixed_text(node: SchemaNode, value: Any, language: str) -> str:
    if isinstance(value, Leaf):
        if node.kind == "text":
            return value.en if language.startswith("en") else value.zh
        value = value.text
    raw, *_rest = _figure(value)
    if isinstance(raw, Mapping) and "zh" in raw:
        return str(raw["en"] if language.startswith("en") else raw["zh"])
    if node.choices:
        return node.choice_label(raw, language)
    return _plain(raw)


def build(
    model: type[BaseModel],
    document: dict[str, Any],
    language: str,
    references: Mapping[str, list[tuple[str, str]]] | None = None,
) -> list[Entry]:
    """The sections of the form (the top-level fields) for a form document."""
    refs = references if references is not None else reference_choices(model, document, language)
    return [
        _entry(
            child,
            document.get(name),
            name,
            child.label.get(language) if child.label else name,
            0,
            language,
            refs,
            [],
        )
        for name, child in schema_fields(model)
        if not child.layout_one and name != "version"
    ]


def reference_choices(
    model: type[BaseModel], document: Mapping[str, Any], language: str
) -> dict[str, list[tuple[str, str]]]:
    """The keys a reference may name (the cap pools …), labelled by their entries."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, child in schema_fields(model):
        if child.kind == "map" and isinstance(document.get(name), dict):
            entries = document[name]
            out[name] = [(key, _leaf_label(entry) or key) for key, entry in entries.items()]
    return out


def _leaf_label(entry: Any) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("label"), Leaf):
        label = entry["label"]
        return str(label.zh or label.en)
    return ""


def _entry(
    node: SchemaNode,
    value: Any,
    path: str,
    label: str,
    depth: int,
    language: str,
    refs: Mapping[str, list[tuple[str, str]]],
    place: list[str],
) -> Entry:
    entry = Entry(path, node.kind, label, depth, node, unit=unit_text(node, language))
    entry.place = " · ".join([*place, label])
    if node.label is not None:
        entry.help = node.label.help(language)
    if node.fixed:
        entry.kind = "fixed"
        entry.fixed_text = _fixed_text(node, value, language)
        return entry
    if node.kind in ("model", "map", "list") and value is None:
        entry.present = False
        return entry
    below = [*place, label]
    if node.kind == "model" and node.model is not None:
        for name, child in schema_fields(node.model):
            if child.layout_one:
                continue
            child_label = child.label.get(language) if child.label else name
            entry.children.append(
                _entry(
                    child,
                    value.get(name),
                    _join(path, name),
                    child_label,
                    depth + 1,
                    language,
                    refs,
                    below,
                )
            )
    elif node.kind == "map":
        assert node.item is not None
        for key, item in value.items():
            row = _entry(
                node.item,
                item,
                _join(path, key),
                _map_key_label(node, key, item, language),
                depth + 1,
                language,
                refs,
                below,
            )
            row.removable = True
            row.key = key
            row.parent_ident = entry.ident
            entry.children.append(row)
        vocabulary = node.keys.vocabulary if node.keys else None
        if vocabulary is None:
            entry.free_keys = True
        else:
            entry.addable = [
                (str(k), key_label(node, k, None, language))
                for k in vocabulary
                if str(k) not in value
            ]
    elif node.kind == "list":
        assert node.item is not None
        for index, item in enumerate(value):
            name = node.items.get(index + 1, language) if node.items else str(index + 1)
            row = _entry(
                node.item, item, _join(path, str(index)), name, depth + 1, language, refs, below
            )
            row.removable = True
            row.parent_ident = entry.ident
            entry.children.append(row)
    else:
        entry.leaf = value if isinstance(value, Leaf) else Leaf()
        entry.figure = node.kind in FIGURE_KINDS
        if not node.required and node.default not in (None, (), {}):
            default = _leaf_from(node, node.default).text
            if node.kind in ("bool", "choice"):
                default = node.choice_label(node.default, language)
            entry.default_text = default if isinstance(default, str) else ""
        if node.kind in ("bool", "choice", "multi"):
            entry.choices = _choices(node, language)
        elif node.kind in ("ref", "refs"):
            entry.choices = list(refs.get(node.refs or "", []))
    return entry


def _map_key_label(node: SchemaNode, key: str, item: Any, language: str) -> str:
    vocabulary = node.keys.vocabulary if node.keys else None
    if vocabulary:
        return key_label(node, key, None, language)
    return _leaf_label(item) or key


def attach_problems(sections: list[Entry], problems: Iterable[Problem]) -> list[str]:
    """Each problem on the deepest part of the form its path leads to; returns the summary
    lines (place: message). A problem with no path goes to the summary alone."""
    entries = {e.path: e for section in sections for e in section.walk()}
    summary: list[str] = []
    for problem in problems:
        message = problem.message if problem.code == "form.invalid" else problem_text(problem)
        segments = problem.path.split(".") if problem.path else []
        target = None
        while segments:
            target = entries.get(".".join(segments))
            if target is not None:
                break
            segments.pop()
        if target is None:
            summary.append(message)
            continue
        target.errors.append(message)
        summary.append(_("%(place)s: %(message)s") % {"place": target.place, "message": message})
    return summary


def ratio_text(value: Fraction) -> str:
    """A ratio as the form shows it: in percent, without needless decimals."""
    return _percent(value)
