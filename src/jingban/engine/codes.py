"""The codes claims and packs share: visit types, conditions, cross-region statuses, person
categories and relief tiers. Person categories are the registry's special-group codes, listed
once here (``SPECIAL_GROUPS``) for the engine and the registry."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class VisitType(StrEnum):
    """就诊类型."""

    INPATIENT = "inpatient"  # 住院
    OUTPATIENT_GENERAL = "outpatient_general"  # 普通门诊统筹
    OUTPATIENT_TWO_DISEASES = "outpatient_two_diseases"  # 门诊“两病”
    OUTPATIENT_CHRONIC = "outpatient_chronic"  # 门诊慢特病
    OUTPATIENT_DIALYSIS = "outpatient_dialysis"  # 特殊门诊: 透析
    MATERNITY_NATURAL = "maternity_natural"  # 住院分娩: 顺产
    MATERNITY_CESAREAN = "maternity_cesarean"  # 住院分娩: 剖腹产
    ACCIDENT_OUTPATIENT = "accident_outpatient"  # 意外伤害门(急)诊


class Condition(StrEnum):
    """The two diseases (两病) that carry their own outpatient benefit."""

    HYPERTENSION = "hypertension"
    DIABETES = "diabetes"


class CrossRegion(StrEnum):
    """Where the treatment happened relative to the insured place, and how it was filed."""

    LOCAL = "local"  # 本地就医
    FILED_LONG_TERM = "filed_long_term"  # 异地长期居住/安置, 已备案
    REFERRAL = "referral"  # 转诊转院
    EMERGENCY = "emergency"  # 急诊抢救 (counts as filed)
    FILED_TEMPORARY = "filed_temporary"  # 其他临时外出, 已备案
    UNFILED = "unfiled"  # 未备案


class Tier(StrEnum):
    """Relief tiers of the national rules (国办发〔2021〕42号); the registry uses the same codes."""

    CORE = "core"  # 特困, 低保, 返贫致贫
    LOW_INCOME = "low_income"  # 低保边缘, 防止返贫监测对象
    ILLNESS = "illness"  # 因病致贫重病患者


GENERAL_CATEGORY = "general"


@dataclass(frozen=True)
class SpecialGroupCode:
    """A special group (特殊群体) as the registry records it and claims name it. ``tier`` is
    the relief tier; a group without one (``None``) is recorded but is no person category of a
    claim."""

    code: str
    name_zh: str
    name_en: str
    short_zh: str  # for explanations
    short_en: str
    tier: Tier | None


# The one list of special-group codes: the registry seeds its SpecialGroup table from it (and a
# test checks the table still matches), and a claim's person category is one of the relief
# groups or ``general``. Groups after the national relief rules (国办发〔2021〕42号).
SPECIAL_GROUPS = (
    SpecialGroupCode(
        "tekun", "特困人员", "Persons in extreme poverty", "特困人员", "Extreme poverty", Tier.CORE
    ),
    SpecialGroupCode(
        "dibao",
        "最低生活保障对象",
        "Minimum living allowance recipients",
        "低保对象",
        "Minimum living allowance",
        Tier.CORE,
    ),
    SpecialGroupCode(
        "fanpin",
        "返贫致贫人口",
        "Persons returned to or fallen into poverty",
        "返贫致贫人口",
        "Returned to poverty",
        Tier.CORE,
    ),
    SpecialGroupCode(
        "dibao_edge",
        "低保边缘家庭成员",
        "Members of households on the edge of the allowance",
        "低保边缘家庭成员",
        "Edge of the allowance",
        Tier.LOW_INCOME,
    ),
    SpecialGroupCode(
        "monitored",
        "防止返贫监测对象",
        "Persons monitored against returning to poverty",
        "防止返贫监测对象",
        "Monitored against poverty",
        Tier.LOW_INCOME,
    ),
    SpecialGroupCode(
        "illness_poor",
        "因病致贫重病患者",
        "Seriously ill persons impoverished by illness",
        "因病致贫重病患者",
        "Impoverished by illness",
        Tier.ILLNESS,
    ),
    SpecialGroupCode(
        "severe_disability",
        "重度残疾人",
        "Persons with severe disabilities",
        "重度残疾人",
        "Severe disability",
        None,
    ),
)

# Person categories a claim may carry: ``general`` and the relief groups.
PERSON_CATEGORIES = (GENERAL_CATEGORY, *(g.code for g in SPECIAL_GROUPS if g.tier is not None))

HOSPITAL_LEVELS = (1, 2, 3)

# Short names of the person categories, for explanations (Chinese, English).
CATEGORY_LABELS = {
    GENERAL_CATEGORY: ("普通参保人", "General"),
    **{g.code: (g.short_zh, g.short_en) for g in SPECIAL_GROUPS if g.tier is not None},
}
