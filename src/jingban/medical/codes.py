"""The interface's codes settlement needs to decide anything: ``insutype`` → jingban's scheme,
``med_type`` → the engine's visit type and the network's care form. The full code tables with
their labels (for the interface's answers and the pages) are the national part's data; these
are the few the money path reads, and a code outside them is refused, naming the field."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jingban.engine.codes import VisitType

# 险种类型 → scheme code. Only the resident scheme has a medical pack so far.
INSUTYPE_SCHEME = {"390": "resident_medical"}

# Fund pay types (基金支付类型) of the resident scheme, by engine layer.
FUND_BASIC = "390100"  # 城乡居民基本医疗保险基金
FUND_CRITICAL = "390200"  # 城乡居民大病医疗保险资金
FUND_ASSISTANCE = "610100"  # 医疗救助基金
FUND_OTHER = "999996"  # 其他 (supplementary products stacked on the public pack)

FUND_LABELS = {
    FUND_BASIC: _("Resident basic medical insurance fund"),
    FUND_CRITICAL: _("Resident critical illness insurance"),
    FUND_ASSISTANCE: _("Medical assistance fund"),
    FUND_OTHER: _("Other funds"),
}


@dataclass(frozen=True)
class MedType:
    code: str
    visit_type: VisitType
    inpatient: bool
    care_form: str  # providers.CareForm value
    chronic: bool = False


MED_TYPES = {
    m.code: m
    for m in (
        MedType("11", VisitType.OUTPATIENT_GENERAL, False, "outpatient"),  # 普通门诊
        MedType("12", VisitType.OUTPATIENT_GENERAL, False, "outpatient"),  # 门诊挂号
        MedType("13", VisitType.OUTPATIENT_GENERAL, False, "outpatient"),  # 急诊
        MedType(
            "14", VisitType.OUTPATIENT_CHRONIC, False, "outpatient", chronic=True
        ),  # 门诊慢特病
        MedType("19", VisitType.ACCIDENT_OUTPATIENT, False, "outpatient"),  # 意外伤害门诊
        MedType("21", VisitType.INPATIENT, True, "inpatient"),  # 普通住院
        MedType("23", VisitType.INPATIENT, True, "inpatient"),  # 转外诊治住院
        MedType("24", VisitType.INPATIENT, True, "inpatient"),  # 急诊转住院
        MedType("52", VisitType.MATERNITY_NATURAL, True, "inpatient"),  # 生育住院
    )
}

# 生育住院 by caesarean section (ICD-10 O82: 剖宫产单胎分娩) takes the caesarean lump sum.
CESAREAN_PREFIX = "O82"


def visit_type_of(med_type: MedType, dise_codg: str) -> VisitType:
    if med_type.code == "52" and dise_codg.upper().startswith(CESAREAN_PREFIX):
        return VisitType.MATERNITY_CESAREAN
    return med_type.visit_type
