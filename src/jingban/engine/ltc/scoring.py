"""Grading a disability assessment by the pack's standard (``LtcAssessmentRules``).

The national standard grades by combination (组合法): each dimension's items add up to a total,
the total falls in a band (intact, mild, moderate, severe), and the level is the cell of the
combination table at the ADL band's row and the column of the worse of the cognition and the
perception bands. Every figure (the items' allowed scores, the bands, the table) is the pack's:
this module holds the method only.

The same module grades the Barthel index of the older pilots and the self-assessment
pre-screen (自评表, grades A–G) an applicant fills in before a formal assessment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jingban.engine.errors import CodedError
from jingban.engine.policy.families.ltc import (
    Band,
    BarthelRules,
    Dimension,
    DisabilityLevel,
    LtcAssessmentRules,
    ScoreItem,
    SelfAnswer,
    SelfGrade,
    worse,
)


class ScoreInvalid(CodedError):
    """A scoring form that cannot be graded: an item missing, or a score the item does not
    allow. ``item`` names the item (the column of the batch file); ``code`` is one of
    ``ltc.score_missing``, ``ltc.score_not_allowed``, ``ltc.score_not_a_number``,
    ``ltc.answer_not_allowed``."""

    def __init__(self, code: str, item: str, message: str, **params: object) -> None:
        self.item = item
        super().__init__(code, message, item=item, **params)


@dataclass(frozen=True, slots=True)
class Grade:
    """What an assessment comes to: each dimension's total and band, and the level (0–5)."""

    adl_total: int
    cognition_total: int
    perception_total: int
    adl_band: Band
    cognition_band: Band
    perception_band: Band
    level: DisabilityLevel

    @property
    def worse_band(self) -> Band:
        """The column of the combination table: the worse of cognition and perception."""
        return worse(self.cognition_band, self.perception_band)


@dataclass(frozen=True, slots=True)
class BarthelGrade:
    total: int
    band: Band


def _score(item: ScoreItem, code: str, value: object) -> int:
    """The item's score as an int: a whole number the item allows."""
    if value is None or value == "":
        raise ScoreInvalid("ltc.score_missing", code, f"{code}: no score")
    if isinstance(value, bool):
        raise ScoreInvalid(
            "ltc.score_not_a_number", code, f"{code}: {value!r} is not a score", value=value
        )
    if isinstance(value, int):
        points = value
    else:
        text = str(value).strip()
        try:
            points = int(text)
        except ValueError:
            raise ScoreInvalid(
                "ltc.score_not_a_number", code, f"{code}: {text!r} is not a score", value=text
            ) from None
    if points not in item.points:
        allowed = "/".join(str(p) for p in sorted(item.points))
        raise ScoreInvalid(
            "ltc.score_not_allowed",
            code,
            f"{code}: {points} is not one of the allowed scores {allowed}",
            value=points,
            allowed=allowed,
        )
    return points


def _total(items: Mapping[str, ScoreItem], scores: Mapping[str, object]) -> int:
    return sum(_score(item, code, scores.get(code)) for code, item in items.items())


def grade(rules: LtcAssessmentRules, scores: Mapping[str, object]) -> Grade:
    """Grade one assessment: ``scores`` maps each item's code (``adl_feeding`` …) to its
    score (an int, or its text as read from a file). Raises ``ScoreInvalid`` naming the first
    item, in the pack's order, that is missing or not allowed. Scores of codes the standard
    does not know are ignored (a file's ``assessment_id``)."""
    totals = {
        dimension: _total(rules.dimensions[dimension].items, scores) for dimension in Dimension
    }
    bands = {
        dimension: rules.dimensions[dimension].band_of(total) for dimension, total in totals.items()
    }
    column = worse(bands[Dimension.COGNITION], bands[Dimension.PERCEPTION])
    level = rules.combination[bands[Dimension.ADL]][column]
    return Grade(
        adl_total=totals[Dimension.ADL],
        cognition_total=totals[Dimension.COGNITION],
        perception_total=totals[Dimension.PERCEPTION],
        adl_band=bands[Dimension.ADL],
        cognition_band=bands[Dimension.COGNITION],
        perception_band=bands[Dimension.PERCEPTION],
        level=DisabilityLevel(level),
    )


def barthel(rules: BarthelRules | LtcAssessmentRules, scores: Mapping[str, object]) -> BarthelGrade:
    """The Barthel index of ``scores`` (item code → score) and its band."""
    index = rules.barthel if isinstance(rules, LtcAssessmentRules) else rules
    total = _total(index.items, scores)
    return BarthelGrade(total, index.band_of(total))


_ANSWERS = {answer.value: answer for answer in SelfAnswer}


def self_assessment(
    rules: LtcAssessmentRules, answers: Mapping[str, SelfAnswer | str]
) -> SelfGrade:
    """The self-assessment grade (A–G) of ``answers`` (item code → independent, partial or
    dependent), by the pack's table of dependent items per category."""
    form = rules.self_assessment
    counted = {SelfAnswer.DEPENDENT}
    if form.partial_counts_as_dependent:
        counted.add(SelfAnswer.PARTIAL)
    dependent = {"a": 0, "b": 0}
    for code, item in form.items.items():
        raw = answers.get(code)
        if raw is None or raw == "":
            raise ScoreInvalid("ltc.score_missing", code, f"{code}: no answer")
        answer = _ANSWERS.get(str(raw).strip())
        if answer is None:
            raise ScoreInvalid(
                "ltc.answer_not_allowed",
                code,
                f"{code}: {raw!r} is not independent, partial or dependent",
                value=str(raw),
            )
        if answer in counted:
            dependent[item.category] += 1
    return form.grade_of(dependent["a"], dependent["b"])


def may_apply(grade_: SelfGrade, allowed: tuple[SelfGrade, ...]) -> bool:
    """Whether a self-assessment grade may apply for a formal assessment (the city pack's
    ``acceptance.self_assessment_grades``: E, F, G nationally)."""
    return grade_ in allowed


def item_codes(rules: LtcAssessmentRules) -> tuple[str, ...]:
    """The item codes of the standard in the pack's order: the columns of the batch file."""
    return tuple(code for _, code in rules.item_order())


__all__ = [
    "BarthelGrade",
    "Grade",
    "ScoreInvalid",
    "barthel",
    "grade",
    "item_codes",
    "may_apply",
    "self_assessment",
]
