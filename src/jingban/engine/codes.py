"""The codes claims and packs share: visit types, conditions, cross-region statuses, person
categories and relief tiers. Person categories are the registry's special-group codes."""

from __future__ import annotations

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

# Person categories a claim may carry: ``general`` and the registry's relief groups.
PERSON_CATEGORIES = (
    GENERAL_CATEGORY,
    "tekun",
    "dibao",
    "fanpin",
    "dibao_edge",
    "monitored",
    "illness_poor",
)

HOSPITAL_LEVELS = (1, 2, 3)

# Short names of the person categories, for explanations (Chinese, English).
CATEGORY_LABELS = {
    GENERAL_CATEGORY: ("普通参保人", "General"),
    "tekun": ("特困人员", "Extreme poverty"),
    "dibao": ("低保对象", "Minimum living allowance"),
    "fanpin": ("返贫致贫人口", "Returned to poverty"),
    "dibao_edge": ("低保边缘家庭成员", "Edge of the allowance"),
    "monitored": ("防止返贫监测对象", "Monitored against poverty"),
    "illness_poor": ("因病致贫重病患者", "Impoverished by illness"),
}
