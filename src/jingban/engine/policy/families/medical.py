"""The medical family (医疗保险): basic insurance with its critical illness insurance (大病保险) and
medical assistance (医疗救助) layers; the rules the claim cascade settles a bill with.
"""

from __future__ import annotations

from fractions import Fraction
from typing import ClassVar, Literal, Self

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

    basis: Literal["per_visit", "per_year"] = "per_visit"
    amount: Money | None = None
    by_level: dict[Level, Money] | None = None
    repeat_by_level: dict[Level, Money] | None = None

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

    ratio: Ratio
    cap: str


class Benefit(Model):
    """The basic-insurance benefit of one visit type.

    Either a ratio (flat or by hospital level) after the deductible, or a lump sum (定额) paid up
    to the in-scope amount; ``caps`` are the annual cap pools the payment draws from.
    """

    label: Text
    deductible: Deductible | None = None
    ratio: Ratio | None = None
    ratio_by_level: dict[Level, Ratio] | None = None
    lump_sum: Money | None = None
    caps: tuple[str, ...] = ()
    conditions: dict[Condition, ConditionRule] | None = None
    # Points added to the ratio for a person category (特困 …), at most 100% in all.
    category_points: dict[str, Ratio] = Field(default_factory=dict)

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

    label: Text
    amount: Money


class CrossRegionRule(Model):
    """How treatment elsewhere changes the basic ratio: ``ratio × factor − points``."""

    label: Text
    ratio_factor: Ratio = Fraction(1)
    ratio_points_off: Ratio = Fraction(0)

    def adjust(self, ratio: Fraction) -> Fraction:
        return max(Fraction(0), ratio * self.ratio_factor - self.ratio_points_off)


class Band(Model):
    """A band of the critical-illness cumulative amount: above ``above`` up to ``up_to``."""

    above: Money
    up_to: Money | None = None
    ratio: Ratio


class ReliefTilt(Model):
    """倾斜支付 for a relief tier: the threshold scaled, the ratios raised, the cap lifted."""

    threshold_factor: Ratio = Fraction(1)
    ratio_points: Ratio = Fraction(0)
    uncapped: bool = False


class CriticalIllness(Model):
    """大病保险 on the person's annual cumulative in-scope self-paid amount."""

    label: Text
    visit_types: tuple[VisitType, ...]
    include_class_b_first: bool = False
    bands: tuple[Band, ...] = Field(min_length=1)
    annual_cap: Money | None = None
    relief_tilts_enabled: bool = True
    relief_tilts: dict[Tier, ReliefTilt] = Field(default_factory=dict)

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

    deductible: Money | None = None
    deductible_share: Ratio | None = None
    ratio: Ratio
    annual_limit: Money

    @model_validator(mode="after")
    def _one_deductible(self) -> Self:
        if self.deductible is not None and self.deductible_share is not None:
            raise _problem("pack.deductible_twice", "give deductible or deductible_share, not both")
        return self


class MedicalAssistance(Model):
    label: Text
    reference_income: Money  # last year's per-capita disposable income (上年居民人均可支配收入)
    visit_types: tuple[VisitType, ...]
    categories: dict[str, AssistanceRule]

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

    tiers: dict[str, Money]
    fiscal_subsidy: Money | None = None


class MedicalRules(PackHeader):
    """A pack of the medical family: everything the cascade reads to settle a claim."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.PUBLIC})

    family: Literal[Family.MEDICAL] = Family.MEDICAL
    # Layout 1 only: see ``Contributions``.
    contributions: Contributions | None = None
    person_categories: dict[str, Tier] = Field(default_factory=dict)
    class_b_first_rate: Ratio
    caps: dict[str, CapPool] = Field(default_factory=dict)
    benefits: dict[VisitType, Benefit] = Field(min_length=1)
    cross_region: dict[CrossRegion, CrossRegionRule]
    critical_illness: CriticalIllness | None = None
    medical_assistance: MedicalAssistance | None = None

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
