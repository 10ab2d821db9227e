"""The long-term care families (长期护理保险): the national disability assessment standard as data
(``ltc_assessment``) and one city's LTC rules (``ltc``).

``LtcAssessmentRules`` holds 长期护理失能等级评估标准(试行) (医保办发〔2021〕37号): the items of
each dimension (ADL, cognition, perception and communication) with the scores each item allows, the
bands of each dimension's total, the combination table (ADL band × the worse of the cognition
and perception bands → level 0–5) and the level names; beside it the Barthel index of the older
pilots and the self-assessment pre-screen (自评表, grades A–G). The engine
(``jingban.engine.ltc.scoring``) reads nothing else: swapping a cell of the table in a pack
changes the level, without a code change.

``LtcRules`` holds what one city decides: who may apply (acceptance), how the assessment is
organised, the public notice and objections, how long a conclusion is valid and when a new
level's benefit starts, which levels are covered, the caregiver check-in checks, and what each
care form pays. A care form's payment is one of a few rule kinds (``CareFormRule.kind``): a
model with a ``kind`` and the fields of that kind only, rather than a union of models, so that
the figures page and the structured form (``scheme``) read it like every other model.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum, StrEnum
from fractions import Fraction
from typing import Annotated, ClassVar, Literal, Self

from pydantic import Field, model_validator

from jingban.engine.codes import HOSPITAL_LEVELS
from jingban.engine.policy.header import (
    Family,
    Level,
    Model,
    Money,
    PackHeader,
    PackKind,
    Ratio,
    Text,
    problem,
)
from jingban.engine.policy.meta import (
    HOSPITAL_LEVEL_LABELS,
    YES_NO,
    Choices,
    Fixed,
    Items,
    Keys,
    Label,
    Unit,
)

# --- The vocabulary ----------------------------------------------------------------------------


class Dimension(StrEnum):
    """The three first-level indicators of the national standard."""

    ADL = "adl"  # 日常生活活动能力
    COGNITION = "cognition"  # 认知能力
    PERCEPTION = "perception"  # 感知觉与沟通能力


class Band(StrEnum):
    """How impaired one dimension is, from its total. Ordered from best to worst."""

    INTACT = "intact"  # 完好
    MILD = "mild"  # 轻度受损
    MODERATE = "moderate"  # 中度受损
    SEVERE = "severe"  # 重度受损


BAND_ORDER: tuple[Band, ...] = (Band.INTACT, Band.MILD, Band.MODERATE, Band.SEVERE)


def worse(a: Band, b: Band) -> Band:
    """The worse of two bands."""
    return a if BAND_ORDER.index(a) >= BAND_ORDER.index(b) else b


class DisabilityLevel(IntEnum):
    """The national levels: 0 基本正常 … 5 重度失能Ⅲ级."""

    NORMAL = 0
    MILD = 1
    MODERATE = 2
    SEVERE_1 = 3
    SEVERE_2 = 4
    SEVERE_3 = 5


class Severity(StrEnum):
    """What a city pays by: the level's severity (1 mild, 2 moderate, 3–5 severe nationally)."""

    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class SelfGrade(StrEnum):
    """The self-assessment pre-screen's grades (自评表)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"


class SelfAnswer(StrEnum):
    """One self-assessment item's answer."""

    INDEPENDENT = "independent"  # 独立
    PARTIAL = "partial"  # 部分独立
    DEPENDENT = "dependent"  # 依赖


class CareForm(StrEnum):
    """The care forms a plan may choose."""

    INSTITUTION = "institution"  # 机构护理
    HOME_VISIT = "home_visit"  # 居家上门护理
    MEDICAL_WARD = "medical_ward"  # 医疗专护
    FAMILY_CAREGIVER = "family_caregiver"  # 家庭成员护理
    SELF_ARRANGED = "self_arranged"  # 自主居家护理
    SHORT_TERM_RESPITE = "short_term_respite"  # 短期托养


class RuleKind(StrEnum):
    """How a care form pays (the rule kinds of ``CareFormRule``)."""

    PER_DAY = "per_day"  # a fixed amount per day in care, by severity
    HOURLY_VISITS = "hourly_visits"  # visits a month × hours a visit × an hourly rate
    MONTHLY_PRORATED = "monthly_prorated"  # a monthly standard, prorated by days in care
    BILLED_RATIO = "billed_ratio"  # a share of the billed amount with a daily cap
    FLAT_PER_DAY = "flat_per_day"  # one amount per day, whatever the severity


class Proration(StrEnum):
    """How a monthly standard is prorated by days in care."""

    CALENDAR_DAYS = "calendar_days"  # × days in care ÷ days of the month
    THIRTY_DAYS = "thirty_days"  # ÷ 30 per day, at most the monthly standard
    NONE = "none"  # the whole standard for any day in care


