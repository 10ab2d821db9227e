"""A pack's figures as a supervisor reads them: grouped by section, each with its place in the
scheme (住院 · 三级医院 · 起付线), its value in its unit (¥800, 80%), its provenance note in the
reader's language and its sample mark. Built from the labels the schema declares
(``engine.policy.scheme``), so every family reads the same way; a YAML path is never shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from jingban.engine.policy import Figure, PolicyPack
from jingban.engine.policy.schema import FAMILY_MODELS
from jingban.engine.policy.scheme import format_value, place_of
from jingban.packs.queries import FigureChange


@dataclass(frozen=True)
class FigureRow:
    path: str  # kept in a data attribute for tests and the technical detail, never as text
    section: str
    place: str
    value: str
    sample: bool
    note: str

    @property
    def full(self) -> str:
        """Its place with its section (the figures page shows the section as a heading)."""
        if not self.section or self.section == self.place:
            return self.place
        return f"{self.section} · {self.place}"


@dataclass
class Section:
    key: str
    label: str
    rows: list[FigureRow] = field(default_factory=list)


def _row(pack: PolicyPack | None, figure: Figure, language: str) -> FigureRow:
    place = None
    if pack is not None:
        place = place_of(FAMILY_MODELS[pack.family], figure.path, pack.rules, language)
    if place is None:
        # A figure the schema does not name (it would not have loaded): its path, as a last
        # resort rather than hiding it.
        return FigureRow(figure.path, "", figure.path, str(figure.value), figure.sample, "")
    return FigureRow(
        path=figure.path,
        section=place.section,
        place=place.text or place.section,
        value=format_value(figure.value, place.node, language),
        sample=figure.sample,
        note=figure.note.get(language),
    )


def figure_sections(pack: PolicyPack, language: str) -> list[Section]:
    """The figures by section, sections in the order the schema declares them."""
    order = {name: index for index, name in enumerate(FAMILY_MODELS[pack.family].model_fields)}
    sections: dict[str, Section] = {}
    for figure in pack.figures:
        if figure.path in ("version", "schema"):
            continue
        row = _row(pack, figure, language)
        key = figure.path.split(".")[0]
        sections.setdefault(key, Section(key, row.section or key)).rows.append(row)
    return sorted(sections.values(), key=lambda s: order.get(s.key, len(order)))


@dataclass(frozen=True)
class ChangeRow:
    path: str
    place: str
    before: FigureRow | None
    after: FigureRow | None


def change_rows(
    changes: Sequence[FigureChange],
    before: PolicyPack | None,
    after: PolicyPack | None,
    language: str,
) -> list[ChangeRow]:
    """The differences from the previous approved version in the same labels and units."""
    rows = []
    for change in changes:
        old = _row(before, change.before, language) if change.before else None
        new = _row(after, change.after, language) if change.after else None
        shown = new or old
        assert shown is not None
        rows.append(ChangeRow(change.path, shown.full, old, new))
    return rows
