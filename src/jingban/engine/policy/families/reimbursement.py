"""The reimbursement family (手工报销): the materials a person hands in with an application, by
case (visit type, cause, cross-region treatment, referral), and the review deadline in working
days with the rule of its clock.

The clock: the deadline counts ``review_working_days`` Chinese working days from the day an
application is received. When the reviewer asks for more materials the clock stops; when the
person hands them in (resubmits) it restarts with the working days that were left, counted from
the day of the resubmission. What no source gives is marked ``sample`` in the pack."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, ClassVar, Literal, Self

from pydantic import Field, model_validator

from jingban.engine.policy.header import Family, Model, PackHeader, PackKind, Text, problem
from jingban.engine.policy.meta import YES_NO, Choices, Fixed, Keys, Label, Unit


class ReimbursementVisit(StrEnum):
    """就诊类别 of an application."""

    OUTPATIENT = "outpatient"  # 普通门诊
    EMERGENCY = "emergency"  # 急诊
    CHRONIC = "chronic"  # 门诊慢特病
    INPATIENT = "inpatient"  # 住院
    MATERNITY = "maternity"  # 生育住院


class Cause(StrEnum):
    """就医原因."""

    ILLNESS = "illness"  # 疾病
    ACCIDENT = "accident"  # 意外伤害
    MATERNITY = "maternity"  # 生育


VISIT_LABELS = {
    ReimbursementVisit.OUTPATIENT: ("普通门诊", "Outpatient"),
    ReimbursementVisit.EMERGENCY: ("急诊", "Emergency"),
    ReimbursementVisit.CHRONIC: ("门诊慢特病", "Outpatient chronic and special diseases"),
    ReimbursementVisit.INPATIENT: ("住院", "Inpatient"),
    ReimbursementVisit.MATERNITY: ("生育住院", "Maternity stay"),
}
CAUSE_LABELS = {
    Cause.ILLNESS: ("疾病", "Illness"),
    Cause.ACCIDENT: ("意外伤害", "Accident"),
    Cause.MATERNITY: ("生育", "Maternity"),
}


class Case(Model):
    """What a material's rule reads of an application."""

    visit: ReimbursementVisit
    cause: Cause
    cross_region: bool
    referral: bool


class MaterialRule(Model):
    """One item of the checklist: when it is asked for, and the one-of group it belongs to (one
    item of a group is enough: an ID card, an e-voucher or a social security card)."""

    label: Annotated[Text, Label("名称", "Name")]
    visits: Annotated[
        tuple[ReimbursementVisit, ...],
        Label("适用就诊类别", "For the visit types", help_zh="空：全部", help_en="empty: all"),
        Choices(VISIT_LABELS),
    ] = ()
    causes: Annotated[
        tuple[Cause, ...],
        Label("适用就医原因", "For the causes", help_zh="空：全部", help_en="empty: all"),
        Choices(CAUSE_LABELS),
    ] = ()
    cross_region_only: Annotated[
        bool, Label("仅异地就医", "Only for treatment in another region"), Choices(YES_NO)
    ] = False
    referral_only: Annotated[bool, Label("仅转诊就医", "Only for a referral"), Choices(YES_NO)] = (
        False
    )
    required: Annotated[bool, Label("必须提交", "Required"), Choices(YES_NO)] = True
    group: Annotated[
        str | None,
        Label(
            "任选其一分组",
            "One-of group",
            help_zh="同组材料提交其一即可",
            help_en="one of a group will do",
        ),
    ] = None

    def applies(self, case: Case) -> bool:
        if self.visits and case.visit not in self.visits:
            return False
        if self.causes and case.cause not in self.causes:
            return False
        if self.cross_region_only and not case.cross_region:
            return False
        return not (self.referral_only and not case.referral)


class ReimbursementRules(PackHeader):
    """A pack of the reimbursement family: the materials checklist and the review deadline of
    the insured place."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.PUBLIC})

    family: Annotated[
        Literal[Family.REIMBURSEMENT], Label("险种类别", "Scheme family"), Fixed()
    ] = Family.REIMBURSEMENT
    review_working_days: Annotated[
        int,
        Label(
            "审核时限",
            "Review within",
            Unit.WORKING_DAYS,
            help_zh="自受理之日起计；补充材料期间暂停，补齐后按剩余工作日继续计算",
            help_en="from receipt; stopped while materials are asked for, then the days left",
        ),
    ] = Field(ge=1, le=120)
    materials: Annotated[
        dict[str, MaterialRule],
        Label("申请材料", "Materials"),
        Keys(entry_zh="材料", entry_en="material"),
    ] = Field(min_length=1)

    @model_validator(mode="after")
    def _groups_required(self) -> Self:
        for key, rule in self.materials.items():
            if rule.group is not None and not rule.required:
                raise problem(
                    "pack.reimbursement_group_unnamed",
                    "the materials of group {group} are all optional",
                    group=rule.group or key,
                )
        return self

    def checklist(self, case: Case) -> list[tuple[str, MaterialRule]]:
        """The items asked for in ``case``, in the pack's order."""
        return [(key, rule) for key, rule in self.materials.items() if rule.applies(case)]

    def missing(self, case: Case, given: Iterable[str]) -> list[list[str]]:
        """The required items (or one-of groups, as lists of their keys) not among ``given``."""
        have = set(given)
        missing: list[list[str]] = []
        groups: dict[str, list[str]] = {}
        for key, rule in self.checklist(case):
            if not rule.required:
                continue
            if rule.group is None:
                if key not in have:
                    missing.append([key])
            else:
                groups.setdefault(rule.group, []).append(key)
        for keys in groups.values():
            if not have.intersection(keys):
                missing.append(keys)
        return missing
