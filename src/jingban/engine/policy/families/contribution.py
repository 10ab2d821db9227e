"""The contribution family (缴费): what a person-year of a scheme costs the person and the public
purse, the special groups' subsidies, the concentrated enrollment period and the continuity rules
of 国办发〔2024〕38号 (``jingban.engine.medical.continuity`` computes with them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal, Self

from pydantic import Field, model_validator

from jingban.engine.codes import Tier
from jingban.engine.money import apply_ratio
from jingban.engine.policy.header import (
    Family,
    Model,
    Money,
    PackHeader,
    PackKind,
    Ratio,
    Text,
    problem,
)
from jingban.engine.policy.meta import TIER_LABELS, Fixed, Keys, Label, Unit


class ContributionTier(Model):
    """One tier (档次) a person may choose: the personal contribution per person and year."""

    label: Annotated[Text, Label("名称", "Name")]
    amount: Annotated[Money, Label("个人缴费", "Personal contribution", Unit.YUAN)]


class GroupSubsidy(Model):
    """资助参保: the share of the personal contribution of the first (lowest) tier that public
    funds pay for a member of a special group of this relief tier (1: in full)."""

    share: Annotated[Ratio, Label("资助比例", "Share subsidised", Unit.PERCENT)]


class ConcentratedPeriod(Model):
    """集中参保期: the weeks, in the year before the contribution year, in which enrolling for the
    year gives benefits from its first day without a waiting period."""

    start_month: Annotated[int, Label("开始月份", "Start month", Unit.MONTH_OF_YEAR)] = Field(
        ge=1, le=12
    )
    start_day: Annotated[int, Label("开始日", "Start day", Unit.DAY_OF_MONTH)] = Field(ge=1, le=31)
    end_month: Annotated[int, Label("截止月份", "End month", Unit.MONTH_OF_YEAR)] = Field(
        ge=1, le=12
    )
    end_day: Annotated[int, Label("截止日", "End day", Unit.DAY_OF_MONTH)] = Field(ge=1, le=31)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        try:
            start = dt.date(2023, self.start_month, self.start_day)
            end = dt.date(2023, self.end_month, self.end_day)
        except ValueError:
            raise problem("pack.bad_day", "the period names a day that does not exist") from None
        if end < start:
            raise problem("pack.period_reversed", "the period ends before it starts")
        return self

    def days(self, contribution_year: int) -> tuple[dt.date, dt.date]:
        year = contribution_year - 1
        return (
            dt.date(year, self.start_month, self.start_day),
            dt.date(year, self.end_month, self.end_day),
        )


class ContinuityRules(Model):
    """连续参保激励约束 (国办发〔2024〕38号): the waiting period and the raises of the critical
    illness cap."""

    fixed_waiting_months: Annotated[
        int, Label("固定待遇等待期", "Fixed waiting period", Unit.MONTHS)
    ] = Field(ge=0, le=24)
    months_per_gap_year: Annotated[
        int, Label("每断保一年增加的等待期", "Added per year of gap", Unit.MONTHS)
    ] = Field(ge=0, le=12)
    max_waiting_months: Annotated[
        int, Label("等待期上限", "Longest waiting period", Unit.MONTHS)
    ] = Field(ge=0, le=36)
    newborn_months: Annotated[
        int, Label("新生儿出生后免等待期的月数", "Newborns exempt within", Unit.MONTHS)
    ] = Field(ge=0, le=24)
    exempt_tiers: Annotated[
        tuple[Tier, ...], Label("免等待期的救助群体", "Relief tiers without waiting period")
    ] = ()
    raise_from_year: Annotated[
        int, Label("自连续参保第几年起提高大病限额", "Cap raised from continuous year", Unit.YEARS)
    ] = Field(ge=1, le=50)
    continuity_raise: Annotated[
        Ratio, Label("连续参保每年提高", "Raise per continuous year", Unit.PERCENT)
    ]
    zero_claim_raise: Annotated[
        Ratio, Label("零报销每年提高", "Raise per year without reimbursement", Unit.PERCENT)
    ]
    max_raise: Annotated[Ratio, Label("累计提高上限", "Largest total raise", Unit.PERCENT)]

    @model_validator(mode="after")
    def _limits(self) -> Self:
        if self.max_waiting_months < self.fixed_waiting_months:
            raise problem(
                "pack.waiting_limit_below_fixed",
                "the longest waiting period is shorter than the fixed one",
            )
        return self


class ContributionRules(PackHeader):
    """A pack of the contribution family: the tiers of the personal contribution (个人缴费) and
    the fiscal subsidy (财政补助) per insured person, for the contribution year the effective
    period covers; from version 2 of the resident pack also the special groups' subsidies, the
    concentrated enrollment period and the continuity rules."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.PUBLIC})

    family: Annotated[Literal[Family.CONTRIBUTION], Label("险种类别", "Scheme family"), Fixed()] = (
        Family.CONTRIBUTION
    )
    tiers: Annotated[
        dict[str, ContributionTier],
        Label("个人缴费档次", "Contribution tiers"),
        Keys(entry_zh="档次", entry_en="tier"),
    ] = Field(min_length=1)
    fiscal_subsidy: Annotated[Money, Label("财政补助", "Fiscal subsidy", Unit.YUAN)]
    group_subsidies: Annotated[
        dict[Tier, GroupSubsidy],
        Label("特殊群体资助参保", "Special groups' subsidies"),
        Keys(TIER_LABELS),
    ] = Field(default_factory=dict)
    concentrated_period: Annotated[
        ConcentratedPeriod | None, Label("集中参保期", "Concentrated enrollment period")
    ] = None
    continuity: Annotated[
        ContinuityRules | None, Label("连续参保激励约束", "Continuity of enrollment")
    ] = None

    @property
    def base_tier(self) -> str:
        """The tier with the lowest personal contribution: a subsidy's base."""
        return min(self.tiers, key=lambda key: (self.tiers[key].amount, key))

    def subsidy(self, tier: str, group_tiers: frozenset[Tier] | set[Tier]) -> int:
        """The part of tier ``tier``'s contribution public funds pay for a person in the relief
        tiers ``group_tiers`` (the most generous one counts), never more than the tier."""
        shares = [self.group_subsidies[t].share for t in group_tiers if t in self.group_subsidies]
        if not shares:
            return 0
        base = self.tiers[self.base_tier].amount
        return min(apply_ratio(base, max(shares), self.rounding), self.tiers[tier].amount)

    def amount_due(self, tier: str, group_tiers: frozenset[Tier] | set[Tier]) -> int:
        """What the person pays for the year in tier ``tier`` (fen), after any subsidy."""
        return self.tiers[tier].amount - self.subsidy(tier, group_tiers)
