"""The contribution family (缴费): what a person-year of a scheme costs the person and the public
purse. Step 8 adds the special groups' subsidies and the continuity rules here."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from jingban.engine.policy.header import Family, Model, Money, PackHeader, PackKind, Text
from jingban.engine.policy.meta import Fixed, Keys, Label, Unit


class ContributionTier(Model):
    """One tier (档次) a person may choose: the personal contribution per person and year."""

    label: Annotated[Text, Label("名称", "Name")]
    amount: Annotated[Money, Label("个人缴费", "Personal contribution", Unit.YUAN)]


class ContributionRules(PackHeader):
    """A pack of the contribution family: the tiers of the personal contribution (个人缴费) and
    the fiscal subsidy (财政补助) per insured person, for the contribution year the effective
    period covers."""

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