class CheckFailure(StrEnum):
    """What happens when a check-in check fails."""

    FLAG = "flag"  # accepted, flagged for audit
    REASON = "reason"  # accepted with the caregiver's reason, flagged
    REFUSE = "refuse"  # refused: not paid


class NoticeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


class MaterialKind(StrEnum):
    """A material an application comes with (申请材料), as the 2023 national measures list them
    (read through a secondary copy): the application form, the applicant's identity document,
    recent medical records; an agent's identity document and authorisation when an agent
    applies (only then required)."""

    APPLICATION_FORM = "application_form"
    IDENTITY = "identity"
    MEDICAL_RECORDS = "medical_records"
    AGENT_AUTHORISATION = "agent_authorisation"


class BenefitStart(StrEnum):
    """The day a new level's benefit starts."""

    NEXT_MONTH = "next_month"  # the first day of the month after the decision
    DECISION_DAY = "decision_day"  # the day of the decision
    NEXT_DAY = "next_day"  # the day after the decision


DIMENSION_LABELS = {
    Dimension.ADL: ("日常生活活动能力", "Activities of daily living"),
    Dimension.COGNITION: ("认知能力", "Cognition"),
    Dimension.PERCEPTION: ("感知觉与沟通能力", "Perception and communication"),
}
BAND_LABELS = {
    Band.INTACT: ("完好", "Intact"),
    Band.MILD: ("轻度受损", "Mildly impaired"),
    Band.MODERATE: ("中度受损", "Moderately impaired"),
    Band.SEVERE: ("重度受损", "Severely impaired"),
}
LEVEL_LABELS = {
    DisabilityLevel.NORMAL: ("0级 基本正常", "Level 0, essentially normal"),
    DisabilityLevel.MILD: ("1级 轻度失能", "Level 1, mild disability"),
    DisabilityLevel.MODERATE: ("2级 中度失能", "Level 2, moderate disability"),
    DisabilityLevel.SEVERE_1: ("3级 重度失能Ⅰ级", "Level 3, severe disability I"),
    DisabilityLevel.SEVERE_2: ("4级 重度失能Ⅱ级", "Level 4, severe disability II"),
    DisabilityLevel.SEVERE_3: ("5级 重度失能Ⅲ级", "Level 5, severe disability III"),
}
SEVERITY_LABELS = {
    Severity.MILD: ("轻度失能", "Mild disability"),
    Severity.MODERATE: ("中度失能", "Moderate disability"),
    Severity.SEVERE: ("重度失能", "Severe disability"),
}
# Chinese pages write no Latin letters: the grades A–G are the heavenly stems 甲 … 庚 there.
SELF_GRADE_LABELS = {
    grade: (f"{stem}等", f"grade {grade.value}")
    for grade, stem in zip(SelfGrade, "甲乙丙丁戊己庚", strict=True)
}
SELF_CATEGORY_LABELS = {
    "a": ("一类项目（进食、大小便、洗澡）", "Category a (eating, continence, bathing)"),
    "b": ("二类项目（穿衣、用厕、床椅转移）", "Category b (dressing, toilet, transfer)"),
}
CARE_FORM_LABELS = {
    CareForm.INSTITUTION: ("机构护理", "Care in an institution"),
    CareForm.HOME_VISIT: ("居家上门护理", "Home visits"),
    CareForm.MEDICAL_WARD: ("医疗专护", "Medical special-care ward"),
    CareForm.FAMILY_CAREGIVER: ("家庭成员护理", "Care by a family member"),
    CareForm.SELF_ARRANGED: ("自主居家护理", "Self-arranged home care"),
    CareForm.SHORT_TERM_RESPITE: ("短期托养", "Short-term respite"),
}
RULE_KIND_LABELS = {
    RuleKind.PER_DAY: ("按日定额（按失能程度）", "Fixed amount a day, by severity"),
    RuleKind.HOURLY_VISITS: ("按次上门、按小时计费", "Visits a month, paid by the hour"),
    RuleKind.MONTHLY_PRORATED: (
        "按月标准、按在护天数折算",
        "Monthly standard, prorated by days in care",
    ),
    RuleKind.BILLED_RATIO: ("按费用比例支付、每日限额", "Share of the bill, capped per day"),
    RuleKind.FLAT_PER_DAY: ("按日定额（统一标准）", "Flat amount a day"),
}
PRORATION_LABELS = {
    Proration.CALENDAR_DAYS: ("按当月日历天数折算", "By the days of the month"),
    Proration.THIRTY_DAYS: (
        "按每月30天折算，不超过月标准",
        "By 30 days a month, at most the standard",
    ),
    Proration.NONE: ("不折算", "Not prorated"),
}
CHECK_FAILURE_LABELS = {
    CheckFailure.FLAG: ("接受并标记，留待稽核", "Accept with a flag for audit"),
    CheckFailure.REASON: ("要求说明原因后接受", "Ask for a reason, then accept"),
    CheckFailure.REFUSE: ("拒绝签到", "Refuse"),
}
NOTICE_UNIT_LABELS = {
    NoticeUnit.WORKING_DAYS: ("工作日", "Working days"),
    NoticeUnit.CALENDAR_DAYS: ("自然日", "Calendar days"),
}
MATERIAL_LABELS = {
    MaterialKind.APPLICATION_FORM: ("失能等级评估申请表", "Assessment application form"),
    MaterialKind.IDENTITY: ("申请人有效身份证件", "The applicant's identity document"),
    MaterialKind.MEDICAL_RECORDS: ("近期病历或诊断证明", "Recent medical records or diagnosis"),
    MaterialKind.AGENT_AUTHORISATION: (
        "代理人身份证件及授权委托书",
        "The agent's identity document and authorisation",
    ),
}
BENEFIT_START_LABELS = {
    BenefitStart.NEXT_MONTH: ("结论作出的次月1日", "The first day of the next month"),
    BenefitStart.DECISION_DAY: ("结论作出当日", "The day of the decision"),
    BenefitStart.NEXT_DAY: ("结论作出次日", "The day after the decision"),
}


