"""A rules model read as a tree of labelled nodes, from the metadata its fields declare
(``meta``): what the figures page and the structured draft form are built from, for every
family, with no family-specific code.

``schema_fields(model)`` lists a model's fields as ``SchemaNode``s; ``place_of`` turns a figure's
path (``benefits.inpatient.deductible.by_level.3``) into its place in the scheme (住院 · 起付线 ·
三级医院) with its unit; ``format_value`` writes a value in its unit (¥800, 80%, 3 次).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from fractions import Fraction
from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from jingban.engine.money import format_ratio, to_ratio
from jingban.engine.policy.header import Text
from jingban.engine.policy.meta import (
    UNIT_LABELS,
    YES_NO,
    Choices,
    Fixed,
    Items,
    Keys,
    Label,
    LayoutOne,
    Refs,
    Unit,
    ValueKind,
    bilingual,
)

# The kinds of node: a model of named fields, a map, a list of models, and the leaves.
Kind = Literal[
    "model",
    "map",
    "list",
    "money",
    "ratio",
    "int",
    "bool",
    "choice",
    "multi",
    "date",
    "str",
    "text",
    "ref",
    "refs",
]
LEAVES = frozenset(
    {"money", "ratio", "int", "bool", "choice", "multi", "date", "str", "text", "ref", "refs"}
)
# The leaves that hold a number, which must have a unit.
NUMERIC = frozenset({"money", "ratio", "int"})


class SchemaProblem(TypeError):
    """A model field the walker cannot read (a type it does not know): a programming error
    caught by the tests that walk every model."""


@dataclass(frozen=True)
class SchemaNode:
    """One field (or the value of a map, the item of a list) of a rules model."""

    kind: Kind
    label: Label | None = None
    optional: bool = False  # None is allowed
    required: bool = True  # the field has no default
    default: object = None
    model: type[BaseModel] | None = None
    keys: Keys | None = None
    items: Items | None = None
    item: SchemaNode | None = None
    choices: Mapping[object, tuple[str, str]] | None = None
    refs: str | None = None
    fixed: bool = False
    layout_one: bool = False
    unit: Unit | None = None
    key_type: Any = None

    def choice_label(self, value: object, language: str) -> str:
        names = (self.choices or {}).get(value)
        if names is None:
            names = next((n for k, n in (self.choices or {}).items() if str(k) == str(value)), None)
        return bilingual(names, language) if names else str(value)


@dataclass(frozen=True)
class _Meta:
    label: Label | None = None
    keys: Keys | None = None
    items: Items | None = None
    choices: Choices | None = None
    refs: Refs | None = None
    fixed: bool = False
    layout_one: bool = False
    value_kind: ValueKind | None = None
    extra: tuple[object, ...] = field(default_factory=tuple)


def _collect(metadata: Sequence[object], into: _Meta) -> _Meta:
    values = dict(into.__dict__)
    for item in metadata:
        if isinstance(item, Label):
            values["label"] = item
        elif isinstance(item, Keys):
            values["keys"] = item
        elif isinstance(item, Items):
            values["items"] = item
        elif isinstance(item, Choices):
            values["choices"] = item
        elif isinstance(item, Refs):
            values["refs"] = item
        elif isinstance(item, Fixed):
            values["fixed"] = True
        elif isinstance(item, LayoutOne):
            values["layout_one"] = True
        elif isinstance(item, ValueKind):
            values["value_kind"] = item
    return _Meta(**values)


def _unwrap(annotation: Any, meta: _Meta) -> tuple[Any, _Meta, bool]:
    """The bare type under ``Annotated`` and ``X | None``, its metadata, and whether None is
    allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            base, *extra = typing.get_args(annotation)
            meta = _collect(extra, meta)
            annotation = base
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) == 1:
                annotation = args[0]
                continue
            if set(args) == {str, Text}:  # a note: plain text (layout 1) or both languages
                return Text, meta, optional
            raise SchemaProblem(f"a union the walker cannot read: {annotation!r}")
        return annotation, meta, optional


def _enum_choices(values: Sequence[object], meta: _Meta) -> Mapping[object, tuple[str, str]]:
    if meta.choices is not None:
        return meta.choices.labels
    return {v: (str(v), str(v)) for v in values}


