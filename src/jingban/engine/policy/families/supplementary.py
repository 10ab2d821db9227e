"""The supplementary family (补充保险, 惠民保): a commercial product stacked on the medical layers
of a claim."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from jingban.engine.codes import VisitType
from jingban.engine.policy.header import Family, Model, Money, PackHeader, PackKind, Ratio, Text
from jingban.engine.policy.meta import VISIT_TYPE_LABELS, YES_NO, Choices, Fixed, Label, Unit


class SupplementaryPart(Model):
    ratio: Annotated[Ratio, Label("赔付比例", "Ratio", Unit.PERCENT)]
    annual_limit: Annotated[Money, Label("年度限额", "Annual limit", Unit.YUAN)]


class Supplementary(Model):
    """A 惠民保 product: one annual deductible, then shares of the remainders inside and outside
    the catalogue after the public layers."""

    label: Annotated[Text, Label("产品名称", "Product name")]
    premium: Annotated[Money, Label("年保费", "Annual premium", Unit.YUAN)]
    visit_types: Annotated[
        tuple[VisitType, ...],
        Label("保障的就诊类型", "Visit types covered"),
        Choices(VISIT_TYPE_LABELS),
    ]
    deductible: Annotated[Money, Label("年度免赔额", "Annual deductible", Unit.YUAN)]
    in_catalogue: Annotated[SupplementaryPart, Label("目录内费用", "In-catalogue costs")]
    out_of_catalogue: Annotated[SupplementaryPart, Label("目录外费用", "Out-of-catalogue costs")]
    age_limit: Annotated[bool, Label("限制年龄", "Age limit"), Choices(YES_NO)] = False
    pre_existing_condition_limit: Annotated[
        bool, Label("限制既往症", "Pre-existing condition limit"), Choices(YES_NO)
    ] = False


class SupplementaryRules(PackHeader):
    """A pack of the supplementary family: one product."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.SUPPLEMENTARY})

    family: Annotated[
        Literal[Family.SUPPLEMENTARY], Label("险种类别", "Scheme family"), Fixed()
    ] = Family.SUPPLEMENTARY
    supplementary: Annotated[Supplementary, Label("补充保险产品", "Supplementary product")]