# --- The national assessment standard ----------------------------------------------------------


class ScoreItem(Model):
    """One item of a scoring form: its name and the scores it allows, each with what it
    means (the assessor picks the description; the score follows)."""

    label: Annotated[Text, Label("名称", "Name")]
    points: Annotated[
        dict[int, Text],
        Label("可选分值", "Allowed scores", Unit.POINTS),
        Keys(entry_zh="分值", entry_en="score"),
    ] = Field(min_length=2)

    @model_validator(mode="after")
    def _not_negative(self) -> Self:
        if min(self.points) < 0:
            raise problem("pack.ltc_negative_score", "a score is never below 0")
        return self

    @property
    def maximum(self) -> int:
        return max(self.points)


class BandRange(Model):
    """A band of a dimension's total: from ``min`` to ``max`` points, both included."""

    band: Annotated[Band, Label("程度", "Band"), Choices(BAND_LABELS)]
    label: Annotated[Text, Label("名称", "Name")]
    min: Annotated[int, Label("最低分", "Lowest total", Unit.POINTS)] = Field(ge=0)
    max: Annotated[int, Label("最高分", "Highest total", Unit.POINTS)] = Field(ge=0)


def reachable_totals(items: Iterable[ScoreItem]) -> frozenset[int]:
    """Every total the items' allowed scores can add up to (ADL totals step by 5)."""
    totals = {0}
    for item in items:
        totals = {total + points for total in totals for points in item.points}
    return frozenset(totals)


def _check_bands(bands: tuple[BandRange, ...], totals: frozenset[int], what: str) -> None:
    """Every total the items can reach falls in exactly one band; a band ends at or above its
    start. Totals no item can reach (ADL 96–99) may fall between two bands."""
    for band in bands:
        if band.max < band.min:
            raise problem("pack.ltc_band_order", "{what}: a band ends below its start", what=what)
    codes = [band.band for band in bands]
    if len(set(codes)) != len(codes):
        raise problem("pack.ltc_band_twice", "{what}: a band is given twice", what=what)
    for total in sorted(totals):
        found = [band for band in bands if band.min <= total <= band.max]
        if len(found) != 1:
            raise problem(
                "pack.ltc_band_gap" if not found else "pack.ltc_band_overlap",
                "{what}: a total of {points} points falls in {count} bands",
                what=what,
                points=total,
                count=len(found),
            )


class DimensionRules(Model):
    """One dimension of the standard: its items, in the order of the scoring form and the batch
    file, and the bands of its total."""

    label: Annotated[Text, Label("名称", "Name")]
    items: Annotated[
        dict[str, ScoreItem],
        Label("评估项目", "Items"),
        Keys(entry_zh="评估项目", entry_en="item"),
    ] = Field(min_length=1)
    bands: Annotated[
        tuple[BandRange, ...], Label("分级", "Bands"), Items("第{n}档", "band {n}")
    ] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_cover_the_totals(self) -> Self:
        _check_bands(self.bands, reachable_totals(self.items.values()), self.label.en)
        return self

    @property
    def maximum(self) -> int:
        return sum(item.maximum for item in self.items.values())

    def band_of(self, total: int) -> Band:
        for band in self.bands:
            if band.min <= total <= band.max:
                return band.band
        raise ValueError(f"{total} is outside the bands of {self.label.en}")