def node_of(annotation: Any, metadata: Sequence[object] = (), **extra: Any) -> SchemaNode:
    """The node of a type and its metadata (a field's, or a map's value under its field)."""
    base, meta, optional = _unwrap(annotation, _collect(metadata, _Meta()))
    common: dict[str, Any] = {
        "label": meta.label,
        "optional": optional,
        "fixed": meta.fixed,
        "layout_one": meta.layout_one,
        "unit": meta.label.unit if meta.label else None,
        **extra,
    }
    origin = typing.get_origin(base)
    # What a map or a list passes on to its entries: the unit, the choices, the references.
    inherited = [m for m in (meta.choices, meta.refs) if m is not None]
    item_unit = {"unit": common["unit"]}
    if origin is dict:
        key_type, value_type = typing.get_args(base)
        item = node_of(value_type, inherited, **item_unit)
        return SchemaNode("map", keys=meta.keys or Keys(), item=item, key_type=key_type, **common)
    if origin is tuple:
        args = typing.get_args(base)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise SchemaProblem(f"a tuple the walker cannot read: {base!r}")
        item_type = args[0]
        if isinstance(item_type, type) and issubclass(item_type, BaseModel):
            item = node_of(item_type, inherited, **item_unit)
            return SchemaNode("list", items=meta.items, item=item, **common)
        if isinstance(item_type, type) and issubclass(item_type, Enum):
            choices = _enum_choices([m.value for m in item_type], meta)
            return SchemaNode("multi", choices=choices, **common)
        if item_type is str and meta.refs is not None:
            return SchemaNode("refs", refs=meta.refs.section, **common)
        raise SchemaProblem(f"a tuple the walker cannot read: {base!r}")
    if origin is Literal:
        return SchemaNode("choice", choices=_enum_choices(typing.get_args(base), meta), **common)
    if isinstance(base, type):
        if issubclass(base, Text):
            return SchemaNode("text", **common)
        if issubclass(base, BaseModel):
            return SchemaNode("model", model=base, **common)
        if issubclass(base, bool):
            return SchemaNode("bool", choices=YES_NO, **common)
        if issubclass(base, Enum):
            return SchemaNode(
                "choice", choices=_enum_choices([m.value for m in base], meta), **common
            )
        if meta.value_kind is ValueKind.MONEY:
            return SchemaNode("money", **common)
        if meta.value_kind is ValueKind.RATIO or issubclass(base, Fraction):
            return SchemaNode("ratio", **common)
        if issubclass(base, int):
            return SchemaNode("int", **common)
        if issubclass(base, dt.date):
            return SchemaNode("date", **common)
        if issubclass(base, str):
            if meta.refs is not None:
                return SchemaNode("ref", refs=meta.refs.section, **common)
            return SchemaNode("str", **common)
    raise SchemaProblem(f"a type the walker cannot read: {base!r}")


@cache
def schema_fields(model: type[BaseModel]) -> tuple[tuple[str, SchemaNode], ...]:
    """The fields of a model as nodes, in the order the model declares them."""
    fields: list[tuple[str, SchemaNode]] = []
    for name, info in model.model_fields.items():
        required = info.is_required()
        default = None
        if not required:
            default = info.get_default(call_default_factory=True)
            if default is PydanticUndefined:  # pragma: no cover - pydantic's marker
                default = None
        node = node_of(info.annotation, info.metadata, required=required, default=default)
        fields.append((name, node))
    return tuple(fields)


def field_node(model: type[BaseModel], name: str) -> SchemaNode | None:
    return dict(schema_fields(model)).get(name)


# --- A figure's place in the scheme --------------------------------------------------------

_FIGURE_KEYS = frozenset({"value", "sample", "note", "source"})


@dataclass(frozen=True)
class Place:
    """Where a figure sits: its section (the top-level field), the labels below it, and the
    node of its value (for its unit and choices)."""

    section: str
    section_key: str
    parts: tuple[str, ...]
    node: SchemaNode | None

    @property
    def text(self) -> str:
        return " · ".join(self.parts)

    @property
    def full(self) -> str:
        return " · ".join((self.section, *self.parts)) if self.parts else self.section


def _entry_label(entry: object, language: str) -> str | None:
    label = getattr(entry, "label", None)
    if isinstance(label, Text):
        return label.get(language)
    if isinstance(entry, Mapping):
        raw = entry.get("label")
        if isinstance(raw, Mapping) and raw.get("zh") and raw.get("en"):
            return str(raw["en"] if language.startswith("en") else raw["zh"])
    return None


