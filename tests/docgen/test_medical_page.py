"""docs/medical-settlement.md is generated from the engine: the committed page is what the code
renders now, and its worked examples carry the figures of medical.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jingban.docgen import medical
from jingban.docgen.medical_examples import worked_examples
from jingban.engine.codes import VisitType
from jingban.engine.policy import shipped_registry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def page() -> str:
    return medical.render()


def _example(page: str, key: str) -> str:
    """The section of one worked example, up to the next one."""
    start = page.index(f'<a id="example-{key}"></a>')
    following = page.find('<a id="example-', start + 1)
    return page[start : following if following != -1 else len(page)]


def test_the_committed_page_is_what_the_engine_renders(page: str) -> None:
    committed = (ROOT / medical.PAGE).read_text(encoding="utf-8")
    assert committed == page, (
        f"{medical.PAGE} is out of date with the engine or the packs: regenerate it with "
        "`jingban docs` (or `python -m jingban.docgen.medical`) and commit the result."
    )


def test_rendering_twice_gives_the_same_page(page: str) -> None:
    assert medical.render() == page


def test_inpatient_example_has_the_figures_of_medical_md(page: str) -> None:
    section = _example(page, "inpatient")
    # class B first payment, in scope, fund, co-insurance + deductible, critical illness,
    # the remainder assistance works on, assistance, out of pocket.
    for figure in (
        "¥2,000.00",
        "¥53,000.00",
        "**¥33,930.00**",
        "¥19,070.00",
        "**¥6,802.50**",
        "¥12,267.50",
        "**¥8,587.25**",
        "**¥10,680.25**",
    ):
        assert figure in section, figure
    assert "relief_tilts_enabled: false" in section


@pytest.mark.parametrize(
    ("key", "figures"),
    [
        # 400 − 50 at 50% = 175, capped at 150.
        ("outpatient-pooling", ["¥175.00", "¥25.00", "**¥150.00**"]),
        # 600 × 50% = 300 → 220 for hypertension; diabetes 300 (cap 375 not reached).
        ("two-diseases", ["**¥220.00**", "¥80.00", "**¥300.00**"]),
        # (1,000 − 100) × 90% = 810; (3,000 − 100) × 90% = 2,610 → 2,000.
        ("accident", ["**¥810.00**", "¥2,610.00", "**¥2,000.00**"]),
        ("maternity", ["**¥1,000.00**", "**¥2,200.00**"]),
        # (30,000 − 800) × 65% × 80% = 15,184.
        ("cross-region", ["52%", "**¥15,184.00**"]),
        # qualifying 250,000 → 90,000 × 75% + 100,000 × 85% + 50,000 × 95% = 200,000; the
        # next 10,000 in the same year at 95%.
        ("critical-illness", ["¥250,000.00", "**¥200,000.00**", "¥400.00", "**¥9,500.00**"]),
        # 低保 with tilts: threshold 10,000 halved, 75% + 5 points; assistance deductible
        # 5% of 41,314 = 2,065.70.
        ("relief", ["¥5,000.00–¥100,000.00 80%", "**¥3,860.00**", "¥2,065.70", "**¥2,729.51**"]),
        # 江苏医惠保1号: deductible 20,000 inside first, then 80% / 60%.
        ("supplementary", ["¥20,000.00", "**¥3,494.00**", "**¥24,000.00**", "¥27,494.00"]),
    ],
)
def test_each_example_shows_its_figures(page: str, key: str, figures: list[str]) -> None:
    section = _example(page, key)
    for figure in figures:
        assert figure in section, (key, figure)


def test_every_example_is_conserved_and_names_its_packs(page: str) -> None:
    examples = worked_examples(shipped_registry())
    assert len(examples) == 9
    for example in examples:
        section = _example(page, example.key)
        for pack in example.packs:
            assert f"`{pack.ref}` (`{pack.hash[:12]}`)" in section
        for result in example.results:
            paid = result.paid + result.out_of_pocket
            assert paid == result.total
            assert f"**{_yuan(result.out_of_pocket)}**" in section


def test_every_layer_pays_in_some_example() -> None:
    results = [r for e in worked_examples(shipped_registry()) for r in e.results]
    assert any(r.basic_fund for r in results)
    assert any(r.critical_illness for r in results)
    assert any(r.medical_assistance for r in results)
    assert any(r.supplementary for r in results)


def test_prose_figures_come_from_the_pack(page: str) -> None:
    pack = shipped_registry().get("sample-resident-2025")
    rules = pack.rules
    inpatient = rules.benefits[VisitType.INPATIENT]
    assert inpatient.ratio_by_level is not None
    ratios = " · ".join(
        f"{level}: {round(ratio * 100)}%"
        for level, ratio in sorted(inpatient.ratio_by_level.items())
    )
    assert ratios in page
    assert f"¥{rules.caps['pooled'].amount // 100:,}.00†" in page
    # The sample mark follows every sample figure, and only those.
    assert "乙类项目 × 10%†" in page
    assert re.search(r"\| ¥10,000\.00 \| ¥100,000\.00 \| 75% \|", page)


def _yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"


def test_the_files_section_lists_every_column_and_code(page: str) -> None:
    from jingban.engine.codes import CrossRegion
    from jingban.engine.medical.files import CLAIM_COLUMNS, RESULT_COLUMNS

    section = page[page.index('<a id="files"></a>') :]
    for column in CLAIM_COLUMNS:
        assert f"| `{column}` |" in section
    for column in RESULT_COLUMNS:
        assert f"`{column}`" in section
    for code in [*VisitType, *CrossRegion]:
        assert f"`{code.value}`" in section
