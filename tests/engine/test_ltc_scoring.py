"""Grading by the national standard's pack: every vector and boundary of the domain notes
(docs: shared domain ltc.md), every allowed and forbidden item value, a combination table
swapped in a pack, and the level monotone in every item."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jingban.engine.ltc import ScoreInvalid, barthel, grade, item_codes, self_assessment
from jingban.engine.ltc.scoring import may_apply
from jingban.engine.policy import load_pack_text, shipped_registry
from jingban.engine.policy.errors import PackError
from jingban.engine.policy.families.ltc import (
    Band,
    Dimension,
    LtcAssessmentRules,
    SelfGrade,
)
from jingban.engine.policy.registry import SHIPPED_DIR

PACK = "national-ltc-assessment-2021"
RULES = shipped_registry().get(PACK).ltc_assessment
TEXT = (SHIPPED_DIR / f"{PACK}.yaml").read_text("utf-8")
ADL = [code for code in RULES.dimensions[Dimension.ADL].items]
COG = [code for code in RULES.dimensions[Dimension.COGNITION].items]
PER = [code for code in RULES.dimensions[Dimension.PERCEPTION].items]
MAXIMA = {
    code: max(item.points)
    for _, code, item in (
        (d, c, i) for d in Dimension for c, i in RULES.dimensions[d].items.items()
    )
}


def _fill(codes: list[str], total: int, rules: LtcAssessmentRules = RULES) -> dict[str, int]:
    """Scores of ``codes`` adding up to ``total``, greedily from the first item."""
    items = {c: i for d in rules.dimensions.values() for c, i in d.items.items()}
    scores: dict[str, int] = {}
    left = total
    for code in codes:
        best = max(p for p in items[code].points if p <= left)
        scores[code] = best
        left -= best
    assert left == 0, f"{total} cannot be reached"
    return scores


def scores(adl: int = 100, cognition: int = 16, perception: int = 12) -> dict[str, int]:
    return {**_fill(ADL, adl), **_fill(COG, cognition), **_fill(PER, perception)}


def test_the_columns_are_the_issue_s_order() -> None:
    assert item_codes(RULES) == (
        "adl_feeding",
        "adl_dressing",
        "adl_grooming",
        "adl_bowel",
        "adl_bladder",
        "adl_toilet",
        "adl_walking",
        "adl_transfer",
        "adl_stairs",
        "adl_bathing",
        "cog_time",
        "cog_person",
        "cog_place",
        "cog_memory",
        "per_vision",
        "per_hearing",
        "per_communication",
    )
    assert RULES.dimensions[Dimension.ADL].maximum == 100
    assert RULES.dimensions[Dimension.COGNITION].maximum == 16
    assert RULES.dimensions[Dimension.PERCEPTION].maximum == 12
    assert RULES.levels[3].zh == "重度失能Ⅰ级" and RULES.levels[0].zh == "基本正常"


@pytest.mark.parametrize(
    ("adl", "cognition", "perception", "level"),
    [
        (100, 16, 12, 0),  # all maxima
        (55, 13, 12, 2),  # ADL moderate, cognition mild
        (35, 16, 12, 3),  # ADL severe, the others intact
        (35, 2, 12, 5),  # ADL severe, cognition severe
        (40, 16, 12, 3),  # ADL 40 is severe
        (45, 16, 12, 2),  # ADL 45 is moderate
        (60, 16, 12, 2),
        (65, 16, 12, 1),  # ADL 65 is mild
        (95, 16, 12, 1),
        (100, 15, 12, 0),  # cognition 15 is mild: intact × mild → 0
        (100, 11, 12, 1),  # cognition 11 is moderate
        (100, 12, 7, 1),  # perception 7 is moderate, the worse
        (0, 0, 0, 5),
        (55, 16, 3, 3),  # moderate × severe
        (35, 10, 12, 4),  # severe × moderate
        (80, 16, 2, 2),  # mild × severe
    ],
)
def test_the_vectors(adl: int, cognition: int, perception: int, level: int) -> None:
    result = grade(RULES, scores(adl, cognition, perception))
    assert (result.adl_total, result.cognition_total, result.perception_total) == (
        adl,
        cognition,
        perception,
    )
    assert result.level == level


@pytest.mark.parametrize(
    ("dimension", "total", "band"),
    [
        (Dimension.ADL, 100, Band.INTACT),
        (Dimension.ADL, 95, Band.MILD),
        (Dimension.ADL, 65, Band.MILD),
        (Dimension.ADL, 60, Band.MODERATE),
        (Dimension.ADL, 45, Band.MODERATE),
        (Dimension.ADL, 40, Band.SEVERE),
        (Dimension.ADL, 0, Band.SEVERE),
        (Dimension.COGNITION, 16, Band.INTACT),
        (Dimension.COGNITION, 15, Band.MILD),
        (Dimension.COGNITION, 12, Band.MILD),
        (Dimension.COGNITION, 11, Band.MODERATE),
        (Dimension.COGNITION, 4, Band.MODERATE),
        (Dimension.COGNITION, 3, Band.SEVERE),
        (Dimension.COGNITION, 0, Band.SEVERE),
        (Dimension.PERCEPTION, 12, Band.INTACT),
        (Dimension.PERCEPTION, 11, Band.MILD),
        (Dimension.PERCEPTION, 8, Band.MILD),
        (Dimension.PERCEPTION, 7, Band.MODERATE),
        (Dimension.PERCEPTION, 4, Band.MODERATE),
        (Dimension.PERCEPTION, 3, Band.SEVERE),
        (Dimension.PERCEPTION, 0, Band.SEVERE),
    ],
)
def test_each_band_edge(dimension: Dimension, total: int, band: Band) -> None:
    args = {"adl": 100, "cognition": 16, "perception": 12, dimension.value: total}
    result = grade(RULES, scores(**args))
    found = {
        Dimension.ADL: result.adl_band,
        Dimension.COGNITION: result.cognition_band,
        Dimension.PERCEPTION: result.perception_band,
    }[dimension]
    assert found is band


ALLOWED = {
    "adl_feeding": {0, 5, 10},
    "adl_dressing": {0, 5, 10},
    "adl_grooming": {0, 5},
    "adl_bowel": {0, 5, 10},
    "adl_bladder": {0, 5, 10},
    "adl_toilet": {0, 5, 10},
    "adl_walking": {0, 5, 10, 15},
    "adl_transfer": {0, 5, 10, 15},
    "adl_stairs": {0, 5, 10},
    "adl_bathing": {0, 5},
    **{code: {0, 1, 2, 3, 4} for code in (*COG, *PER)},
}


@pytest.mark.parametrize("code", sorted(ALLOWED))
def test_every_allowed_and_forbidden_value(code: str) -> None:
    for value in range(-1, 21):
        form: dict[str, object] = {**MAXIMA, code: value}
        if value in ALLOWED[code]:
            grade(RULES, form)
            continue
        with pytest.raises(ScoreInvalid) as refused:
            grade(RULES, form)
        assert (refused.value.code, refused.value.item) == ("ltc.score_not_allowed", code)
        assert refused.value.params["allowed"] == "/".join(str(p) for p in sorted(ALLOWED[code]))


@pytest.mark.parametrize(
    ("value", "code"),
    [(None, "ltc.score_missing"), ("", "ltc.score_missing"), ("x", "ltc.score_not_a_number")],
)
def test_a_missing_or_unreadable_score_names_its_item(value: object, code: str) -> None:
    form = {**MAXIMA, "cog_memory": value}
    with pytest.raises(ScoreInvalid) as refused:
        grade(RULES, form)
    assert (refused.value.code, refused.value.item) == (code, "cog_memory")
    without = {k: v for k, v in MAXIMA.items() if k != "per_hearing"}
    with pytest.raises(ScoreInvalid, match="per_hearing"):
        grade(RULES, without)


def test_scores_read_from_a_file_are_text() -> None:
    form = {code: str(value) for code, value in scores(55, 13, 12).items()}
    assert grade(RULES, {**form, "assessment_id": "A1"}).level == 2


def test_a_swapped_combination_table_changes_the_level() -> None:
    """The table is data: severe ADL with intact cognition and perception is level 3 in the
    shipped pack; a pack that puts 4 in that cell grades the same scores 4."""
    form = scores(35, 16, 12)
    assert grade(RULES, form).level == 3
    table = TEXT.index("\ncombination:")
    row = TEXT.index("\n  severe:\n", table)
    cell = TEXT.index("intact: {value: 3,", row)
    swapped = TEXT[:cell] + "intact: {value: 4," + TEXT[cell + len("intact: {value: 3,") :]
    swapped = swapped.replace("version: 1\n", "version: 2\n", 1)
    rules = load_pack_text(swapped).ltc_assessment
    assert rules.combination[Band.SEVERE][Band.INTACT] == 4
    assert grade(rules, form).level == 4
    assert grade(rules, scores(55, 13, 12)).level == 2  # other cells unchanged


def test_a_table_without_a_cell_or_with_a_gap_in_a_band_is_refused() -> None:
    table = TEXT.index("\ncombination:")
    row = TEXT.index("\n  mild:\n", table)
    cell_start = TEXT.index("    severe: {value: 2,", row)
    cell_end = TEXT.index("\n", cell_start)
    broken = TEXT[:cell_start] + TEXT[cell_end + 1 :]
    with pytest.raises(PackError) as refused:
        load_pack_text(broken)
    assert refused.value.problems[0].code == "pack.ltc_combination_cell"
    gap = TEXT.replace("min: {value: 12, sample: false", "min: {value: 13, sample: false", 1)
    with pytest.raises(PackError) as refused:
        load_pack_text(gap)
    assert refused.value.problems[0].code == "pack.ltc_band_gap"
    assert refused.value.problems[0].params["points"] == 12


_ITEMS = {c: sorted(i.points) for d in RULES.dimensions.values() for c, i in d.items.items()}


@st.composite
def _forms(draw: st.DrawFn) -> dict[str, int]:
    return {code: draw(st.sampled_from(points)) for code, points in _ITEMS.items()}


@settings(max_examples=300, deadline=None)
@given(form=_forms(), data=st.data())
def test_lowering_an_item_never_lowers_the_level(form: dict[str, int], data: st.DataObject) -> None:
    code = data.draw(st.sampled_from(sorted(_ITEMS)))
    lower = [p for p in _ITEMS[code] if p < form[code]]
    if not lower:
        return
    worse_form = {**form, code: data.draw(st.sampled_from(lower))}
    assert grade(RULES, worse_form).level >= grade(RULES, form).level


def _barthel(**changes: int) -> Mapping[str, int]:
    full = {c: max(i.points) for c, i in RULES.barthel.items.items()}
    return {**full, **changes}


def test_barthel() -> None:
    assert barthel(RULES, _barthel()).total == 100
    assert barthel(RULES, _barthel()).band is Band.INTACT
    severe = _barthel(transfer=0, walking=0, stairs=0, bathing=0, feeding=0, dressing=5)
    assert barthel(RULES, severe).total == 40 and barthel(RULES, severe).band is Band.SEVERE
    assert barthel(RULES, _barthel(transfer=0, walking=0, stairs=0, bathing=0, feeding=5)).band is (
        Band.MODERATE
    )
    with pytest.raises(ScoreInvalid, match="grooming"):
        barthel(RULES, _barthel(grooming=10))


def _answers(dep_a: int, dep_b: int) -> dict[str, str]:
    a = ["eating", "continence", "bathing"]
    b = ["dressing", "toilet", "transfer"]
    answers = {code: "independent" for code in (*a, *b)}
    for code in a[:dep_a] + b[:dep_b]:
        answers[code] = "dependent"
    return answers


@pytest.mark.parametrize(
    ("dep_a", "dep_b", "expected"),
    [
        (0, 0, "A"),
        (1, 0, "B"),
        (0, 1, "B"),
        (0, 2, "B"),
        (1, 1, "C"),
        (0, 3, "C"),
        (2, 0, "D"),
        (1, 2, "D"),
        (3, 0, "E"),
        (2, 1, "E"),
        (2, 2, "E"),
        (1, 3, "E"),
        (3, 1, "F"),
        (3, 2, "F"),
        (2, 3, "F"),
        (3, 3, "G"),
    ],
)
def test_self_assessment_grades(dep_a: int, dep_b: int, expected: str) -> None:
    result = self_assessment(RULES, _answers(dep_a, dep_b))
    assert result is SelfGrade(expected)
    eligible = (SelfGrade.E, SelfGrade.F, SelfGrade.G)
    assert may_apply(result, eligible) is (expected in "EFG")


def test_self_assessment_partly_independent_is_not_dependent_and_bad_answers_are_named() -> None:
    answers = {**_answers(3, 0), "dressing": "partial"}
    assert self_assessment(RULES, answers) is SelfGrade.E
    with pytest.raises(ScoreInvalid) as refused:
        self_assessment(RULES, {**answers, "toilet": "sometimes"})
    assert (refused.value.code, refused.value.item) == ("ltc.answer_not_allowed", "toilet")