class BarthelRules(Model):
    """The Barthel index (巴氏指数) the older pilots graded by: ten items, 0–100, and bands."""

    items: Annotated[
        dict[str, ScoreItem],
        Label("评估项目", "Items"),
        Keys(entry_zh="评估项目", entry_en="item"),
    ] = Field(min_length=1)
    bands: Annotated[
        tuple[BandRange, ...], Label("分级", "Bands"), Items("第{n}档", "band {n}")
    ] = Field(min_length=1)
    min_stable_months: Annotated[
        int, Label("失能状态持续时间", "Disability stable for at least", Unit.MONTHS)
    ] = Field(default=6, ge=0, le=60)

    @model_validator(mode="after")
    def _bands_cover_the_totals(self) -> Self:
        _check_bands(self.bands, reachable_totals(self.items.values()), "Barthel")
        return self

    @property
    def maximum(self) -> int:
        return sum(item.maximum for item in self.items.values())

    def band_of(self, total: int) -> Band:
        for band in self.bands:
            if band.min <= total <= band.max:
                return band.band
        raise ValueError(f"{total} is outside the Barthel bands")


class SelfItem(Model):
    """One item of the self-assessment form and its category (a weighs more than b)."""

    label: Annotated[Text, Label("名称", "Name")]
    category: Annotated[Literal["a", "b"], Label("类别", "Category"), Choices(SELF_CATEGORY_LABELS)]


class SelfCount(Model):
    """A number of dependent items of category a and of category b."""

    a: Annotated[int, Label("一类项目依赖项数", "Dependent items of category a", Unit.ITEMS)] = (
        Field(ge=0)
    )
    b: Annotated[int, Label("二类项目依赖项数", "Dependent items of category b", Unit.ITEMS)] = (
        Field(ge=0)
    )


class SelfAssessmentRules(Model):
    """The self-assessment pre-screen (自评表): each item independent, partly independent or
    dependent; the grade follows from how many items of each category are dependent, by the
    table ``grades`` (every combination in exactly one grade)."""

    items: Annotated[
        dict[str, SelfItem],
        Label("自评项目", "Items"),
        Keys(entry_zh="自评项目", entry_en="item"),
    ] = Field(min_length=1)
    partial_counts_as_dependent: Annotated[
        bool, Label("部分独立计为依赖", "Partly independent counts as dependent"), Choices(YES_NO)
    ] = False
    grades: Annotated[
        dict[SelfGrade, tuple[SelfCount, ...]],
        Label("自评等级（依赖项数组合）", "Grades (combinations of dependent items)"),
        Keys(SELF_GRADE_LABELS),
    ]

    @model_validator(mode="after")
    def _every_combination_once(self) -> Self:
        size_a = sum(1 for item in self.items.values() if item.category == "a")
        size_b = len(self.items) - size_a
        seen: dict[tuple[int, int], SelfGrade] = {}
        for grade, counts in self.grades.items():
            for count in counts:
                key = (count.a, count.b)
                if count.a > size_a or count.b > size_b:
                    raise problem(
                        "pack.ltc_self_count",
                        "grade {grade}: {a} a and {b} b is more items than the form has",
                        grade=grade.value,
                        a=count.a,
                        b=count.b,
                    )
                if key in seen:
                    raise problem(
                        "pack.ltc_self_twice",
                        "{a} a and {b} b is in grades {first} and {grade}",
                        a=count.a,
                        b=count.b,
                        first=seen[key].value,
                        grade=grade.value,
                    )
                seen[key] = grade
        missing = [
            f"{a}a+{b}b" for a in range(size_a + 1) for b in range(size_b + 1) if (a, b) not in seen
        ]
        if missing:
            raise problem(
                "pack.ltc_self_missing",
                "no grade for {combinations}",
                combinations=", ".join(missing),
            )
        return self

    def grade_of(self, dependent_a: int, dependent_b: int) -> SelfGrade:
        for grade, counts in self.grades.items():
            if any(c.a == dependent_a and c.b == dependent_b for c in counts):
                return grade
        raise ValueError(f"no grade for {dependent_a} a and {dependent_b} b")


