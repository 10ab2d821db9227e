"""docs/policy-packs.md: every shipped pack's numbers, with the ``sample`` ones listed apart.

Regenerate with ``jingban docs`` (or ``python -m jingban.docgen.packs``); a test fails when the
committed page differs from what this module renders.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from jingban.engine.policy import PolicyPack, shipped_registry
from jingban.engine.policy.loader import Figure
from jingban.engine.policy.schema import FAMILY_MODELS, LAYOUT_1, LAYOUT_2
from jingban.engine.policy.scheme import format_value, place_of

PAGE = Path("docs/policy-packs.md")

INTRO = """\
# Policy packs (政策包): every number

*Generated from `src/jingban/engine/policy/packs/` by `jingban docs`; do not edit by hand.*

A policy pack holds every number of one scheme's policy for one region and period: ratios,
deductibles, caps, bands, lump sums, contributions. The engine reads nothing else, so changing
a number never needs a code change. A pack is a YAML file validated into typed objects; a broken
pack fails to load with its file, the line and the path of each problem. Each pack has an
effective period, a version and a content hash (SHA-256 of the canonical content, provenance
notes included); every settlement records the id, version and hash of the packs that made it.

**Families and layouts.** Every pack has the same header (id, version, kind, family, title,
region, scheme, effective period, rounding, sources) and the rules of its scheme family:
`medical` (basic insurance with critical illness insurance and medical assistance: settles
claims), `supplementary` (a 惠民保 product stacked on a claim's public layers), `contribution`
(the personal contribution tiers and the fiscal subsidy of a contribution year), `desk` (the
citizens' desk's deadlines and report reward), `ltc_assessment` (a disability assessment
standard: items, bands and the combination table) or `ltc` (one city's long-term care rules:
acceptance, assessment, notice, validity, check-in and what each care form pays; see
[ltc-engine.md](ltc-engine.md)). Packs written
with `schema: 2` name their family and give every note in both languages; the packs of layout 1
(no `schema` key) are read through a compatibility path and keep their hashes. Of several
versions of a pack covering the same day, the latest version is in force
([ADR 0006](adr/0006-pack-schema-union.md)).

**`sample` figures.** A number that no seed article or cited source gives is written with
`sample: true` and a note, e.g. `{value: 800, sample: true, note: {zh: "…", en: "…"}}` (layout 1
wrote the note once, as plain text). This page gives the notes in English. Sample figures are
placeholders: they make the examples run and must be replaced by a region's published figure
before the pack settles real money. All of them are listed at the end of this page.

Amounts are in yuan (at most two decimals; held in fen), ratios as decimals (held as exact
fractions). Each figure is named here as the policy pages name it, by its place in the scheme
(Basic benefits · Inpatient · Deductible · Level 3 hospitals) and its value in its unit (¥800,
85%): the labels and units are declared beside the schema's fields
(`src/jingban/engine/policy/meta.py`), and the structured draft form is generated from them.
In the database, pack versions are imported from these files, or drafted on the policy pages
(in the structured form, or as text in the advanced view), and approved by a second person
after a confirmation; an approved version never changes.
"""


def _value(figure: Figure) -> str:
    value = figure.value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value, default=str)


def _labelled(pack: PolicyPack, figure: Figure, language: str) -> tuple[str, str]:
    """The figure's place in the scheme and its value in its unit, as the pages show them
    (the labels declared beside the schema's fields)."""
    place = place_of(FAMILY_MODELS[pack.family], figure.path, pack.rules, language)
    if place is None:
        return "", _value(figure)
    return place.full, format_value(figure.value, place.node, language)


def _note(figure: Figure, language: str) -> str:
    return figure.note.get(language)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _pack_section(pack: PolicyPack, language: str) -> list[str]:
    rules = pack.rules
    lines = [
        f"## {rules.title.zh} — {rules.title.en} (`{pack.ref}`)",
        "",
        "| | |",
        "|---|---|",
        f"| Pack | `{pack.ref}` ({rules.kind.value}) |",
        f"| Family · layout | `{pack.family.value}` · {_LAYOUTS[pack.layout]} |",
        f"| Region · scheme | `{rules.region}` · `{rules.scheme}` |",
        f"| Effective | {rules.effective.start.isoformat()} to {rules.effective.end.isoformat()} |",
        f"| Rounding | `{rules.rounding.value}` |",
        f"| Content hash | `{pack.hash}` |",
        f"| Figures | {len(pack.figures)}, of which {len(pack.samples)} sample |",
        "",
    ]
    if rules.sources:
        lines += ["Sources:", ""]
        lines += [
            f"- {source.title}" + (f": {note}" if (note := source.note_in(language)) else "")
            for source in rules.sources
        ]
        lines.append("")
    lines += ["| Figure | Path | Value | Sample | Note |", "|---|---|---|---|---|"]
    for figure in pack.figures:
        mark = "**sample**" if figure.sample else ""
        label, shown = _labelled(pack, figure, language)
        lines.append(
            f"| {_cell(label)} | `{figure.path}` | {_cell(shown)} | {mark} "
            f"| {_cell(_note(figure, language))} |"
        )
    lines.append("")
    return lines


_LAYOUTS = {
    LAYOUT_1: "1 (read through the compatibility path)",
    LAYOUT_2: "2 (`schema: 2`)",
}


def render(language: str = "en") -> str:
    """The page; the provenance notes in ``language`` (the committed page is in English)."""
    packs = shipped_registry().all()
    lines = [INTRO]
    for pack in packs:
        lines += _pack_section(pack, language)
    lines += [
        "## Every sample figure",
        "",
        "To verify against the region's published notice before real use.",
        "",
        "| Pack | Figure | Path | Value | Note |",
        "|---|---|---|---|---|",
    ]
    for pack in packs:
        for figure in pack.samples:
            label, shown = _labelled(pack, figure, language)
            lines.append(
                f"| `{pack.ref}` | {_cell(label)} | `{figure.path}` | {_cell(shown)} "
                f"| {_cell(_note(figure, language))} |"
            )
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    (root / PAGE).write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
