"""The medical family (医疗保险): basic insurance with its critical illness insurance (大病保险) and
medical assistance (医疗救助) layers; the rules the claim cascade settles a bill with.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, ClassVar, Literal, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from jingban.engine.codes import (
    GENERAL_CATEGORY,
    HOSPITAL_LEVELS,
    PERSON_CATEGORIES,
    Condition,
    CrossRegion,
    Tier,
    VisitType,
)
from jingban.engine.money import Rounding, apply_ratio
from jingban.engine.policy.header import (
    LAYOUT_2,
    Family,
    Level,
    Model,
    Money,
    PackHeader,
    PackKind,
    Ratio,
    Text,
    layout_of,
)
from jingban.engine.policy.header import problem as _problem
from jingban.engine.policy.meta import (
    CONDITION_LABELS,
    CROSS_REGION_LABELS,
    HOSPITAL_LEVEL_LABELS,
    PERSON_CATEGORY_LABELS,
    RELIEF_CATEGORY_LABELS,
    TIER_LABELS,
    VISIT_TYPE_LABELS,
    YES_NO,
    Choices,
    Fixed,
    Items,
    Keys,
    Label,
    LayoutOne,
    Refs,
    Unit,
)

_BY_LEVEL = Keys(HOSPITAL_LEVEL_LABELS)


def _all_levels(values: dict[int, object] | None, what: str) -> None:
    if values is not None:
        missing = [str(level) for level in HOSPITAL_LEVELS if level not in values]
        if missing:
            raise _problem(
                "pack.level_missing",
                "{what} gives no figure for hospital level {levels}",
                what=what,
                levels=", ".join(missing),
            )


class Deductible(Model):
    """起付线: a flat amount or one per hospital level, per visit or per year.

    ``repeat_by_level`` is the lower deductible of a second or later admission in the same year.
    """

    basis: Annotated[
        Literal["per_visit", "per_year"],
        Label("计算方式", "Basis"),
        Choices({"per_visit": ("按次", "Per visit"), "per_year": ("按年度", "Per year")}),
    ] = "per_visit"
    amount: Annotated[Money | None, Label("起付线", "Deductible", Unit.YUAN)] = None
    by_level: Annotated[
        dict[Level, Money] | None,
        Label("起付线（按医院等级）", "Deductible by hospital level", Unit.YUAN, in_place=False),
        _BY_LEVEL,
    ] = None
    repeat_by_level: Annotated[
        dict[Level, Money] | None,
        Label("再次住院起付线", "Deductible of a repeat admission", Unit.YUAN),
        _BY_LEVEL,
    ] = None

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        if (self.amount is None) == (self.by_level is None):
            raise _problem("pack.amount_or_by_level", "give either amount or by_level")
        _all_levels(self.by_level, "by_level")  # type: ignore[arg-type]
        _all_levels(self.repeat_by_level, "repeat_by_level")  # type: ignore[arg-type]
        if self.repeat_by_level is not None and self.basis != "per_visit":
            raise _problem(
                "pack.repeat_needs_per_visit", "a repeat-admission deductible needs basis per_visit"
            )
        if self.repeat_by_level and self.by_level:
            for level, amount in self.repeat_by_level.items():
                if amount > self.by_level[level]:
                    raise _problem(
                        "pack.repeat_above_first",
                        "repeat_by_level {level} is higher than the first admission's deductible",
                        level=level,
                    )
        return self

    def for_visit(self, level: int, *, repeat: bool) -> int:
        if self.by_level is None:
            assert self.amount is not None
            return self.amount
        if repeat and self.repeat_by_level is not None:
            return self.repeat_by_level[level]  # type: ignore[index]
        return self.by_level[level]  # type: ignore[index]


class ConditionRule(Model):
    """The ratio and the cap pool of one of the two diseases."""

    ratio: Annotated[Ratio, Label("报销比例", "Reimbursement ratio", Unit.PERCENT)]
    cap: Annotated[str, Label("支付限额", "Cap pool"), Refs("caps")]


class Benefit(Model):
    """The basic-insurance benefit of one visit type.

    Either a ratio (flat or by hospital level) after the deductible, or a lump sum (定额) paid up
    to the in-scope amount; ``caps`` are the annual cap pools the payment draws from.
    """

    label: Annotated[Text, Label("名称", "Name")]
    deductible: Annotated[Deductible | None, Label("起付线", "Deductible")] = None
    ratio: Annotated[Ratio | None, Label("报销比例", "Reimbursement ratio", Unit.PERCENT)] = None
    ratio_by_level: Annotated[
        dict[Level, Ratio] | None,
        Label(
            "报销比例（按医院等级）",
            "Reimbursement ratio by hospital level",
            Unit.PERCENT,
            place_zh="报销比例",
            place_en="Reimbursement ratio",
        ),
        _BY_LEVEL,
    ] = None
    lump_sum: Annotated[Money | None, Label("定额支付", "Lump sum", Unit.YUAN)] = None
    caps: Annotated[
        tuple[str, ...], Label("计入的支付限额", "Cap pools drawn from"), Refs("caps")
    ] = ()
    conditions: Annotated[
        dict[Condition, ConditionRule] | None,
        Label("按病种", "By condition", in_place=False),
        Keys(CONDITION_LABELS),
    ] = None
    # Points added to the ratio for a person category (特困 …), at most 100% in all.
    category_points: Annotated[
        dict[str, Ratio],
        Label("人员类别提高比例", "Points added for a person category", Unit.PERCENT),
        Keys(PERSON_CATEGORY_LABELS),
    ] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_payment_rule(self) -> Self:
        forms = [
            self.ratio is not None,
            self.ratio_by_level is not None,
            self.lump_sum is not None,
            self.conditions is not None,
        ]
        if sum(forms) != 1:
            raise _problem(
                "pack.one_payment_rule",
                "give exactly one of ratio, ratio_by_level, lump_sum or conditions",
            )
        _all_levels(self.ratio_by_level, "ratio_by_level")  # type: ignore[arg-type]
        if self.lump_sum is not None and self.deductible is not None:
            raise _problem("pack.lump_sum_deductible", "a lump sum has no deductible")
        for category in self.category_points:
            if category not in PERSON_CATEGORIES:
                raise _problem(
                    "pack.unknown_category",
                    "category_points: {category} is not a person category",
                    category=repr(category),
                )
        return self


class CapPool(Model):
    """An annual payment limit shared by the benefits that name it."""

    label: Annotated[Text, Label("名称", "Name")]
    amount: Annotated[Money, Label("年度限额", "Annual cap", Unit.YUAN)]


class CrossRegionRule(Model):
    """How treatment elsewhere changes the basic ratio: ``ratio × factor − points``."""

    label: Annotated[Text, Label("名称", "Name")]
    ratio_factor: Annotated[
        Ratio,
        Label(
            "按本地比例的倍数",
            "Share of the local ratio",
            Unit.PERCENT,
            help_zh="异地报销比例 = 本地比例 × 此倍数 − 降低的百分点",
            help_en="ratio elsewhere = local ratio × this share − the points off",
        ),
    ] = Fraction(1)
    ratio_points_off: Annotated[
        Ratio, Label("降低的百分点", "Points off the ratio", Unit.PERCENT)
    ] = Fraction(0)

    def adjust(self, ratio: Fraction) -> Fraction:
        return max(Fraction(0), ratio * self.ratio_factor - self.ratio_points_off)


class Band(Model):
    """A band of the critical-illness cumulative amount: above ``above`` up to ``up_to``."""

    above: Annotated[Money, Label("起点（高于）", "Above", Unit.YUAN)]
    up_to: Annotated[
        Money | None,
        Label(
            "终点（至）",
            "Up to",
            Unit.YUAN,
            help_zh="最后一段可留空：以上全部",
            help_en="the last band may leave it empty: everything above",
        ),
    ] = None
    ratio: Annotated[Ratio, Label("支付比例", "Ratio", Unit.PERCENT)]


class ReliefTilt(Model):
    """倾斜支付 for a relief tier: the threshold scaled, the ratios raised, the cap lifted."""

    threshold_factor: Annotated[
        Ratio, Label("起付标准按比例", "Threshold scaled to", Unit.PERCENT)
    ] = Fraction(1)
    ratio_points: Annotated[
        Ratio, Label("支付比例提高", "Points added to the ratios", Unit.PERCENT)
    ] = Fraction(0)
    uncapped: Annotated[bool, Label("取消年度限额", "No annual cap"), Choices(YES_NO)] = False


class CriticalIllness(Model):
    """大病保险 on the person's annual cumulative in-scope self-paid amount."""

    label: Annotated[Text, Label("名称", "Name")]
    visit_types: Annotated[
        tuple[VisitType, ...], Label("适用就诊类型", "Visit types"), Choices(VISIT_TYPE_LABELS)
    ]
    include_class_b_first: Annotated[
        bool,
        Label("计入乙类先行自付部分", "Counts class B first payments"),
        Choices(YES_NO),
    ] = False
    bands: Annotated[
        tuple[Band, ...], Label("分段支付", "Bands", in_place=False), Items("第{n}段", "band {n}")
    ] = Field(min_length=1)
    annual_cap: Annotated[Money | None, Label("年度最高支付限额", "Annual cap", Unit.YUAN)] = None
    relief_tilts_enabled: Annotated[
        bool, Label("实行倾斜支付", "Relief tilts apply"), Choices(YES_NO)
    ] = True
    relief_tilts: Annotated[
        dict[Tier, ReliefTilt], Label("倾斜支付", "Relief tilts"), Keys(TIER_LABELS)
    ] = Field(default_factory=dict)

    @field_validator("bands")
    @classmethod
    def _bands_in_order(cls, bands: tuple[Band, ...]) -> tuple[Band, ...]:
        for index, band in enumerate(bands):
            last = index == len(bands) - 1
            if band.up_to is None and not last:
                raise _problem(
                    "pack.band_open",
                    "band {band} has no upper edge but is not the last",
                    band=index + 1,
                )
            if band.up_to is not None and band.up_to <= band.above:
                raise _problem(
                    "pack.band_empty",
                    "band {band} ends at or below where it starts",
                    band=index + 1,
                )
            if index:
                previous = bands[index - 1]
                if previous.up_to is not None and band.above < previous.up_to:
                    raise _problem(
                        "pack.bands_overlap",
                        "bands {first} and {second} overlap",
                        first=index,
                        second=index + 1,
                    )
                if previous.up_to is not None and band.above > previous.up_to:
                    raise _problem(
                        "pack.bands_gap",
                        "there is a gap between bands {first} and {second}",
                        first=index,
                        second=index + 1,
                    )
        return bands


