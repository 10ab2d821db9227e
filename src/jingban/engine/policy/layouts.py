"""The layouts of a pack text and the compatibility path (docs/adr/0006-pack-schema-union.md).

Layout 1 is the text of the packs shipped in step 3: no ``schema`` key and no ``family``; its
``kind`` says which rules it holds (``public`` the medical family, ``supplementary`` the
supplementary one), notes may be plain text and a medical pack may carry its contributions.
Layout 2 says ``schema: 2`` and names its ``family``; every note is in both languages.

A layout-1 text is upgraded in memory before validation (its family added); the text and its
hash stay as written, so an approved version keeps the hash it was approved with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jingban.engine.policy.header import LAYOUT_1, LAYOUTS, Family, PackKind

SCHEMA_KEY = "schema"

# What a layout-1 pack's kind means.
_LAYOUT_1_FAMILY = {
    PackKind.PUBLIC.value: Family.MEDICAL,
    PackKind.SUPPLEMENTARY.value: Family.SUPPLEMENTARY,
}


class LayoutProblem(Exception):
    """A text the loader cannot place in a layout: the path of the key at fault, a stable code,
    the English message and its parameters."""

    def __init__(self, path: str, code: str, message: str, **params: object) -> None:
        self.path = path
        self.code = code
        self.params = params
        super().__init__(message)


def layout_of(data: Mapping[str, Any]) -> int:
    """The layout a pack text is written in: its ``schema`` key, 1 without one."""
    if SCHEMA_KEY not in data:
        if "family" in data:
            raise LayoutProblem(
                "family",
                "pack.schema_missing",
                "a pack that names its family says which layout it is written in: schema: 2",
            )
        return LAYOUT_1
    schema = data[SCHEMA_KEY]
    if isinstance(schema, bool) or schema not in LAYOUTS:
        expected = ", ".join(str(n) for n in LAYOUTS)
        raise LayoutProblem(
            SCHEMA_KEY,
            "pack.unknown_schema",
            f"schema {schema} is not a pack layout this jingban reads ({expected})",
            schema=str(schema),
            expected=expected,
        )
    return int(schema)


def upgrade(data: Mapping[str, Any], layout: int) -> dict[str, Any]:
    """The plain (notes taken off) document as the current models read it."""
    plain = {k: v for k, v in data.items() if k != SCHEMA_KEY}
    if layout != LAYOUT_1:
        return plain
    kind = plain.get("kind")
    family = _LAYOUT_1_FAMILY.get(kind) if isinstance(kind, str) else None
    if family is None:
        expected = " or ".join(repr(k) for k in _LAYOUT_1_FAMILY)
        if "kind" not in plain:
            raise LayoutProblem("kind", "missing", "Field required")
        raise LayoutProblem(
            "kind",
            "enum",
            f"Input should be {expected}",
            expected=expected,
        )
    return {**plain, "family": family.value}


NOTE_KEYS = ("zh", "en")


def parse_note(note: object, layout: int) -> tuple[str, str]:
    """A provenance note as (Chinese, English): plain text (layout 1 only: the same text in
    both), or ``{zh: …, en: …}``. Raises ``LayoutProblem`` (without a path) for another shape."""
    if isinstance(note, Mapping):
        texts = [note.get(key) for key in NOTE_KEYS]
        if set(note) == set(NOTE_KEYS) and all(isinstance(t, str) and t.strip() for t in texts):
            return str(texts[0]), str(texts[1])
    elif isinstance(note, str) and layout == LAYOUT_1:
        return note, note
    elif isinstance(note, str):
        raise LayoutProblem(
            "",
            "pack.note_not_bilingual",
            "from schema 2 on, a note is written in both languages: {zh: …, en: …}",
        )
    raise LayoutProblem(
        "", "pack.note_shape", "a note is text, or {zh: …, en: …} with both languages"
    )
