"""What every pack says whatever its scheme family: the value types (amounts, ratios, texts in
both languages) and the common header (id, version, kind, family, title, region, scheme,
effective period, rounding, sources).

Amounts are written in yuan and held in fen; ratios are written as decimals (0.65) or percentages
("65%") and held as exact fractions. Every model is frozen: a loaded pack cannot change.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from jingban.engine.money import MoneyError, Rounding, format_ratio, to_ratio, yuan_to_fen
from jingban.engine.policy.meta import (
    ROUNDING_LABELS,
    Choices,
    Fixed,
    Items,
    Label,
    Unit,
    ValueKind,
)

# The layouts of a pack text the loader reads (docs/adr/0006-pack-schema-union.md): 1, the
# shipped packs of step 3 (no ``schema`` key, the family follows from ``kind``); 2, with
# ``schema: 2``, a ``family`` and every note in both languages.
LAYOUT_1 = 1
LAYOUT_2 = 2
LAYOUTS = (LAYOUT_1, LAYOUT_2)


def problem(code: str, template: str, **params: object) -> PydanticCustomError:
    """A validation problem with a stable code (the error's ``type``) and its parameters, so an
    application can say it in the user's language; ``template`` is the English."""
    return PydanticCustomError(code, template, params)


def _fen(value: object) -> int:
    try:
        return yuan_to_fen(value)
    except MoneyError as err:
        raise problem(err.code, str(err), value=str(value)) from err


def _ratio(value: object) -> Fraction:
    try:
        ratio = to_ratio(value)
    except ValueError as err:
        raise problem("ratio.not_a_number", "{value} is not a ratio", value=str(value)) from err
    if not 0 <= ratio <= 1:
        raise problem(
            "ratio.out_of_range", "{value} is not between 0 and 100%", value=format_ratio(ratio)
        )
    return ratio


# An amount written in yuan (at most two decimals, not negative), held in fen.
Money = Annotated[int, BeforeValidator(_fen), ValueKind.MONEY]
# A share between 0 and 1, held exactly.
Ratio = Annotated[
    Fraction,
    BeforeValidator(_ratio),
    ValueKind.RATIO,
    PlainSerializer(lambda r: str(r), return_type=str),
]
Level = Literal[1, 2, 3]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Text(Model):
    """A label in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.zh


def layout_of(info: ValidationInfo) -> int:
    """The layout of the text being validated (the loader passes it as context)."""
    context = info.context if isinstance(info.context, dict) else {}
    layout = context.get("layout", LAYOUT_2)
    return layout if isinstance(layout, int) else LAYOUT_2


class PackKind(StrEnum):
    """Who runs the scheme: the public insurance, or a commercial product stacked on it."""

    PUBLIC = "public"  # basic insurance with its critical illness and assistance layers …
    SUPPLEMENTARY = "supplementary"  # a commercial product stacked on top (惠民保)


class Family(StrEnum):
    """The scheme family: which rules model the pack holds (the union's discriminator).

    Long-term care (step 7) joins as a new member; nothing else changes."""

    MEDICAL = "medical"  # 基本医保 + 大病保险 + 医疗救助: settles claims
    SUPPLEMENTARY = "supplementary"  # 惠民保: stacked on the medical layers of a claim
    CONTRIBUTION = "contribution"  # 个人缴费与财政补助: what a person-year costs
    DESK = "desk"  # 投诉举报: the desk's deadlines and the report reward
    LTC_ASSESSMENT = "ltc_assessment"  # 失能等级评估标准: items, bands, combination table
    LTC = "ltc"  # 长期护理保险: one city's process parameters and care-form payments
    FILING = "filing"  # 异地就医备案: kinds of cross-region filing, validity, approval
    ACCIDENT = "accident"  # 老年人意外伤害保险 (安康关爱): premium, benefits, claim rules
    REIMBURSEMENT = "reimbursement"  # 手工报销: materials by case, review deadline, the clock


class Source(Model):
    """A document the figures come from; its note is in both languages from layout 2 on."""

    title: Annotated[str, Label("文件名称", "Document title")]
    url: Annotated[str | None, Label("网址", "Web address")] = None
    note: Annotated[str | Text | None, Label("依据说明", "What it gives")] = None

    @field_validator("note")
    @classmethod
    def _bilingual(cls, note: str | Text | None, info: ValidationInfo) -> str | Text | None:
        if isinstance(note, str) and layout_of(info) >= LAYOUT_2:
            raise problem(
                "pack.note_not_bilingual",
                "from schema 2 on, a note is written in both languages: {zh: …, en: …}",
            )
        return note

    def note_in(self, language: str) -> str:
        if isinstance(self.note, Text):
            return self.note.get(language)
        return self.note or ""


class Effective(Model):
    """The days (both inclusive) on which the pack applies (a claim's settlement date, a
    contribution year …)."""

    start: Annotated[dt.date, Label("开始日期", "First day")]
    end: Annotated[dt.date, Label("结束日期", "Last day")]

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise problem("pack.end_before_start", "end is before start")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class PackHeader(Model):
    """What every pack says, whatever its family. A family's model adds its rules and names the
    kinds it may be (``KINDS``); see ``schema.PackRules`` for the union."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset(PackKind)

    id: Annotated[str, Label("政策包标识", "Pack id"), Fixed()] = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{2,63}$"
    )
    version: Annotated[int, Label("版本", "Version", Unit.NUMBER), Fixed()] = Field(ge=1)
    kind: Annotated[PackKind, Label("类别", "Kind"), Fixed()]
    title: Annotated[Text, Label("名称", "Title")]
    region: Annotated[
        str,
        Label(
            "统筹区代码",
            "Region code",
            help_zh="六位行政区划代码；000000 表示全国适用",
            help_en="six-digit region code; 000000 applies everywhere",
        ),
        Fixed(),
    ] = Field(pattern=r"^\d{6}$")
    scheme: Annotated[str, Label("险种", "Scheme"), Fixed()] = Field(min_length=1)
    effective: Annotated[Effective, Label("有效期", "Effective period")]
    rounding: Annotated[Rounding, Label("舍入规则", "Rounding"), Choices(ROUNDING_LABELS)]
    sources: Annotated[
        tuple[Source, ...], Label("政策依据", "Sources"), Items("依据{n}", "source {n}")
    ] = ()

    @field_validator("kind")
    @classmethod
    def _kind_of_family(cls, kind: PackKind) -> PackKind:
        if kind not in cls.KINDS:
            family = cls.model_fields["family"].default
            raise problem(
                "pack.kind_not_of_family",
                "a {family} pack is of kind {expected}, not {kind}",
                family=str(family),
                kind=kind.value,
                expected=" or ".join(sorted(k.value for k in cls.KINDS)),
            )
        return kind
