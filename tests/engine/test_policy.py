"""Policy packs: loading, validation errors with file/line/path, provenance, hash, registry."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from jingban.engine.codes import VisitType
from jingban.engine.policy import (
    SHIPPED_DIR,
    BadPackSpec,
    PackError,
    PackKind,
    PackRegistry,
    Problem,
    UnknownPack,
    load_pack_file,
    load_pack_text,
    parse_spec,
    region_ancestry,
    shipped_registry,
)
from tests.engine.packs import DELETE, shipped, variant

RESIDENT = "sample-resident-2025"
TEXT = (SHIPPED_DIR / f"{RESIDENT}.yaml").read_text("utf-8")


def problems_of(text: str) -> list[tuple[str, int | None, str]]:
    with pytest.raises(PackError) as caught:
        load_pack_text(text, source="broken.yaml")
    assert str(caught.value).startswith("broken.yaml: ")
    return [(p.path, p.line, p.message) for p in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_shipped_packs_load_with_the_seed_figures() -> None:
    registry = shipped_registry()
    assert registry.ids() == ["jiangsu-yihuibao-2021", RESIDENT]
    rules = registry.get(RESIDENT).rules
    assert rules.kind is PackKind.PUBLIC
    assert rules.contributions is not None
    assert rules.contributions.tiers == {"tier_1": 40_000, "tier_2": 77_500}
    assert rules.contributions.fiscal_subsidy == 67_000
    inpatient = rules.benefits[VisitType.INPATIENT]
    assert inpatient.ratio_by_level == {1: Fraction(17, 20), 2: Fraction(3, 4), 3: Fraction(13, 20)}
    assert rules.caps["two_diseases_diabetes"].amount == 37_500
    assert rules.benefits[VisitType.MATERNITY_CESAREAN].lump_sum == 200_000
    assert rules.critical_illness is not None
    assert [(b.above, b.up_to, b.ratio) for b in rules.critical_illness.bands] == [
        (1_000_000, 10_000_000, Fraction(3, 4)),
        (10_000_000, 20_000_000, Fraction(17, 20)),
        (20_000_000, None, Fraction(19, 20)),
    ]
    yihuibao = registry.get("jiangsu-yihuibao-2021").rules
    assert yihuibao.kind is PackKind.SUPPLEMENTARY
    assert yihuibao.supplementary is not None and yihuibao.supplementary.premium == 15_800


def test_every_figure_keeps_its_provenance() -> None:
    pack = shipped(RESIDENT)
    figures = {f.path: f for f in pack.figures}
    assert figures["benefits.inpatient.deductible.by_level.3"].sample is True
    assert "worked example" in figures["benefits.inpatient.deductible.by_level.3"].note
    assert figures["benefits.inpatient.ratio_by_level.3"].sample is False
    assert figures["caps.outpatient_general.amount"].value == 150
    samples = {f.path for f in pack.samples}
    assert "class_b_first_rate" in samples
    assert "medical_assistance.reference_income" in samples
    assert "benefits.inpatient.ratio_by_level.1" not in samples


def test_the_hash_ignores_layout_and_comments_but_not_figures() -> None:
    pack = load_pack_text(TEXT)
    assert pack.hash == shipped(RESIDENT).hash
    assert len(pack.hash) == 64
    reformatted = yaml.safe_dump(yaml.safe_load(TEXT), allow_unicode=True, sort_keys=True)
    assert load_pack_text("# a comment\n" + reformatted).hash == pack.hash
    changed = variant(RESIDENT, {"benefits.inpatient.ratio_by_level.3": 0.66})
    assert changed.hash != pack.hash
    renoted = TEXT.replace("no source gives the inpatient deductibles", "to verify")
    assert load_pack_text(renoted).hash != pack.hash


def test_a_pack_is_immutable() -> None:
    pack = shipped(RESIDENT)
    with pytest.raises(Exception, match="frozen"):
        pack.rules.benefits[VisitType.INPATIENT].ratio_by_level = {}  # type: ignore[misc]
    with pytest.raises(AttributeError):
        pack.hash = "x"  # type: ignore[misc]


def test_a_missing_number_is_named_with_its_path_and_line() -> None:
    text = TEXT.replace("      3: 0.65\n", "")
    [(path, line, message)] = problems_of(text)
    assert path == "benefits.inpatient"
    assert line == line_of(text, "  inpatient:")
    assert "ratio_by_level gives no figure for hospital level 3" in message


def test_a_missing_section_is_named() -> None:
    text = TEXT.replace("class_b_first_rate:", "class_b_first_rat:")
    problems = problems_of(text)
    assert (
        "class_b_first_rat",
        line_of(text, "class_b_first_rat:"),
        "Extra inputs are not permitted",
    ) in problems


def test_overlapping_bands_are_refused() -> None:
    text = TEXT.replace(
        "{above: 100000, up_to: 200000, ratio: 0.85}", "{above: 90000, up_to: 200000, ratio: 0.85}"
    )
    [(path, line, message)] = problems_of(text)
    assert path == "critical_illness.bands"
    assert line == line_of(text, "  bands:")
    assert message == "bands 1 and 2 overlap"


def test_a_gap_between_bands_is_refused() -> None:
    text = TEXT.replace("{above: 200000, ratio: 0.95}", "{above: 250000, ratio: 0.95}")
    [(_, _, message)] = problems_of(text)
    assert message == "there is a gap between bands 2 and 3"


def test_a_figure_written_twice_is_refused_with_its_line() -> None:
    text = TEXT.replace("      1: 0.85\n", "      1: 0.85\n      1: 0.95\n")
    [(_, line, message)] = problems_of(text)
    assert line == line_of(text, "1: 0.95")
    assert "written twice" in message


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "      3: 0.65\n",
            "      3: 1.65\n",
            "benefits.inpatient.ratio_by_level.3",
            "165% is not between 0 and 100%",
        ),
        (
            "    amount: 150\n",
            "    amount: 150.005\n",
            "caps.outpatient_general.amount",
            "'150.005' has more than two decimals",
        ),
        (
            "    amount: 150\n",
            "    amount: -150\n",
            "caps.outpatient_general.amount",
            "-150 is negative",
        ),
        (
            "    ratio: 0.90\n    caps: [pooled]",
            "    ratio: 0.90\n    caps: [pool]",
            "",
            "benefits.outpatient_dialysis draws from unknown cap 'pool'",
        ),
        ("  end: 2025-12-31", "  end: 2024-12-31", "effective", "end is before start"),
        (
            "      tekun: {value: 0.05",
            "      vip: {value: 0.05",
            "benefits.inpatient",
            "category_points: 'vip' is not a person category",
        ),
        (
            "  filed_temporary:\n",
            "  filed_temporarily:\n",
            "cross_region.filed_temporarily",
            "Input should be 'local', 'filed_long_term', 'referral', 'emergency', "
            "'filed_temporary' or 'unfiled'",
        ),
    ],
)
def test_contradictory_or_malformed_figures_are_refused(
    old: str, new: str, path: str, message: str
) -> None:
    assert old in TEXT
    problems = problems_of(TEXT.replace(old, new, 1))
    assert any(p == path and m == message for p, _, m in problems), problems


def test_broken_yaml_names_the_line() -> None:
    [(_, line, message)] = problems_of("id: x\nversion: [1\nkind: public\n")
    assert line == 3
    assert message.startswith("not valid YAML")
    [(_, line, message)] = problems_of("- just\n- a list\n")
    assert message == "a pack is a mapping of names to values"


def test_a_sample_mark_must_be_true_or_false() -> None:
    text = TEXT.replace("amount: 150\n", "amount: {value: 150, sample: maybe}\n")
    [(path, line, message)] = problems_of(text)
    assert (path, message) == ("caps.outpatient_general.amount", "sample must be true or false")
    assert line == line_of(text, "sample: maybe")


def test_a_supplementary_pack_needs_its_section() -> None:
    text = shipped("jiangsu-yihuibao-2021").text
    start = text.index("supplementary:\n")
    problems = problems_of(text[:start])
    assert ("", line_of(text, "id:"), "a supplementary pack needs a supplementary section") in (
        problems
    )


def test_a_file_that_cannot_be_read_is_a_pack_error(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="cannot read the file"):
        load_pack_file(tmp_path / "absent.yaml")
    (tmp_path / "latin1.yaml").write_bytes("id: caf\xe9".encode("latin-1"))
    with pytest.raises(PackError, match="cannot read the file"):
        load_pack_file(tmp_path / "latin1.yaml")


def test_the_registry_finds_versions_and_the_pack_in_force() -> None:
    v1 = shipped(RESIDENT)
    v2 = variant(RESIDENT, {"version": 2, "benefits.inpatient.ratio_by_level.3": 0.7})
    suzhou = variant(RESIDENT, {"id": "suzhou-resident-2025", "region": "320500"})
    registry = PackRegistry([v1, v2, suzhou, shipped("jiangsu-yihuibao-2021")])
    assert registry.get(RESIDENT) is v2
    assert registry.get(RESIDENT, 1) is v1
    assert registry.resolve(f"{RESIDENT}@1") is v1
    june = dt.date(2025, 6, 1)
    assert registry.in_force("320582", "resident_medical", june) is suzhou
    assert registry.in_force("320100", "resident_medical", june) is v2
    assert registry.in_force("320582", "huiminbao", june).id == "jiangsu-yihuibao-2021"
    with pytest.raises(UnknownPack, match="resident_medical in 320100 on 2026-01-01"):
        registry.in_force("320100", "resident_medical", dt.date(2026, 1, 1))
    with pytest.raises(UnknownPack, match=r"no policy pack 'sample-resident-2025@3' \(known: "):
        registry.get(RESIDENT, 3)
    with pytest.raises(UnknownPack, match="known: jiangsu-yihuibao-2021, sample-resident-2025"):
        registry.resolve("nowhere-2025")


def test_pack_specs() -> None:
    assert parse_spec("sample-resident-2025") == (RESIDENT, None)
    assert parse_spec(" sample-resident-2025@12 ") == (RESIDENT, 12)
    for bad in ("", "Sample", "x@", "sample-resident-2025@v2", "../etc"):
        with pytest.raises(BadPackSpec):
            parse_spec(bad)


def test_region_ancestry() -> None:
    assert region_ancestry("320582") == ["320582", "320500", "320000", "000000"]
    assert region_ancestry("320500") == ["320500", "320000", "000000"]
    assert region_ancestry("320000") == ["320000", "000000"]
    assert region_ancestry("000000") == ["000000"]


def test_deleting_a_required_figure_through_a_variant_is_refused() -> None:
    with pytest.raises(PackError, match=r"medical_assistance\.reference_income"):
        variant(RESIDENT, {"medical_assistance.reference_income": DELETE})


def test_problems_carry_a_code_and_parameters() -> None:
    text = TEXT.replace(
        "{above: 100000, up_to: 200000, ratio: 0.85}", "{above: 90000, up_to: 200000, ratio: 0.85}"
    )
    [problem] = load_problems(text)
    assert (problem.code, dict(problem.params)) == ("pack.bands_overlap", {"first": 1, "second": 2})
    [problem] = load_problems(TEXT.replace("    amount: 150\n", "    amount: 1.234\n"))
    assert (problem.code, dict(problem.params)) == ("money.too_precise", {"value": "1.234"})
    [problem] = load_problems(TEXT.replace("    amount: 150\n", ""))
    assert (problem.code, problem.path) == ("missing", "caps.outpatient_general.amount")


def test_an_impossible_date_is_a_problem_at_its_line_not_a_crash() -> None:
    text = TEXT.replace("  end: 2025-12-31", "  end: 2025-13-31")
    [problem] = load_problems(text)
    assert (problem.code, problem.line) == ("pack.bad_date", line_of(text, "2025-13-31"))
    assert problem.message == "2025-13-31 is not a date"


def test_a_key_written_twice_has_its_own_code() -> None:
    [problem] = load_problems(TEXT.replace("      1: 0.85\n", "      1: 0.85\n      1: 0.95\n"))
    assert (problem.code, dict(problem.params)) == ("pack.duplicate_key", {"key": "1"})


def load_problems(text: str) -> list[Problem]:
    with pytest.raises(PackError) as caught:
        load_pack_text(text)
    return list(caught.value.problems)


def test_anchors_and_aliases_are_refused() -> None:
    bomb = "id: x\na: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a]\n"
    [problem] = load_problems(bomb)
    assert (problem.code, problem.line) == ("pack.alias", 2)
    [problem] = load_problems(TEXT.replace("      1: 0.85\n", "      1: &r 0.85\n      2: *r\n"))
    assert problem.code == "pack.alias"


def test_a_pack_nested_too_deeply_is_a_problem_not_a_crash() -> None:
    [problem] = load_problems("id: " + "[" * 5000 + "]" * 5000 + "\n")
    assert (problem.code, problem.line) == ("pack.too_deep", 1)
    deep = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40)) + "  " * 40 + "v: 1\n"
    [problem] = load_problems(deep)
    assert problem.code == "pack.too_deep" and problem.line is not None and problem.line > 30