class LtcAssessmentRules(PackHeader):
    """A pack of the ``ltc_assessment`` family: an assessment standard as data."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.PUBLIC})

    family: Annotated[
        Literal[Family.LTC_ASSESSMENT], Label("险种类别", "Scheme family"), Fixed()
    ] = Family.LTC_ASSESSMENT
    dimensions: Annotated[
        dict[Dimension, DimensionRules],
        Label("一级指标", "Dimensions"),
        Keys(DIMENSION_LABELS),
    ]
    combination: Annotated[
        dict[
            Band,
            Annotated[
                dict[Band, Annotated[DisabilityLevel, Choices(LEVEL_LABELS)]], Keys(BAND_LABELS)
            ],
        ],
        Label(
            "等级组合表",
            "Combination table",
            Unit.NUMBER,
            help_zh="行：日常生活活动能力分级；列：认知能力与感知觉与沟通能力中较差的分级",
            help_en="row: the ADL band; column: the worse of the cognition and perception bands",
        ),
        Keys(BAND_LABELS),
    ]
    levels: Annotated[
        dict[DisabilityLevel, Text],
        Label("失能等级名称", "Level names"),
        Keys(LEVEL_LABELS),
    ]
    barthel: Annotated[BarthelRules, Label("巴氏指数", "Barthel index")]
    self_assessment: Annotated[SelfAssessmentRules, Label("自评表", "Self-assessment pre-screen")]

    @model_validator(mode="after")
    def _complete(self) -> Self:
        missing = [d.value for d in Dimension if d not in self.dimensions]
        if missing:
            raise problem(
                "pack.ltc_dimension_missing",
                "no dimension {dimensions}",
                dimensions=", ".join(missing),
            )
        for row in Band:
            cells = self.combination.get(row)
            if cells is None or any(column not in cells for column in Band):
                raise problem(
                    "pack.ltc_combination_cell",
                    "the combination table gives no level for the ADL band {band} and one of "
                    "the other bands",
                    band=row.value,
                )
        missing_levels = sorted(
            {lvl for cells in self.combination.values() for lvl in cells.values()}
            - set(self.levels)
        )
        if missing_levels:
            raise problem(
                "pack.ltc_level_unnamed",
                "level {level} has no name",
                level=int(missing_levels[0]),
            )
        return self

    def item_order(self) -> tuple[tuple[Dimension, str], ...]:
        """Every item of the standard, dimension by dimension, in the pack's order."""
        return tuple(
            (dimension, code)
            for dimension in Dimension
            for code in self.dimensions[dimension].items
        )


# --- One city's LTC rules ----------------------------------------------------------------------


class Acceptance(Model):
    """Who may apply (受理条件) and how fast an application is accepted."""

    min_enrolled_months: Annotated[
        int,
        Label(
            "参保缴费满",
            "Enrolled for at least",
            Unit.MONTHS,
            help_zh="申请前连续参加长期护理保险的月数；0 表示不限",
            help_en="months of continuous LTC enrolment before the application; 0: no minimum",
        ),
    ] = Field(ge=0, le=240)
    min_disability_months: Annotated[
        int, Label("失能状态持续", "Disabled for at least", Unit.MONTHS)
    ] = Field(default=6, ge=0, le=60)
    reapply_after_months: Annotated[
        int,
        Label("距上次评估结论满", "Since the last conclusion at least", Unit.MONTHS),
    ] = Field(default=6, ge=0, le=60)
    self_assessment_grades: Annotated[
        tuple[SelfGrade, ...],
        Label("可申请评估的自评等级", "Self-assessment grades that may apply"),
        Choices(SELF_GRADE_LABELS),
    ] = Field(min_length=1)
    accept_within: Annotated[
        int, Label("受理审核时限", "Accept or refuse within", Unit.WORKING_DAYS)
    ] = Field(ge=1, le=60)
    remind_before: Annotated[
        int, Label("提前提醒", "Remind before the deadline", Unit.WORKING_DAYS)
    ] = Field(default=1, ge=0, le=30)
    materials: Annotated[
        tuple[MaterialKind, ...],
        Label(
            "受理须提交的材料",
            "Materials required for acceptance",
            help_zh="缺少其中任何一项不予受理，除非经办人登记纸质原件已在窗口核验；代理人材料仅在代理申请时需要",
            help_en=(
                "an application missing any of them is not accepted unless the operator records "
                "that the paper originals were checked at the window; the agent's only when an "
                "agent applies"
            ),
        ),
        Choices(MATERIAL_LABELS),
    ] = ()


class AssessmentProcess(Model):
    """How the assessment is organised (现场评估 and 复核)."""

    on_site: Annotated[int, Label("现场评估人数", "Assessors on site", Unit.PERSONS)] = Field(
        ge=1, le=5
    )
    on_site_experts: Annotated[
        int, Label("其中评估专家至少", "Of them experts, at least", Unit.PERSONS)
    ] = Field(ge=0, le=5)
    on_site_within: Annotated[
        int, Label("受理后现场评估时限", "On site within", Unit.WORKING_DAYS)
    ] = Field(ge=1, le=60)
    review_experts: Annotated[
        int, Label("复核专家人数", "Experts confirming the conclusion", Unit.PERSONS)
    ] = Field(ge=1, le=5)
    remind_before: Annotated[
        int, Label("提前提醒", "Remind before the deadline", Unit.WORKING_DAYS)
    ] = Field(default=2, ge=0, le=30)

    @model_validator(mode="after")
    def _experts_among_assessors(self) -> Self:
        if self.on_site_experts > self.on_site:
            raise problem(
                "pack.ltc_experts_above_assessors",
                "more experts on site than assessors on site",
            )
        return self


