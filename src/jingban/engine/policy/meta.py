"""What a pack's fields mean to a person: labels in both languages, units, and the names of map
keys and choices, declared beside the schema's fields as ``Annotated`` metadata.

The engine does not import Django, so every label here is a literal in both languages
(``Label(zh, en)``) rather than a message id; the packs app picks the language. A field of a
rules model reads::

    ratio: Annotated[Ratio | None, Label("报销比例", "Reimbursement ratio", Unit.PERCENT)] = None

A map field names where its keys' labels come from (``Keys``): a fixed vocabulary (hospital
levels, visit types …) or, for keys the pack invents (cap pools, tiers), the ``label`` of the
entry itself. A list field names how one item is called (``Items``: 第1段 …). A text field that
refers to the keys of another map (a benefit's cap pools) says which (``Refs``).

``schema_tree`` (in ``jingban.engine.policy.scheme``) walks a model with this metadata: the
figures page and the structured draft form are both built from it, so a new family's model gets
them by declaring its labels, without page code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from jingban.engine.codes import CATEGORY_LABELS, Condition, CrossRegion, Tier, VisitType
from jingban.engine.money import Rounding


class Unit(StrEnum):
    """The unit a figure is stated in."""

    YUAN = "yuan"  # 元: amounts (written in yuan, held in fen)
    PERCENT = "percent"  # %: ratios (written 0.65, shown 65%)
    TIMES = "times"  # 次
    DAYS = "days"  # 天
    YUAN_PER_DAY = "yuan_per_day"  # 元/天
    YEARS = "years"  # 年
    NUMBER = "number"  # a count without a unit (a version number …)
    WORKING_DAYS = "working_days"  # 个工作日
    # Long-term care (step 7)
    MONTHS = "months"  # 个月
    POINTS = "points"  # 分: assessment scores
    ITEMS = "items"  # 项: a count of assessment items
    PERSONS = "persons"  # 人
    HOURS = "hours"  # 小时
    MINUTES = "minutes"  # 分钟
    METRES = "metres"  # 米
    YUAN_PER_HOUR = "yuan_per_hour"  # 元/小时
    YUAN_PER_MONTH = "yuan_per_month"  # 元/月
    # Contributions (step 8): a day of the calendar, as a month and a day of it
    MONTH_OF_YEAR = "month_of_year"  # 月
    DAY_OF_MONTH = "day_of_month"  # 日
    # Cross-region filing (step 8): how many leading digits of a region code
    DIGITS = "digits"  # 位


# How a unit is written after a value (a percent sign and a yuan sign are written by the
# formatting itself: ¥800, 85%).
UNIT_LABELS: Mapping[Unit, tuple[str, str]] = {
    Unit.YUAN: ("元", "yuan"),
    Unit.PERCENT: ("%", "%"),
    Unit.TIMES: ("次", "times"),
    Unit.DAYS: ("天", "days"),
    Unit.YUAN_PER_DAY: ("元/天", "yuan a day"),
    Unit.YEARS: ("年", "years"),
    Unit.NUMBER: ("个", ""),
    Unit.WORKING_DAYS: ("个工作日", "working days"),
    Unit.MONTHS: ("个月", "months"),
    Unit.POINTS: ("分", "points"),
    Unit.ITEMS: ("项", "items"),
    Unit.PERSONS: ("人", "persons"),
    Unit.HOURS: ("小时", "hours"),
    Unit.MINUTES: ("分钟", "minutes"),
    Unit.METRES: ("米", "metres"),
    Unit.YUAN_PER_HOUR: ("元/小时", "yuan an hour"),
    Unit.YUAN_PER_MONTH: ("元/月", "yuan a month"),
    Unit.MONTH_OF_YEAR: ("月", "month"),
    Unit.DAY_OF_MONTH: ("日", "day"),
    Unit.DIGITS: ("位", "digits"),
}


def bilingual(pair: tuple[str, str], language: str) -> str:
    """The English of a (Chinese, English) pair for an English reader, the Chinese otherwise."""
    return pair[1] if language.startswith("en") else pair[0]


@dataclass(frozen=True)
class Label:
    """A field's name in both languages and the unit of its figures (for a map or a list, of
    its entries). ``in_place=False`` leaves the label out of a figure's place in the scheme when
    the key below it says enough (起付线 · 三级医院 rather than 起付线 · 按医院等级 · 三级医院)."""

    zh: str
    en: str
    unit: Unit | None = None
    in_place: bool = True
    help_zh: str = ""
    help_en: str = ""
    # A shorter name for the figure's place when the keys below say the rest (报销比例 rather
    # than 报销比例（按医院等级） before 三级医院); empty: the label.
    place_zh: str = ""
    place_en: str = ""

    def get(self, language: str) -> str:
        return bilingual((self.zh, self.en), language)

    def in_place_text(self, language: str) -> str:
        if self.place_zh and self.place_en:
            return bilingual((self.place_zh, self.place_en), language)
        return self.get(language)

    def help(self, language: str) -> str:
        return bilingual((self.help_zh, self.help_en), language)


@dataclass(frozen=True)
class Keys:
    """Where the labels of a map's keys come from: ``vocabulary`` (a fixed set: the form offers
    the keys not yet used), or None: the keys are the pack's own names and each entry's
    ``label`` names it (the form asks for a new key's name)."""

    vocabulary: Mapping[object, tuple[str, str]] | None = None
    entry_zh: str = "项目"
    entry_en: str = "entry"


@dataclass(frozen=True)
class Items:
    """How one item of a list is called, with its number: 第{n}段 / band {n}."""

    zh: str
    en: str

    def get(self, number: int, language: str) -> str:
        return bilingual((self.zh, self.en), language).format(n=number)


@dataclass(frozen=True)
class Choices:
    """The labels of the values a field may take (an enumeration or a literal)."""

    labels: Mapping[object, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Refs:
    """A text (or a list of texts) naming keys of the top-level map ``section``."""

    section: str


@dataclass(frozen=True)
class Fixed:
    """A header field the draft form keeps as it is (the pack's id, its kind, its family): a
    new version of a pack is the same pack."""


@dataclass(frozen=True)
class LayoutOne:
    """A field only the pack layout 1 writes (a medical pack's contributions): a structured
    draft is written in the current layout and leaves it out."""


HOSPITAL_LEVEL_LABELS: Mapping[object, tuple[str, str]] = {
    1: ("一级及以下医院", "Level 1 hospitals and below"),
    2: ("二级医院", "Level 2 hospitals"),
    3: ("三级医院", "Level 3 hospitals"),
}

VISIT_TYPE_LABELS: Mapping[object, tuple[str, str]] = {
    VisitType.INPATIENT: ("住院", "Inpatient"),
    VisitType.OUTPATIENT_GENERAL: ("普通门诊统筹", "Outpatient pooling"),
    VisitType.OUTPATIENT_TWO_DISEASES: ("门诊“两病”", "Two diseases (hypertension, diabetes)"),
    VisitType.OUTPATIENT_CHRONIC: ("门诊慢特病", "Chronic and special outpatient care"),
    VisitType.OUTPATIENT_DIALYSIS: ("特殊门诊（透析）", "Special outpatient care (dialysis)"),
    VisitType.MATERNITY_NATURAL: ("住院分娩（顺产）", "Childbirth (natural)"),
    VisitType.MATERNITY_CESAREAN: ("住院分娩（剖腹产）", "Childbirth (caesarean)"),
    VisitType.ACCIDENT_OUTPATIENT: ("意外伤害门（急）诊", "Accident outpatient care"),
}

CONDITION_LABELS: Mapping[object, tuple[str, str]] = {
    Condition.HYPERTENSION: ("高血压", "Hypertension"),
    Condition.DIABETES: ("糖尿病", "Diabetes"),
}

CROSS_REGION_LABELS: Mapping[object, tuple[str, str]] = {
    CrossRegion.LOCAL: ("本地就医", "Local treatment"),
    CrossRegion.FILED_LONG_TERM: (
        "异地长期居住（已备案）",
        "Long-term residence elsewhere (filed)",
    ),
    CrossRegion.REFERRAL: ("转诊转院", "Referral"),
    CrossRegion.EMERGENCY: ("急诊抢救", "Emergency"),
    CrossRegion.FILED_TEMPORARY: ("其他临时外出（已备案）", "Other temporary treatment (filed)"),
    CrossRegion.UNFILED: ("未备案异地就医", "Treatment elsewhere without filing"),
}

TIER_LABELS: Mapping[object, tuple[str, str]] = {
    Tier.CORE: ("核心救助对象（特困、低保、返贫致贫）", "Core relief tier"),
    Tier.LOW_INCOME: ("低收入人口", "Low-income tier"),
    Tier.ILLNESS: ("因病致贫重病患者", "Impoverished by illness"),
}

ROUNDING_LABELS: Mapping[object, tuple[str, str]] = {
    Rounding.HALF_UP: ("四舍五入", "Half up"),
    Rounding.HALF_EVEN: ("银行家舍入（四舍六入五成双）", "Half to even"),
    Rounding.DOWN: ("舍去（不进位）", "Down (truncate)"),
}

PERSON_CATEGORY_LABELS: Mapping[object, tuple[str, str]] = {
    code: names for code, names in CATEGORY_LABELS.items()
}
RELIEF_CATEGORY_LABELS: Mapping[object, tuple[str, str]] = {
    code: names for code, names in CATEGORY_LABELS.items() if code != "general"
}

YES_NO: Mapping[object, tuple[str, str]] = {True: ("是", "Yes"), False: ("否", "No")}


class ValueKind(StrEnum):
    """Marks the value types of ``header`` (``Money``, ``Ratio``) in their ``Annotated``
    metadata, so a walker knows an amount from a whole number without comparing validators."""

    MONEY = "money"
    RATIO = "ratio"
