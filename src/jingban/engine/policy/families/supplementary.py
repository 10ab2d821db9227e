"""The supplementary family (补充保险, 惠民保): a commercial product stacked on the medical layers
of a claim."""

from __future__ import annotations

from typing import ClassVar, Literal

from jingban.engine.codes import VisitType
from jingban.engine.policy.header import Family, Model, Money, PackHeader, PackKind, Ratio, Text


class SupplementaryPart(Model):
    ratio: Ratio
    annual_limit: Money


class Supplementary(Model):
    """A 惠民保 product: one annual deductible, then shares of the remainders inside and outside
    the catalogue after the public layers."""

    label: Text
    premium: Money
    visit_types: tuple[VisitType, ...]
    deductible: Money
    in_catalogue: SupplementaryPart
    out_of_catalogue: SupplementaryPart
    age_limit: bool = False
    pre_existing_condition_limit: bool = False


class SupplementaryRules(PackHeader):
    """A pack of the supplementary family: one product."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.SUPPLEMENTARY})

    family: Literal[Family.SUPPLEMENTARY] = Family.SUPPLEMENTARY
    supplementary: Supplementary