class Notice(Model):
    """The public notice (公示) of a result: how long, counted in which days."""

    length: Annotated[
        int,
        Label(
            "公示期",
            "Notice period",
            Unit.DAYS,
            help_zh="天数按下面的计日方式计算",
            help_en="days counted as the next field says",
        ),
    ] = Field(ge=1, le=60)
    unit: Annotated[NoticeUnit, Label("计日方式", "Counted in"), Choices(NOTICE_UNIT_LABELS)]


class Objection(Model):
    """Objections (异议) to a result or a conclusion."""

    object_within: Annotated[
        int,
        Label("收到结论后提出异议时限", "Object to a conclusion within", Unit.WORKING_DAYS),
    ] = Field(default=5, ge=1, le=60)
    reassess_within: Annotated[
        int, Label("异议后复评时限", "Re-assess after an objection within", Unit.WORKING_DAYS)
    ] = Field(ge=1, le=60)


class Validity(Model):
    """How long a conclusion is valid, by severity, and when the re-assessment is scheduled."""

    months: Annotated[
        dict[Severity, int],
        Label("结论有效期（按失能程度）", "Valid for, by severity", Unit.MONTHS, in_place=False),
        Keys(SEVERITY_LABELS),
    ] = Field(min_length=1)
    reassess_before_days: Annotated[
        int,
        Label("到期前安排复评", "Schedule the re-assessment before expiry", Unit.DAYS),
    ] = Field(ge=0, le=365)

    @model_validator(mode="after")
    def _severe_at_most_two_years(self) -> Self:
        for months in self.months.values():
            if months < 1:
                raise problem("pack.ltc_validity_months", "a validity is at least one month")
        severe = self.months.get(Severity.SEVERE)
        if severe is not None and severe > 24:
            raise problem(
                "pack.ltc_severe_validity",
                "a severe disability conclusion is valid for at most 24 months, not {months}",
                months=severe,
            )
        return self


class CheckIn(Model):
    """What a caregiver's check-in and check-out are checked against, and what a failed check
    does."""

    location_required: Annotated[bool, Label("须定位签到", "Location required"), Choices(YES_NO)]
    max_distance_m: Annotated[
        int, Label("距服务地址最大距离", "Largest distance from the home", Unit.METRES)
    ] = Field(ge=10, le=100_000)
    min_minutes: Annotated[int, Label("最短服务时长", "Shortest service", Unit.MINUTES)] = Field(
        ge=0, le=24 * 60
    )
    photo_required: Annotated[bool, Label("须拍照", "Photo required"), Choices(YES_NO)]
    on_failure: Annotated[
        CheckFailure, Label("校验不通过时", "When a check fails"), Choices(CHECK_FAILURE_LABELS)
    ]


# Which fields each rule kind uses (and no other kind may give).
_KIND_FIELDS: dict[RuleKind, frozenset[str]] = {
    RuleKind.PER_DAY: frozenset({"per_day"}),
    RuleKind.HOURLY_VISITS: frozenset(
        {"visits_per_month", "hours_per_visit", "hourly_rate", "fund_per_hour", "self_per_hour"}
    ),
    RuleKind.MONTHLY_PRORATED: frozenset({"monthly", "proration"}),
    RuleKind.BILLED_RATIO: frozenset({"ratio", "ratio_by_level", "daily_cap", "cap_by_level"}),
    RuleKind.FLAT_PER_DAY: frozenset({"amount"}),
}
_REQUIRED: dict[RuleKind, frozenset[str]] = {
    RuleKind.PER_DAY: frozenset({"per_day"}),
    RuleKind.HOURLY_VISITS: _KIND_FIELDS[RuleKind.HOURLY_VISITS],
    RuleKind.MONTHLY_PRORATED: frozenset({"monthly", "proration"}),
    RuleKind.BILLED_RATIO: frozenset(),
    RuleKind.FLAT_PER_DAY: frozenset({"amount"}),
}
_BY_LEVEL = Keys(HOSPITAL_LEVEL_LABELS)


