"""docs/policy-packs.md lists every number of every shipped pack, the sample ones apart, and
`jingban docs --check` tells when a generated page is stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jingban.docgen import packs
from jingban.engine.policy import shipped_registry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _english_messages():
    """The commands speak the default language (Chinese); these tests read their English."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_the_committed_page_is_what_the_packs_render() -> None:
    committed = (ROOT / packs.PAGE).read_text(encoding="utf-8")
    assert committed == packs.render(), (
        f"{packs.PAGE} is out of date with the packs: run `jingban docs` and commit the result."
    )


def test_every_figure_and_every_sample_is_listed() -> None:
    page = packs.render()
    samples_section = page[page.index("## Every sample figure") :]
    for pack in shipped_registry().all():
        assert f"`{pack.hash}`" in page
        for figure in pack.figures:
            assert f"| `{figure.path}` |" in page
        for figure in pack.samples:
            assert any(
                line.startswith(f"| `{pack.ref}` | ") and f"| `{figure.path}` |" in line
                for line in samples_section.splitlines()
            ), (pack.ref, figure.path)
    # Each figure with its place in the scheme and its value in its unit.
    place = "Basic benefits · Inpatient · Deductible · Level 3 hospitals"
    for version in (1, 2):
        assert (
            f"| `sample-resident-2025@{version}` | {place} "
            "| `benefits.inpatient.deductible.by_level.3` | ¥800 |"
        ) in samples_section
    # A figure some source gives is not in the sample list.
    assert "`benefits.inpatient.ratio_by_level.3`" not in samples_section


def _section(page: str, spec: str) -> str:
    start = page.index(f"(`{spec}`)\n")
    return page[start : page.index("\n## ", start)]


def test_each_pack_says_its_family_and_layout() -> None:
    page = packs.render()
    assert "| Family · layout | `medical` · 1 (read through the compatibility path) |" in (
        _section(page, "sample-resident-2025@1")
    )
    assert "| Family · layout | `medical` · 2 (`schema: 2`) |" in (
        _section(page, "sample-resident-2025@2")
    )
    contributions = _section(page, "sample-resident-contributions-2025@1")
    assert "| Family · layout | `contribution` · 2 (`schema: 2`) |" in contributions
    assert (
        "| Contribution tiers · Tier 2 · Personal contribution | `tiers.tier_2.amount` | ¥775 |"
    ) in contributions
    assert "| `fiscal_subsidy` | ¥670 |  | the seed gives 670 for 2025;" in contributions


def test_a_bilingual_note_is_rendered_in_the_language_asked_for() -> None:
    english, chinese = packs.render(), packs.render("zh-hans")
    row = "| `benefits.inpatient.deductible.by_level.3` | ¥800 | **sample** | "
    v2 = _section(english, "sample-resident-2025@2")
    assert row + "the placeholder of the worked example in medical.md |" in v2
    assert row + "medical.md算例中的占位数 |" in _section(chinese, "sample-resident-2025@2")
    # A layout-1 note was written once: the same in both.
    for page in (english, chinese):
        assert row + "the placeholder of the worked example in medical.md |" in _section(
            page, "sample-resident-2025@1"
        )
    assert "- 江苏医惠保1号 (seed 001): 保费158元" in _section(chinese, "jiangsu-yihuibao-2021@2")
    assert "- 江苏医惠保1号 (seed 001): premium 158 yuan" in _section(
        english, "jiangsu-yihuibao-2021@2"
    )


def test_docs_check_names_a_stale_page_and_rewriting_fixes_it(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    call_command("docs", "--check", "--root", str(tmp_path))
    page = tmp_path / packs.PAGE
    page.write_text(page.read_text("utf-8").replace("| ¥150 |", "| ¥151 |"), "utf-8")
    with pytest.raises(CommandError, match=r"Out of date: docs/policy-packs\.md"):
        call_command("docs", "--check", "--root", str(tmp_path))
    call_command("docs", "--root", str(tmp_path))
    call_command("docs", "--check", "--root", str(tmp_path))
    assert page.read_text("utf-8") == packs.render()


def test_docs_refuses_a_root_without_docs(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="has no docs/ folder"):
        call_command("docs", "--root", str(tmp_path))