def key_label(node: SchemaNode, key: object, entry: object, language: str) -> str:
    """A map key's label: from the key vocabulary, or the entry's own label, or the key."""
    vocabulary = node.keys.vocabulary if node.keys else None
    if vocabulary:
        for known, names in vocabulary.items():
            if str(known) == str(key):
                return bilingual(names, language)
    return _entry_label(entry, language) or str(key)


def _child(data: object, segment: str) -> object:
    if isinstance(data, Mapping):
        if _is_figure(data):
            data = data["value"]
        if isinstance(data, Mapping):
            for key, value in data.items():
                if str(key) == segment:
                    return value
        return None
    if isinstance(data, BaseModel):
        return getattr(data, segment, None)
    if isinstance(data, (list, tuple)) and segment.isdigit():
        index = int(segment)
        return data[index] if index < len(data) else None
    return None


def _is_figure(data: object) -> bool:
    return isinstance(data, Mapping) and "value" in data and set(data) <= _FIGURE_KEYS


def _map_entry(data: object, segment: str) -> object:
    if isinstance(data, Mapping):
        for key, value in data.items():
            if str(key) == segment:
                return value
    return None


def place_of(model: type[BaseModel], path: str, data: object, language: str) -> Place | None:
    """The place of the figure at ``path`` in a pack of ``model``; ``data`` (the typed rules or
    the document) gives the labels of keys the pack names itself. None: no such field."""
    segments = path.split(".")
    fields = dict(schema_fields(model))
    first = fields.get(segments[0])
    if first is None or first.label is None:
        return None
    node: SchemaNode | None = first
    current = _child(data, segments[0])
    parts: list[str] = []
    for segment in segments[1:]:
        if node is None:
            return None
        if node.kind == "model" and node.model is not None:
            child = dict(schema_fields(node.model)).get(segment)
            if child is None:
                return None
            if child.label is not None and child.label.in_place:
                parts.append(child.label.in_place_text(language))
            node = child
        elif node.kind == "map":
            entry = _map_entry(current, segment)
            parts.append(key_label(node, segment, entry, language))
            node = node.item
        elif node.kind == "list":
            if not segment.isdigit():
                return None
            number = int(segment) + 1
            parts.append(node.items.get(number, language) if node.items else str(number))
            node = node.item
        else:
            return None
        current = _child(current, segment)
    section = first.label.get(language)
    kept: list[str] = []
    for part in parts:  # 起付线 · 起付线 reads once
        if part != (kept[-1] if kept else section):
            kept.append(part)
    return Place(section, segments[0], tuple(kept), node)


# --- Values in their units -----------------------------------------------------------------


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def format_amount(number: Decimal) -> str:
    """¥800, ¥1,000.50: whole yuan without decimals, otherwise two."""
    if number == number.to_integral_value():
        return f"¥{int(number):,}"
    return f"¥{number.quantize(Decimal('0.01')):,}"


def format_value(value: object, node: SchemaNode | None, language: str) -> str:
    """A figure's value as a person reads it, in its unit."""
    if node is None:
        return str(value)
    if node.kind == "ratio":
        try:
            return format_ratio(to_ratio(value))
        except ValueError:
            return str(value)
    if node.kind in ("money", "int"):
        if value is None:  # an optional limit left empty: there is none
            return bilingual(("不限", "no limit"), language)
        number = _decimal(value)
        if number is None:
            return str(value)
        if node.kind == "money" and node.unit in (None, Unit.YUAN):
            return format_amount(number)
        unit = bilingual(UNIT_LABELS[node.unit], language) if node.unit else ""
        text = f"{number.normalize():,f}" if node.kind == "money" else f"{int(number):,}"
        return f"{text} {unit}".strip() if unit and node.unit is not Unit.NUMBER else text
    if node.kind in ("bool", "choice"):
        return node.choice_label(value, language)
    if node.kind == "multi" and isinstance(value, (list, tuple)):
        separator = ", " if language.startswith("en") else "、"
        return separator.join(node.choice_label(v, language) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def unit_text(node: SchemaNode | None, language: str) -> str:
    """The unit written beside an input (元, %, 次 …); empty for a value without one."""
    if node is None or node.unit is None or node.unit is Unit.NUMBER:
        return ""
    return bilingual(UNIT_LABELS[node.unit], language)