class CareFormRule(Model):
    """What one care form pays, by one of the rule kinds (``kind``); only that kind's fields
    are given:

    - ``per_day``: ``per_day`` by severity, for each day in care (Zhangjiagang's institutions);
    - ``hourly_visits``: at most ``visits_per_month`` visits by severity, each paid for its
      hours up to ``hours_per_visit`` at ``hourly_rate``, of which the fund pays
      ``fund_per_hour`` and the person ``self_per_hour`` (Zhangjiagang's home visits);
    - ``monthly_prorated``: ``monthly`` by severity, prorated by days in care by ``proration``
      (Yantai's daily-care standard);
    - ``billed_ratio``: ``ratio`` (or ``ratio_by_level`` by hospital level) of the amount billed
      for a day, at most ``daily_cap`` (or ``cap_by_level``) (Tengzhou);
    - ``flat_per_day``: ``amount`` for each day in care (Tengzhou's self-arranged care).

    ``fund_ratio`` (``per_day``, ``monthly_prorated``, ``flat_per_day``) is the fund's share of
    the standard; the person pays the rest. Relief people pay nothing where the pack says so
    (``LtcRules.relief_fund_pays_all``).
    """

    kind: Annotated[RuleKind, Label("支付方式", "Payment rule"), Choices(RULE_KIND_LABELS)]
    per_day: Annotated[
        dict[Severity, Money] | None,
        Label("每日定额（按失能程度）", "A day, by severity", Unit.YUAN_PER_DAY, in_place=False),
        Keys(SEVERITY_LABELS),
    ] = None
    visits_per_month: Annotated[
        dict[Severity, int] | None,
        Label("每月上门次数上限", "Visits a month at most", Unit.TIMES),
        Keys(SEVERITY_LABELS),
    ] = None
    hours_per_visit: Annotated[int | None, Label("每次服务时长", "Hours a visit", Unit.HOURS)] = (
        Field(default=None, ge=1, le=24)
    )
    hourly_rate: Annotated[Money | None, Label("服务单价", "Hourly rate", Unit.YUAN_PER_HOUR)] = (
        None
    )
    fund_per_hour: Annotated[
        Money | None, Label("基金支付（每小时）", "Fund pays an hour", Unit.YUAN_PER_HOUR)
    ] = None
    self_per_hour: Annotated[
        Money | None, Label("个人负担（每小时）", "Person pays an hour", Unit.YUAN_PER_HOUR)
    ] = None
    monthly: Annotated[
        dict[Severity, Money] | None,
        Label(
            "月度标准（按失能程度）", "A month, by severity", Unit.YUAN_PER_MONTH, in_place=False
        ),
        Keys(SEVERITY_LABELS),
    ] = None
    proration: Annotated[
        Proration | None, Label("折算方式", "Proration"), Choices(PRORATION_LABELS)
    ] = None
    ratio: Annotated[Ratio | None, Label("基金支付比例", "Fund's share", Unit.PERCENT)] = None
    ratio_by_level: Annotated[
        dict[Level, Ratio] | None,
        Label("基金支付比例（按医院等级）", "Fund's share by hospital level", Unit.PERCENT),
        _BY_LEVEL,
    ] = None
    daily_cap: Annotated[Money | None, Label("每日支付限额", "Cap a day", Unit.YUAN_PER_DAY)] = None
    cap_by_level: Annotated[
        dict[Level, Money] | None,
        Label("每床日支付限额（按医院等级）", "Cap a bed-day by hospital level", Unit.YUAN_PER_DAY),
        _BY_LEVEL,
    ] = None
    amount: Annotated[Money | None, Label("每日定额", "A day", Unit.YUAN_PER_DAY)] = None
    fund_ratio: Annotated[
        Ratio | None,
        Label(
            "基金支付比例（定额部分）",
            "Fund's share of the standard",
            Unit.PERCENT,
            help_zh="不填表示基金全额支付",
            help_en="empty: the fund pays all of it",
        ),
    ] = None

    @model_validator(mode="after")
    def _fields_of_its_kind(self) -> Self:
        given = {
            name
            for names in _KIND_FIELDS.values()
            for name in names
            if getattr(self, name) is not None
        }
        foreign = sorted(given - _KIND_FIELDS[self.kind])
        if foreign:
            raise problem(
                "pack.ltc_rule_field",
                "a {kind} rule does not take {fields}",
                kind=self.kind.value,
                fields=", ".join(foreign),
            )
        missing = sorted(_REQUIRED[self.kind] - given)
        if missing:
            raise problem(
                "pack.ltc_rule_missing",
                "a {kind} rule needs {fields}",
                kind=self.kind.value,
                fields=", ".join(missing),
            )
        if self.fund_ratio is not None and self.kind in (
            RuleKind.HOURLY_VISITS,
            RuleKind.BILLED_RATIO,
        ):
            raise problem(
                "pack.ltc_rule_field",
                "a {kind} rule does not take {fields}",
                kind=self.kind.value,
                fields="fund_ratio",
            )
        if self.kind is RuleKind.HOURLY_VISITS:
            assert self.hourly_rate is not None
            if self.fund_per_hour + self.self_per_hour != self.hourly_rate:  # type: ignore[operator]
                raise problem(
                    "pack.ltc_hourly_split",
                    "the fund's and the person's share an hour do not add up to the rate",
                )
        if self.kind is RuleKind.BILLED_RATIO:
            if (self.ratio is None) == (self.ratio_by_level is None):
                raise problem("pack.ltc_ratio_form", "give either ratio or ratio_by_level")
            if self.daily_cap is not None and self.cap_by_level is not None:
                raise problem("pack.ltc_cap_form", "give daily_cap or cap_by_level, not both")
            for name in ("ratio_by_level", "cap_by_level"):
                values = getattr(self, name)
                missing_levels = [str(lvl) for lvl in HOSPITAL_LEVELS if lvl not in (values or {})]
                if values is not None and missing_levels:
                    raise problem(
                        "pack.level_missing",
                        "{what} gives no figure for hospital level {levels}",
                        what=name,
                        levels=", ".join(missing_levels),
                    )
        return self

    @property
    def by_severity(self) -> dict[Severity, int] | None:
        """The severities this rule pays for (None: any)."""
        if self.kind is RuleKind.PER_DAY:
            return self.per_day
        if self.kind is RuleKind.HOURLY_VISITS:
            return self.visits_per_month
        if self.kind is RuleKind.MONTHLY_PRORATED:
            return self.monthly
        return None

    def pays_for(self, severity: Severity) -> bool:
        table = self.by_severity
        return table is None or severity in table

    def fund_share(self) -> Fraction:
        return self.fund_ratio if self.fund_ratio is not None else Fraction(1)

    def ratio_for(self, hospital_level: int | None) -> Fraction | None:
        """The fund's share of a bill (``billed_ratio``); None: the level is needed."""
        if self.ratio is not None:
            return self.ratio
        if self.ratio_by_level is None or hospital_level is None:
            return None
        return self.ratio_by_level.get(hospital_level)  # type: ignore[call-overload]

    def cap_for(self, hospital_level: int | None) -> int | None:
        """The daily cap in fen (``billed_ratio``); None: no cap."""
        if self.cap_by_level is not None:
            if hospital_level is None:
                return None
            return self.cap_by_level.get(hospital_level)  # type: ignore[call-overload]
        return self.daily_cap

    @property
    def needs_hospital_level(self) -> bool:
        return self.ratio_by_level is not None or self.cap_by_level is not None


