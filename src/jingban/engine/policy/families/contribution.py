"""The contribution family (缴费): what a person-year of a scheme costs the person and the public
purse. Step 8 adds the special groups' subsidies and the continuity rules here."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from jingban.engine.policy.header import Family, Model, Money, PackHeader, PackKind, Text


class ContributionTier(Model):
    """One tier (档次) a person may choose: the personal contribution per person and year."""

    label: Text
    amount: Money


class ContributionRules(PackHeader):
    """A pack of the contribution family: the tiers of the personal contribution (个人缴费) and
    the fiscal subsidy (财政补助) per insured person, for the contribution year the effective
    period covers."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.PUBLIC})

    family: Literal[Family.CONTRIBUTION] = Family.CONTRIBUTION
    tiers: dict[str, ContributionTier] = Field(min_length=1)
    fiscal_subsidy: Money
