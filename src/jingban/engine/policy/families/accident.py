"""The accident family (老年人意外伤害保险, 安康关爱-style): one product of accidental-injury
insurance for people of a minimum age, enrolled one by one or in groups through the ageing office
or a community; its premium, who may pay it, its benefits and its claim rules.

The benefits are per accident: accidental death pays the death sum insured; a disability pays the
disability sum insured times the ratio of its grade (1 the most severe); accidental medical
expenses pay ``ratio`` of what is over the deductible, up to the limit; a hospital stay pays a
daily allowance up to a number of days."""

from __future__ import annotations

import itertools
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, ClassVar, Literal, Self

from pydantic import Field, model_validator

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
from jingban.engine.policy.meta import Choices, Fixed, Keys, Label, Unit


class Payer(StrEnum):
    """Who pays an enrollment's premium."""

    PERSON = "person"  # 个人自费
    COMMUNITY = "community"  # 社区（村居）集体缴纳
    GOVERNMENT = "government"  # 政府为特殊群体缴纳


PAYER_LABELS = {
    Payer.PERSON: ("个人缴纳", "The person"),
    Payer.COMMUNITY: ("社区（村居）集体缴纳", "A community"),
    Payer.GOVERNMENT: ("政府为特殊群体缴纳", "The government, for special groups"),
}

# Disability grades (伤残等级), 1 the most severe.
GRADES = tuple(range(1, 11))
GRADE_LABELS = {g: (f"{g}级伤残", f"Grade {g} disability") for g in GRADES}


class AccidentMedical(Model):
    """Accidental medical expenses (意外医疗): per accident."""

    deductible: Annotated[Money, Label("免赔额", "Deductible", Unit.YUAN)]
    ratio: Annotated[Ratio, Label("赔付比例", "Ratio", Unit.PERCENT)]
    limit: Annotated[Money, Label("每次事故限额", "Limit per accident", Unit.YUAN)]


class HospitalAllowance(Model):
    """Hospital allowance (住院津贴): a sum a day in hospital, up to a number of days."""

    per_day: Annotated[Money, Label("每日津贴", "Allowance a day", Unit.YUAN_PER_DAY)]
    max_days: Annotated[int, Label("最多天数", "At most", Unit.DAYS)] = Field(ge=0, le=366)


class AccidentProduct(Model):
    """One product of accident insurance for elderly people."""

    label: Annotated[Text, Label("产品名称", "Product name")]
    min_age: Annotated[
        int,
        Label(
            "最低年龄",
            "Minimum age",
            Unit.YEARS,
            help_zh="保障开始之日已满的周岁",
            help_en="completed years on the first day of cover",
        ),
    ] = Field(ge=0, le=120)
    cover_months: Annotated[int, Label("保障期间", "Cover period", Unit.MONTHS)] = Field(
        ge=1, le=60
    )
    premium: Annotated[Money, Label("每人保费", "Premium a person", Unit.YUAN)]
    payers: Annotated[
        tuple[Payer, ...], Label("缴费主体", "Who may pay"), Choices(PAYER_LABELS)
    ] = Field(min_length=1)
    death: Annotated[Money, Label("意外身故保险金额", "Accidental death sum insured", Unit.YUAN)]
    disability: Annotated[
        Money, Label("意外伤残保险金额", "Accidental disability sum insured", Unit.YUAN)
    ]
    disability_ratios: Annotated[
        dict[int, Ratio],
        Label("伤残等级给付比例", "Ratio by disability grade", Unit.PERCENT),
        Keys(GRADE_LABELS),
    ] = Field(min_length=1)
    medical: Annotated[AccidentMedical, Label("意外医疗", "Accidental medical expenses")]
    allowance: Annotated[HospitalAllowance, Label("住院津贴", "Hospital allowance")]
    report_days: Annotated[
        int,
        Label(
            "报案时限",
            "Report within",
            Unit.DAYS,
            help_zh="事故发生之日起的自然日",
            help_en="calendar days from the accident",
        ),
    ] = Field(ge=1, le=3650)

    @model_validator(mode="after")
    def _grades(self) -> Self:
        for grade in self.disability_ratios:
            if grade not in GRADES:
                raise problem(
                    "pack.accident_unknown_grade",
                    "disability grades run from 1 to 10: {grade}",
                    grade=str(grade),
                )
        ordered = [self.disability_ratios[g] for g in sorted(self.disability_ratios)]
        if any(a < b for a, b in itertools.pairwise(ordered)):
            raise problem(
                "pack.accident_grades_not_descending",
                "a more severe grade (a smaller number) pays at least as much as a lighter one",
            )
        return self

    def grade_ratio(self, grade: int) -> Fraction:
        return self.disability_ratios.get(grade, Fraction(0))


class AccidentRules(PackHeader):
    """A pack of the accident family: one product."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.SUPPLEMENTARY})

    family: Annotated[Literal[Family.ACCIDENT], Label("险种类别", "Scheme family"), Fixed()] = (
        Family.ACCIDENT
    )
    accident: Annotated[AccidentProduct, Label("意外伤害保险产品", "Accident insurance product")]
