"""docs/roles-and-capabilities.md is rendered from the installed apps' plugins and kept current."""

from __future__ import annotations

from pathlib import Path

from jingban.docgen import capabilities

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_page_is_current() -> None:
    committed = (ROOT / capabilities.PAGE).read_text(encoding="utf-8")
    assert committed == capabilities.render(), "run `jingban docs` and commit the result"


def test_the_page_lists_grants_and_labels_in_both_languages() -> None:
    page = capabilities.render()
    operator = next(line for line in page.splitlines() if line.startswith("| Operator"))
    assert "`registry.person.reveal`" in operator and "`core.synth.run`" not in operator
    assert (
        "| registry | `registry.person.registered` | registered an insured person | 登记了参保人 |"
        in page
    )