class AssistanceRule(Model):
    """医疗救助 for one person category: annual deductible, ratio and annual limit.

    The deductible is an amount, or a share of last year's per-capita disposable income.
    """

    deductible: Annotated[Money | None, Label("年度起付线", "Annual deductible", Unit.YUAN)] = None
    deductible_share: Annotated[
        Ratio | None,
        Label(
            "起付线（占上年人均可支配收入）",
            "Deductible as a share of last year's income",
            Unit.PERCENT,
        ),
    ] = None
    ratio: Annotated[Ratio, Label("救助比例", "Assistance ratio", Unit.PERCENT)]
    annual_limit: Annotated[Money, Label("年度救助限额", "Annual limit", Unit.YUAN)]

    @model_validator(mode="after")
    def _one_deductible(self) -> Self:
        if self.deductible is not None and self.deductible_share is not None:
            raise _problem("pack.deductible_twice", "give deductible or deductible_share, not both")
        return self


class MedicalAssistance(Model):
    label: Annotated[Text, Label("名称", "Name")]
    # last year's per-capita disposable income (上年居民人均可支配收入)
    reference_income: Annotated[
        Money, Label("上年居民人均可支配收入", "Last year's per-capita income", Unit.YUAN)
    ]
    visit_types: Annotated[
        tuple[VisitType, ...], Label("适用就诊类型", "Visit types"), Choices(VISIT_TYPE_LABELS)
    ]
    categories: Annotated[
        dict[str, AssistanceRule],
        Label("救助对象", "Person categories", in_place=False),
        Keys(RELIEF_CATEGORY_LABELS),
    ]

    @model_validator(mode="after")
    def _known_categories(self) -> Self:
        for code in self.categories:
            if code not in PERSON_CATEGORIES or code == GENERAL_CATEGORY:
                raise _problem(
                    "pack.not_relief_category",
                    "{category} is not a relief person category",
                    category=repr(code),
                )
        return self

    def deductible_of(self, rule: AssistanceRule, rounding: Rounding) -> int:
        if rule.deductible_share is not None:
            return apply_ratio(self.reference_income, rule.deductible_share, rounding)
        return rule.deductible or 0