class LtcRules(PackHeader):
    """A pack of the ``ltc`` family: one city's long-term care rules."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.PUBLIC})

    family: Annotated[Literal[Family.LTC], Label("险种类别", "Scheme family"), Fixed()] = Family.LTC
    acceptance: Annotated[Acceptance, Label("申请受理", "Acceptance")]
    assessment: Annotated[AssessmentProcess, Label("评估组织", "Assessment")]
    notice: Annotated[Notice, Label("结果公示", "Public notice")]
    objection: Annotated[Objection, Label("异议与复评", "Objections")]
    validity: Annotated[Validity, Label("结论有效期", "Validity of a conclusion")]
    benefit_start: Annotated[
        BenefitStart, Label("待遇起始日", "Benefit starts on"), Choices(BENEFIT_START_LABELS)
    ]
    levels_covered: Annotated[
        tuple[DisabilityLevel, ...],
        Label("纳入保障的失能等级", "Levels covered"),
        Choices(LEVEL_LABELS),
    ] = Field(min_length=1)
    severity: Annotated[
        dict[DisabilityLevel, Severity],
        Label("失能程度（按等级）", "Severity of each level", in_place=False),
        Keys(LEVEL_LABELS),
        Choices(SEVERITY_LABELS),
    ]
    dementia_covered: Annotated[
        bool, Label("失智人员纳入保障", "Dementia covered"), Choices(YES_NO)
    ] = False
    dementia_min_level: Annotated[
        DisabilityLevel,
        Label(
            "失智人员最低等级",
            "Lowest level covered for dementia",
            help_zh="失智人员达到此等级即纳入保障",
            help_en="a person with dementia is covered from this level",
        ),
        Choices(LEVEL_LABELS),
    ] = DisabilityLevel.MILD
    dementia_paid_as: Annotated[
        Severity,
        Label("失智人员待遇标准", "Dementia paid as"),
        Choices(SEVERITY_LABELS),
    ] = Severity.MODERATE
    check_in: Annotated[CheckIn, Label("服务签到校验", "Check-in checks")]
    care_forms: Annotated[
        dict[CareForm, CareFormRule],
        Label("护理形式与支付标准", "Care forms and payment", in_place=False),
        Keys(CARE_FORM_LABELS),
    ] = Field(min_length=1)
    relief_fund_pays_all: Annotated[
        bool,
        Label("救助人员个人负担由基金全额支付", "Fund pays all for relief people"),
        Choices(YES_NO),
    ] = False

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        missing = [int(lvl) for lvl in self.levels_covered if lvl not in self.severity]
        if missing:
            raise problem(
                "pack.ltc_severity_missing",
                "covered level {level} has no severity",
                level=missing[0],
            )
        return self

    def paid_severity(self, level: int, *, dementia: bool = False) -> Severity | None:
        """The severity a person of ``level`` is paid by, or None when not covered."""
        if level in self.levels_covered:
            return self.severity[DisabilityLevel(level)]
        if dementia and self.dementia_covered and level >= self.dementia_min_level:
            return self.dementia_paid_as
        return None
