"""Policy packs: loading, validation errors with file/line/path, provenance, hash, registry."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import given

from jingban.engine.codes import VisitType
from jingban.engine.medical import Claim, adjudicate
from jingban.engine.policy import (
    SHIPPED_DIR,
    BadPackSpec,
    Family,
    PackError,
    PackKind,
    PackRegistry,
    Problem,
    UnknownPack,
    WrongFamily,
    load_pack_file,
    load_pack_text,
    parse_spec,
    region_ancestry,
    shipped_registry,
)
from tests.engine.packs import DELETE, shipped, variant
from tests.engine.test_properties import PROPERTY_SETTINGS, sequences, settle

RESIDENT = "sample-resident-2025"
YIHUIBAO = "jiangsu-yihuibao-2021"
CONTRIBUTIONS = "sample-resident-contributions-2025"
# The resident pack in the current layout (schema 2); the checks below edit it.
TEXT = (SHIPPED_DIR / f"{RESIDENT}.v2.yaml").read_text("utf-8")


def problems_of(text: str) -> list[tuple[str, int | None, str]]:
    with pytest.raises(PackError) as caught:
        load_pack_text(text, source="broken.yaml")
    assert str(caught.value).startswith("broken.yaml: ")
    return [(p.path, p.line, p.message) for p in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("version", [1, 2])
def test_the_shipped_packs_load_with_the_seed_figures(version: int) -> None:
    registry = shipped_registry()
    assert registry.ids() == [
        "jiangsu-ankang-2026",
        YIHUIBAO,
        "national-ltc-assessment-2021",
        RESIDENT,
        "sample-resident-2026",
        CONTRIBUTIONS,
        "sample-resident-contributions-2026",
        "suzhou-desk-2026",
        "suzhou-filing-2026",
        "suzhou-ltc",
        "suzhou-reimbursement-2026",
        "tengzhou-ltc-2024",
        "yantai-ltc",
        "zhangjiagang-ltc-2021",
    ]
    pack = registry.get(RESIDENT, version)
    assert (pack.layout, pack.family, pack.kind) == (version, Family.MEDICAL, PackKind.PUBLIC)
    rules = pack.medical
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
    yihuibao = registry.get(YIHUIBAO, version)
    assert (yihuibao.layout, yihuibao.family) == (version, Family.SUPPLEMENTARY)
    assert yihuibao.kind is PackKind.SUPPLEMENTARY
    assert yihuibao.supplementary.supplementary.premium == 15_800


def test_the_contribution_figures_live_in_a_contribution_pack_from_layout_2_on() -> None:
    # Layout 1 carried them inside the medical pack; that version still reads them.
    legacy = shipped(RESIDENT, 1).medical.contributions
    assert legacy is not None
    assert legacy.tiers == {"tier_1": 40_000, "tier_2": 77_500}
    assert legacy.fiscal_subsidy == 67_000
    assert shipped(RESIDENT, 2).medical.contributions is None
    pack = shipped(CONTRIBUTIONS)
    assert (pack.ref.version, pack.layout, pack.family, pack.kind) == (
        2,
        2,
        Family.CONTRIBUTION,
        PackKind.PUBLIC,
    )
    rules = pack.contribution
    assert {code: tier.amount for code, tier in rules.tiers.items()} == {
        "tier_1": 40_000,
        "tier_2": 77_500,
    }
    assert rules.tiers["tier_2"].label.get("zh-hans") == "二档"
    assert rules.fiscal_subsidy == 67_000
    assert (rules.region, rules.scheme) == ("000000", "resident_medical")
    assert rules.effective.covers(dt.date(2025, 1, 1)) and rules.effective.covers(
        dt.date(2025, 12, 31)
    )


def test_every_figure_keeps_its_provenance() -> None:
    pack = shipped(RESIDENT)
    figures = {f.path: f for f in pack.figures}
    deductible = figures["benefits.inpatient.deductible.by_level.3"]
    assert deductible.sample is True
    assert "worked example" in deductible.note.en
    assert deductible.note.zh == "medical.md算例中的占位数"
    assert figures["benefits.inpatient.ratio_by_level.3"].sample is False
    assert not figures["benefits.inpatient.ratio_by_level.3"].note
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
    text = shipped(YIHUIBAO).text
    start = text.index("supplementary:\n")
    problems = problems_of(text[:start])
    # A missing section is named at the top of the pack, its first key.
    assert ("supplementary", line_of(text, "schema: 2"), "Field required") in problems


def test_a_file_that_cannot_be_read_is_a_pack_error(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="cannot read the file"):
        load_pack_file(tmp_path / "absent.yaml")
    (tmp_path / "latin1.yaml").write_bytes("id: caf\xe9".encode("latin-1"))
    with pytest.raises(PackError, match="cannot read the file"):
        load_pack_file(tmp_path / "latin1.yaml")


def test_the_registry_finds_versions_and_the_pack_in_force() -> None:
    v1, v2 = shipped(RESIDENT, 1), shipped(RESIDENT, 2)
    v3 = variant(RESIDENT, {"version": 3, "benefits.inpatient.ratio_by_level.3": 0.7})
    suzhou = variant(RESIDENT, {"id": "suzhou-resident-2025", "region": "320500"})
    registry = PackRegistry([v1, v2, v3, suzhou, shipped(YIHUIBAO)])
    assert registry.get(RESIDENT) is v3
    assert registry.get(RESIDENT, 1) is v1
    assert registry.resolve(f"{RESIDENT}@2") is v2
    june = dt.date(2025, 6, 1)
    assert registry.in_force("320582", "resident_medical", june) is suzhou
    assert registry.in_force("320100", "resident_medical", june) is v3
    assert registry.in_force("320582", "huiminbao", june).id == YIHUIBAO
    with pytest.raises(UnknownPack, match="resident_medical in 320100 on 2026-01-01"):
        registry.in_force("320100", "resident_medical", dt.date(2026, 1, 1))
    with pytest.raises(UnknownPack, match=r"no policy pack 'sample-resident-2025@4' \(known: "):
        registry.get(RESIDENT, 4)
    with pytest.raises(UnknownPack, match="known: jiangsu-yihuibao-2021, sample-resident-2025"):
        registry.resolve("nowhere-2025")


def test_the_newest_version_of_a_shipped_pack_is_in_force() -> None:
    """Both versions cover 2025; the newer one wins, as a newly approved version would."""
    registry = shipped_registry()
    june = dt.date(2025, 6, 1)
    medical = registry.in_force("320582", "resident_medical", june, Family.MEDICAL)
    assert (medical.id, medical.version) == (RESIDENT, 2)
    product = registry.in_force("320582", "huiminbao", june)
    assert (product.id, product.version) == (YIHUIBAO, 2)
    contributions = registry.in_force("320582", "resident_medical", june, Family.CONTRIBUTION)
    assert contributions.id == CONTRIBUTIONS
    # The medical rules and the contributions of one scheme: the family must be named.
    # Without a family the nearest region's packs answer: Suzhou's desk and filing packs
    # (320500) come before the province's medical and contribution packs, and two families
    # there leave the question open, which is why callers name one.
    with pytest.raises(UnknownPack, match="name one family of desk, filing"):
        registry.in_force("320582", "resident_medical", june)
    with pytest.raises(UnknownPack, match=r"huiminbao \(medical\) in 320582"):
        registry.in_force("320582", "huiminbao", june, Family.MEDICAL)


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


# --- Layouts, families and the compatibility path (docs/adr/0006-pack-schema-union.md) ------

# The content hashes of the shipped packs as approved in step 3 (commit e97c35d, `jingban policy
# list` and docs/policy-packs.md of that commit), and the SHA-256 of their files' bytes there.
OLD_HASHES = {
    (RESIDENT, 1): "3c8d84612c4bbc2b516cb4a66b0d9b7cd6605ddeaab904c3dd30fdb49d5f46c7",
    (YIHUIBAO, 1): "dd4df5227a90d7b7565d0aa216e3b8c1d927b3e8141f797ca028e901d9d31586",
}
OLD_FILES = {
    f"{RESIDENT}.yaml": "ffb41d246800ff0a2140365cf6992a12c8ed22b770a4bdfc09bcb86adf6293ef",
    f"{YIHUIBAO}.yaml": "f78f3cd7cbd5bcd6e43c7d73d75ec8a444cffdef6cf00ce07095b57638e3ce04",
}


@pytest.mark.parametrize(("pack_id", "version"), sorted(OLD_HASHES))
def test_an_approved_version_keeps_its_text_and_its_hash(pack_id: str, version: int) -> None:
    pack = shipped(pack_id, version)
    assert pack.layout == 1
    assert pack.hash == OLD_HASHES[(pack_id, version)]
    assert load_pack_text(pack.text).hash == pack.hash
    name = f"{pack_id}.yaml"
    assert pack.source == name
    assert hashlib.sha256((SHIPPED_DIR / name).read_bytes()).hexdigest() == OLD_FILES[name]


@pytest.mark.parametrize("pack_id", [RESIDENT, YIHUIBAO])
def test_version_2_is_version_1_in_the_new_layout(pack_id: str) -> None:
    """The same rules and the same figures (the contributions aside, which moved), with every
    note in both languages; the hash differs, since the text does."""
    old, new = shipped(pack_id, 1), shipped(pack_id, 2)
    assert (old.layout, new.layout) == (1, 2)
    assert new.hash != old.hash
    moved = {"version", "sources", "contributions"}
    assert new.rules.model_dump(exclude=moved) == old.rules.model_dump(exclude=moved)
    assert [(s.title, s.url) for s in new.rules.sources] == [
        (s.title, s.url) for s in old.rules.sources
    ]

    def figures(pack: object) -> list[tuple[str, object, bool]]:
        return [
            (f.path, f.value, f.sample)
            for f in pack.figures  # type: ignore[attr-defined]
            if not f.path.startswith("contributions.")
        ]

    assert figures(new) == figures(old)
    old_notes = {f.path: f.note for f in old.figures if f.note}
    new_notes = {f.path: f.note for f in new.figures if f.note}
    assert set(old_notes) - {"contributions"} <= set(new_notes)
    for path, note in new_notes.items():
        # Bilingual: a Chinese text and an English one, the English as version 1 wrote it.
        assert note.zh != note.en and re.search(r"[\u4e00-\u9fff]", note.zh), path
        if path in old_notes:
            assert note.en == old_notes[path].en, path
    for source in new.rules.sources:
        assert source.note_in("zh-hans") != source.note_in("en")


def test_every_shipped_file_is_named_for_its_pack_and_version() -> None:
    for pack in shipped_registry().all():
        expected = f"{pack.id}.yaml" if pack.version == 1 else f"{pack.id}.v{pack.version}.yaml"
        assert pack.source == expected


def test_a_plain_note_is_read_in_layout_1_and_refused_in_layout_2() -> None:
    old = shipped(RESIDENT, 1)
    note = next(f.note for f in old.figures if f.path == "class_b_first_rate")
    assert note.zh == note.en == "provinces set 5–20%; 10% as in the worked example of medical.md"
    text = TEXT.replace(
        "note: {zh: 没有来源给出住院起付线, en: no source gives the inpatient deductibles}",
        'note: "no source gives the inpatient deductibles"',
    )
    [problem] = load_problems(text)
    assert (problem.path, problem.code) == (
        "benefits.inpatient.deductible.by_level.1.note",
        "pack.note_not_bilingual",
    )
    assert problem.line == line_of(text, '"no source gives the inpatient deductibles"')


@pytest.mark.parametrize(
    "note",
    ["{zh: 只有中文}", "{zh: 中文, en: English, fr: Français}", "{zh: '', en: English}", "[a, b]"],
)
def test_a_note_of_another_shape_is_refused(note: str) -> None:
    text = TEXT.replace(
        "{zh: 没有来源给出住院起付线, en: no source gives the inpatient deductibles}", note
    )
    [problem] = load_problems(text)
    assert (problem.path, problem.code) == (
        "benefits.inpatient.deductible.by_level.1.note",
        "pack.note_shape",
    )


def test_a_plain_source_note_is_refused_in_layout_2() -> None:
    bilingual = (
        "    note:\n      zh: 异地就医人员类别；其他临时外出就医80%的比例取自苏州\n"
        "      en: cross-region categories; the 80% ratio of other temporary treatment"
        " is Suzhou's\n"
    )
    assert bilingual in TEXT
    text = TEXT.replace(bilingual, "    note: cross-region categories\n")
    [problem] = load_problems(text)
    assert (problem.path, problem.code) == ("sources.2.note", "pack.note_not_bilingual")
    assert problem.line == line_of(text, "note: cross-region categories")


def test_an_unknown_family_is_refused_at_its_line() -> None:
    text = TEXT.replace("family: medical\n", "family: long_term_care\n")
    [problem] = load_problems(text)
    assert (problem.path, problem.line, problem.code) == (
        "family",
        line_of(text, "family: long_term_care"),
        "pack.unknown_family",
    )
    assert problem.params == {
        "family": "'long_term_care'",
        "expected": (
            "medical, supplementary, contribution, desk, ltc_assessment, ltc, filing, accident, "
            "reimbursement"
        ),
    }
    [problem] = load_problems(TEXT.replace("family: medical\n", ""))
    assert (problem.path, problem.code) == ("family", "pack.family_missing")


def test_the_layout_is_named_by_the_schema_key() -> None:
    [problem] = load_problems(TEXT.replace("schema: 2\n", "schema: 3\n"))
    assert (problem.path, problem.code, problem.line) == (
        "schema",
        "pack.unknown_schema",
        line_of(TEXT, "schema: 2"),
    )
    assert problem.message == "schema 3 is not a pack layout this jingban reads (1, 2)"
    [problem] = load_problems(TEXT.replace("schema: 2\n", ""))
    assert (problem.path, problem.code) == ("family", "pack.schema_missing")
    [problem] = load_problems(shipped(RESIDENT, 1).text.replace("kind: public", "kind: ltc"))
    assert (problem.path, problem.code) == ("kind", "enum")


def test_rules_of_another_family_are_refused_at_their_line() -> None:
    yihuibao = shipped(YIHUIBAO).text
    text = yihuibao + "class_b_first_rate: 0.10\n"
    [problem] = load_problems(text)
    assert (problem.path, problem.line, problem.code) == (
        "class_b_first_rate",
        line_of(text, "class_b_first_rate"),
        "pack.section_of_other_family",
    )
    assert problem.message == (
        "class_b_first_rate belongs to a medical pack, not to a supplementary pack"
    )
    # The family decides the rules: a medical text named supplementary lacks its section and
    # has the medical ones too many.
    text = TEXT.replace("family: medical\n", "family: supplementary\n")
    problems = load_problems(text)
    codes = {(p.path, p.code) for p in problems}
    assert ("supplementary", "missing") in codes
    assert ("benefits", "pack.section_of_other_family") in codes
    assert ("kind", "pack.kind_not_of_family") in codes
    benefits = next(p for p in problems if p.path == "benefits")
    assert benefits.line == line_of(text, "benefits:")


def test_a_kind_that_does_not_fit_the_family_is_refused() -> None:
    text = TEXT.replace("kind: public\n", "kind: supplementary\n")
    [problem] = load_problems(text)
    assert (problem.path, problem.line, problem.code) == (
        "kind",
        line_of(text, "kind: supplementary"),
        "pack.kind_not_of_family",
    )
    assert problem.message == "a medical pack is of kind public, not supplementary"


def test_contributions_inside_a_medical_pack_are_refused_from_layout_2_on() -> None:
    text = TEXT.replace(
        "person_categories:\n",
        "contributions:\n  tiers: {tier_1: 400}\n  fiscal_subsidy: 670\nperson_categories:\n",
    )
    [problem] = load_problems(text)
    assert (problem.path, problem.line, problem.code) == (
        "contributions",
        line_of(text, "contributions:"),
        "pack.contributions_moved",
    )


def test_a_contribution_pack_needs_its_figures() -> None:
    text = shipped(CONTRIBUTIONS).text
    [problem] = load_problems(text.replace("    amount: 775\n", "    amount: 775.001\n"))
    assert (problem.path, problem.code) == ("tiers.tier_2.amount", "money.too_precise")
    start = text.index("fiscal_subsidy:")
    [problem] = load_problems(text[:start])
    assert (problem.path, problem.code) == ("fiscal_subsidy", "missing")


def test_only_medical_and_supplementary_packs_settle_a_claim() -> None:
    claim = Claim(
        claim_id="c1",
        person_id="p1",
        visit_type=VisitType.OUTPATIENT_GENERAL,
        hospital_level=1,
        service_date=dt.date(2025, 6, 1),
        total=40_000,
    )
    assert adjudicate(claim, [shipped(RESIDENT, 1)]).basic_fund == 15_000
    with pytest.raises(ValueError, match="sample-resident-contributions-2025@2: not a pack"):
        adjudicate(claim, [shipped(RESIDENT), shipped(CONTRIBUTIONS)])
    with pytest.raises(WrongFamily, match="is a contribution pack, not a medical one"):
        _ = shipped(CONTRIBUTIONS).medical
    with pytest.raises(WrongFamily, match="is a medical pack, not a supplementary one"):
        _ = shipped(RESIDENT).supplementary


@PROPERTY_SETTINGS
@given(sequences(max_size=6))
def test_both_versions_settle_every_sequence_of_claims_alike(sequence: list[Claim]) -> None:
    """Version 1 (layout 1, through the compatibility path) and version 2 of the shipped packs
    pay the same, fen for fen and line for line, on any claims of a person-year."""
    old = settle(sequence, [shipped(RESIDENT, 1), shipped(YIHUIBAO, 1)])
    new = settle(sequence, [shipped(RESIDENT, 2), shipped(YIHUIBAO, 2)])
    for a, b in zip(old, new, strict=True):
        assert [str(ref) for ref in b.packs] == [f"{RESIDENT}@2", f"{YIHUIBAO}@2"]
        assert (a.basic_fund, a.critical_illness, a.medical_assistance) == (
            b.basic_fund,
            b.critical_illness,
            b.medical_assistance,
        )
        assert (a.supplementary, a.out_of_pocket, a.after) == (
            b.supplementary,
            b.out_of_pocket,
            b.after,
        )
        assert [(x.layer, x.code, x.base, x.amount) for x in a.lines] == [
            (y.layer, y.code, y.base, y.amount) for y in b.lines
        ]