class Contributions(Model):
    """个人缴费 by tier and 财政补助, per person and year, as layout 1 wrote them inside the
    medical pack. From layout 2 on they are a pack of their own (family ``contribution``)."""

    tiers: Annotated[
        dict[str, Money],
        Label("个人缴费档次", "Personal contribution tiers", Unit.YUAN),
        # Layout 1 named its two tiers without labels.
        Keys({"tier_1": ("一档", "Tier 1"), "tier_2": ("二档", "Tier 2")}),
    ]
    fiscal_subsidy: Annotated[Money | None, Label("财政补助", "Fiscal subsidy", Unit.YUAN)] = None


class MedicalRules(PackHeader):
    """A pack of the medical family: everything the cascade reads to settle a claim."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.PUBLIC})

    family: Annotated[Literal[Family.MEDICAL], Label("险种类别", "Scheme family"), Fixed()] = (
        Family.MEDICAL
    )
    # Layout 1 only: see ``Contributions``.
    contributions: Annotated[
        Contributions | None, Label("缴费（旧版格式）", "Contributions (layout 1)"), LayoutOne()
    ] = None
    person_categories: Annotated[
        dict[str, Tier],
        Label("救助对象类别", "Relief person categories"),
        Keys(RELIEF_CATEGORY_LABELS),
        Choices(TIER_LABELS),
    ] = Field(default_factory=dict)
    class_b_first_rate: Annotated[
        Ratio, Label("乙类先行自付比例", "Class B first payment rate", Unit.PERCENT)
    ]
    caps: Annotated[
        dict[str, CapPool],
        Label("年度支付限额", "Annual caps"),
        Keys(entry_zh="支付限额", entry_en="cap pool"),
    ] = Field(default_factory=dict)
    benefits: Annotated[
        dict[VisitType, Benefit], Label("基本医保待遇", "Basic benefits"), Keys(VISIT_TYPE_LABELS)
    ] = Field(min_length=1)
    cross_region: Annotated[
        dict[CrossRegion, CrossRegionRule],
        Label("异地就医", "Treatment elsewhere"),
        Keys(CROSS_REGION_LABELS),
    ]
    critical_illness: Annotated[
        CriticalIllness | None, Label("大病保险", "Critical illness insurance")
    ] = None
    medical_assistance: Annotated[
        MedicalAssistance | None, Label("医疗救助", "Medical assistance")
    ] = None

    @field_validator("contributions")
    @classmethod
    def _contributions_moved(
        cls, value: Contributions | None, info: ValidationInfo
    ) -> Contributions | None:
        if value is not None and layout_of(info) >= LAYOUT_2:
            raise _problem(
                "pack.contributions_moved",
                "from schema 2 on, contributions are a pack of their own (family: contribution)",
            )
        return value

    @field_validator("cross_region")
    @classmethod
    def _every_cross_region(
        cls, rules: dict[CrossRegion, CrossRegionRule]
    ) -> dict[CrossRegion, CrossRegionRule]:
        missing = [code.value for code in CrossRegion if code not in rules]
        if missing:
            raise _problem(
                "pack.cross_region_missing",
                "cross_region gives no rule for {codes}",
                codes=", ".join(missing),
            )
        return rules

    @field_validator("person_categories")
    @classmethod
    def _relief_categories(cls, categories: dict[str, Tier]) -> dict[str, Tier]:
        for code in categories:
            if code not in PERSON_CATEGORIES or code == GENERAL_CATEGORY:
                raise _problem(
                    "pack.not_relief_category",
                    "person_categories: {category} is not a relief person category",
                    category=repr(code),
                )
        return categories

    @model_validator(mode="after")
    def _known_caps(self) -> Self:
        for visit, benefit in self.benefits.items():
            pools = list(benefit.caps)
            pools += [rule.cap for rule in (benefit.conditions or {}).values()]
            for pool in pools:
                if pool not in self.caps:
                    raise _problem(
                        "pack.unknown_cap",
                        "benefits.{visit} draws from unknown cap {cap}",
                        visit=visit.value,
                        cap=repr(pool),
                    )
        return self
