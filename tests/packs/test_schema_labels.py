"""Every field of every rules model (every family, and whatever later families add to
``FAMILY_MODELS``) has a label in both languages, and a unit where it holds a number; the form
renders every field with its label and unit in both languages, and every figure of every shipped
pack has a place in the scheme."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils.html import escape
from pydantic import BaseModel

from jingban.engine.policy import shipped_registry
from jingban.engine.policy.schema import FAMILY_MODELS
from jingban.engine.policy.scheme import NUMERIC, SchemaNode, format_value, place_of, schema_fields
from jingban.packs import structured
from jingban.packs.structured import Leaf

LANGUAGES = ("zh-hans", "en")


def _nodes(model: type[BaseModel], where: str) -> Iterator[tuple[str, SchemaNode]]:
    for name, node in schema_fields(model):
        yield f"{where}.{name}", node
        yield from _inner(node, f"{where}.{name}")


def _inner(node: SchemaNode, where: str) -> Iterator[tuple[str, SchemaNode]]:
    if node.kind == "model" and node.model is not None:
        yield from _nodes(node.model, where)
    elif node.item is not None:
        yield f"{where}[]", node.item
        yield from _inner(node.item, f"{where}[]")


@pytest.mark.parametrize("family", list(FAMILY_MODELS))
def test_every_field_has_a_label_in_both_languages_and_a_unit(family: object) -> None:
    _check_labels(FAMILY_MODELS[family])  # type: ignore[index]


def _check_labels(model: type[BaseModel]) -> None:
    for where, node in _nodes(model, model.__name__):
        if not where.endswith("[]"):
            assert node.label is not None, f"{where} has no label"
            assert node.label.zh.strip() and node.label.en.strip(), f"{where}: a label is empty"
            assert node.label.zh != node.label.en, f"{where}: the Chinese label is the English"
        if node.kind in NUMERIC and not node.fixed:
            assert node.unit is not None, f"{where} holds a number without a unit"
        if node.kind == "map" and node.keys is not None and node.keys.vocabulary is not None:
            for key, names in node.keys.vocabulary.items():
                assert all(n.strip() for n in names), f"{where}: key {key} has no label"
        for value, names in (node.choices or {}).items():
            assert all(str(n).strip() for n in names), f"{where}: choice {value} has no label"


def _full(node: SchemaNode) -> Any:
    """A form document with every part present: each optional section, one entry of each map
    and one item of each list, a value in each leaf."""
    if node.kind == "model" and node.model is not None:
        return {
            name: _full(child) for name, child in schema_fields(node.model) if not child.layout_one
        }
    if node.kind == "map":
        assert node.item is not None
        vocabulary = node.keys.vocabulary if node.keys else None
        key = str(next(iter(vocabulary))) if vocabulary else "entry"
        return {key: _full(node.item)}
    if node.kind == "list":
        assert node.item is not None
        return [_full(node.item)]
    if node.kind == "text":
        return Leaf("", False, "名称", "Name")
    if node.kind in ("multi", "refs"):
        return Leaf([])
    return Leaf("1")


@pytest.mark.parametrize("family", list(FAMILY_MODELS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_renders_every_field_with_its_label_and_unit(
    family: object, language: str
) -> None:
    from django.utils import translation

    model = FAMILY_MODELS[family]  # type: ignore[index]
    document = _full(structured.root(model))
    with translation.override(language):
        sections = structured.build(model, document, language)
        html = "".join(
            render_to_string("packs/_entry.html", {"entry": section}) for section in sections
        )
    leaves = [e for s in sections for e in s.walk() if e.leaf is not None]
    assert leaves
    for entry in (e for s in sections for e in s.walk()):
        segment = entry.path.rsplit(".", 1)[-1]
        assert entry.label.strip(), entry.path
        # A label is never the schema's own name for the field (a fallback).
        assert entry.kind == "fixed" or entry.label != segment or entry.key, entry.path
        if entry.leaf is not None:
            if entry.kind in ("money", "ratio", "int"):
                assert entry.unit, f"{entry.path} is shown without its unit"
                label = f'{escape(entry.label)} <span class="unit">({entry.unit})</span>'
                assert f'<label for="{entry.ident}">{label}</label>' in html, entry.path
            elif entry.kind not in ("text", "multi", "refs"):
                assert f'<label for="{entry.ident}">{escape(entry.label)}' in html, entry.path
            else:
                assert f"<legend>{escape(entry.label)}</legend>" in html, entry.path


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shipped_figure_has_a_place_and_a_unit(language: str) -> None:
    for pack in shipped_registry().all():
        model = FAMILY_MODELS[pack.family]
        for figure in pack.figures:
            place = place_of(model, figure.path, pack.rules, language[:2])
            assert place is not None, (pack.ref, figure.path)
            assert figure.path not in place.full, (pack.ref, figure.path)
            if language.startswith("zh"):  # no English and no code in Chinese
                assert not re.search("[A-Za-z_]", place.full), (pack.ref, place.full)
            shown = format_value(figure.value, place.node, language[:2])
            assert shown and shown != "None"


def test_a_place_and_value_read_as_the_scheme_says() -> None:
    pack = shipped_registry().get("sample-resident-2025", 2)
    model = FAMILY_MODELS[pack.family]
    path = "benefits.inpatient.deductible.by_level.3"
    zh = place_of(model, path, pack.rules, "zh")
    en = place_of(model, path, pack.rules, "en")
    assert zh is not None and en is not None
    assert zh.full == "基本医保待遇 · 住院 · 起付线 · 三级医院"
    assert en.full == "Basic benefits · Inpatient · Deductible · Level 3 hospitals"
    assert format_value(800, zh.node, "zh") == "¥800"
    ratio = place_of(model, "benefits.inpatient.ratio_by_level.1", pack.rules, "zh")
    assert ratio is not None and format_value(0.85, ratio.node, "zh") == "85%"
    assert ratio.full == "基本医保待遇 · 住院 · 报销比例 · 一级及以下医院"
    band = place_of(model, "critical_illness.bands.2.ratio", pack.rules, "zh")
    assert band is not None and band.full == "大病保险 · 第3段 · 支付比例"
    assert format_value(0.975, band.node, "zh") == "97.5%"
    assert format_value(1000.5, zh.node, "zh") == "¥1,000.50"


def test_the_label_check_fails_for_a_field_without_a_label_or_unit() -> None:
    from typing import Annotated

    from jingban.engine.policy.header import Money
    from jingban.engine.policy.meta import Label

    class Unlabelled(BaseModel):
        amount: Money

    class Unitless(BaseModel):
        amount: Annotated[Money, Label("金额", "Amount")]

    class HalfLabelled(BaseModel):
        amount: Annotated[Money, Label("", "Amount")]

    for model in (Unlabelled, Unitless, HalfLabelled):
        with pytest.raises(AssertionError):
            _check_labels(model)
