"""A pack's figures as the public reads them: each value in its unit (¥800, 65%), with the pack's
``sample`` mark and note, and the labels the schema declares (``engine.policy.meta``).

A figure marked ``sample`` in the pack is shown as a sample, never as the rule: the template
puts a 示例数据 badge beside it and its note below. The mark is looked up by the figure's path in
the pack (``benefits.inpatient.ratio_by_level.3``); a value written inside a figure marked as a
whole (a list of visit types) carries that mark.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from pydantic import BaseModel

from jingban.engine.money import format_ratio
from jingban.engine.policy import Figure, PolicyPack
from jingban.engine.policy.meta import YES_NO, bilingual
from jingban.engine.policy.scheme import field_node, format_amount


@dataclass(frozen=True)
class Shown:
    """One value as the page shows it. ``path`` goes in a data attribute (for the tests and a
    reader's technical question), never in the text."""

    text: str
    sample: bool = False
    note: str = ""
    path: str = ""


@functools.cache
def field_label(model: type[BaseModel], name: str, language: str) -> str:
    """The schema's label of ``model.name`` in ``language``."""
    node = field_node(model, name)
    if node is None or node.label is None:
        raise LookupError(f"{model.__name__}.{name} has no label")
    return node.label.get(language)


def yuan(fen: int) -> str:
    """Fen as yuan the way the pack pages write them: ¥800, ¥1,000.50."""
    return format_amount(Decimal(fen) / 100)


class FigureReader:
    """The values of one pack, each with its sample mark and note."""

    def __init__(self, pack: PolicyPack, language: str) -> None:
        self.pack = pack
        self.language = language
        self._figures = {figure.path: figure for figure in pack.figures}

    def figure(self, path: str) -> Figure | None:
        """The figure at ``path``, or the nearest figure above it (a list marked as a whole)."""
        parts = path.split(".")
        while parts:
            found = self._figures.get(".".join(parts))
            if found is not None:
                return found
            parts.pop()
        return None

    def shown(self, path: str, text: str) -> Shown:
        figure = self.figure(path)
        if figure is None:
            return Shown(text, path=path)
        return Shown(text, figure.sample, figure.note.get(self.language), path)

    def money(self, path: str, fen: int) -> Shown:
        return self.shown(path, yuan(fen))

    def ratio(self, path: str, ratio: Fraction) -> Shown:
        return self.shown(path, format_ratio(ratio))

    def yes_no(self, path: str, value: bool) -> Shown:
        return self.shown(path, self.text(YES_NO[value]))

    def choices(
        self, path: str, values: Iterable[object], labels: Mapping[object, tuple[str, str]]
    ) -> Shown:
        separator = ", " if self.english else "、"
        names = [self.text(labels[v]) if v in labels else str(v) for v in values]
        return self.shown(path, separator.join(names))

    def label(self, model: type[BaseModel], name: str) -> str:
        return field_label(model, name, self.language)

    def text(self, pair: tuple[str, str]) -> str:
        return bilingual(pair, self.language)

    @property
    def english(self) -> bool:
        return self.language.startswith("en")

    def samples_shown(self) -> bool:
        """Whether the pack marks any figure as a sample."""
        return any(figure.sample for figure in self.pack.figures)
