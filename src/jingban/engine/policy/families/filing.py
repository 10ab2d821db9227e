"""The filing family (异地就医备案): per kind of cross-region filing, how long it is valid, whether
an operator approves it or it takes effect at once (with a personal commitment, 承诺制, where the
pack allows one), the proof it needs, how far back it may start (补办); and how many digits of
a six-digit administrative code (admdvs) make the same pooling area.

After the national notice on direct settlement across provinces (医保发〔2022〕22号):
long-term kinds (异地安置退休, 异地长期居住, 常驻异地工作) and temporary ones (转诊转院,
急诊抢救, 其他临时外出); an emergency counts as filed. What the notice leaves to the insured
place is marked ``sample`` in the pack."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal, Self

from pydantic import Field, model_validator

from jingban.engine.policy.header import Family, Model, PackHeader, PackKind, problem
from jingban.engine.policy.meta import YES_NO, Choices, Fixed, Keys, Label, Unit


class FilingKind(StrEnum):
    """备案类型."""

    RETIRED_RESETTLED = "retired_resettled"  # 异地安置退休
    LONG_TERM_RESIDENCE = "long_term_residence"  # 异地长期居住
    RESIDENT_WORK = "resident_work"  # 常驻异地工作
    REFERRAL = "referral"  # 转诊转院
    EMERGENCY = "emergency"  # 急诊抢救
    OTHER_TEMPORARY = "other_temporary"  # 其他临时外出


class FilingTerm(StrEnum):
    LONG_TERM = "long_term"  # 异地长期居住人员
    TEMPORARY = "temporary"  # 临时外出就医人员


class Proof(StrEnum):
    """The proof a kind of filing comes with (besides the filing form and the identity
    document, which the online form and the signed-in account stand for)."""

    HOUSEHOLD_MOVE = "household_move"  # 户籍迁入安置地证明
    RESIDENCE = "residence"  # 居住证明
    WORK = "work"  # 工作证明
    REFERRAL = "referral"  # 转诊转院证明


KIND_TERMS = {
    FilingKind.RETIRED_RESETTLED: FilingTerm.LONG_TERM,
    FilingKind.LONG_TERM_RESIDENCE: FilingTerm.LONG_TERM,
    FilingKind.RESIDENT_WORK: FilingTerm.LONG_TERM,
    FilingKind.REFERRAL: FilingTerm.TEMPORARY,
    FilingKind.EMERGENCY: FilingTerm.TEMPORARY,
    FilingKind.OTHER_TEMPORARY: FilingTerm.TEMPORARY,
}

KIND_LABELS = {
    FilingKind.RETIRED_RESETTLED: ("异地安置退休", "Retired and resettled elsewhere"),
    FilingKind.LONG_TERM_RESIDENCE: ("异地长期居住", "Living elsewhere long-term"),
    FilingKind.RESIDENT_WORK: ("常驻异地工作", "Working elsewhere long-term"),
    FilingKind.REFERRAL: ("转诊转院", "Referral to another hospital"),
    FilingKind.EMERGENCY: ("急诊抢救", "Emergency treatment"),
    FilingKind.OTHER_TEMPORARY: ("其他临时外出就医", "Other temporary treatment away"),
}
TERM_LABELS = {
    FilingTerm.LONG_TERM: ("长期", "Long-term"),
    FilingTerm.TEMPORARY: ("临时", "Temporary"),
}
PROOF_LABELS = {
    Proof.HOUSEHOLD_MOVE: ("户籍迁入安置地证明", "Proof of household registration moved"),
    Proof.RESIDENCE: ("居住证明", "Proof of residence"),
    Proof.WORK: ("工作证明", "Proof of work"),
    Proof.REFERRAL: ("转诊转院证明", "Referral certificate"),
}


class KindRule(Model):
    """The rule of one kind of filing."""

    validity_months: Annotated[
        int | None,
        Label(
            "有效期",
            "Valid for",
            Unit.MONTHS,
            help_zh="空值表示长期有效，直至取消",
            help_en="empty: valid until cancelled",
        ),
    ] = Field(default=None, ge=1, le=60)
    min_months: Annotated[
        int,
        Label("最短备案期限", "Shortest period", Unit.MONTHS),
    ] = Field(default=0, ge=0, le=60)
    approval: Annotated[
        bool,
        Label(
            "须经办机构审核",
            "Needs an operator's approval",
            help_zh="否：提交即生效",
            help_en="no: in effect once filed",
        ),
        Choices(YES_NO),
    ]
    commitment: Annotated[
        bool,
        Label(
            "可承诺制即时生效",
            "A personal commitment puts it in effect at once",
            help_zh="以个人承诺代替证明材料，无需审核",
            help_en="a commitment replaces the proof; no approval",
        ),
        Choices(YES_NO),
    ] = False
    proof: Annotated[
        Proof | None,
        Label("证明材料", "Proof"),
        Choices(PROOF_LABELS),
    ] = None
    backdate_days: Annotated[
        int,
        Label(
            "可补办天数",
            "May start this many days before filing",
            Unit.DAYS,
        ),
    ] = Field(default=0, ge=0, le=366)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.validity_months is not None and self.min_months > self.validity_months:
            raise problem(
                "pack.filing_min_over_validity", "the shortest period is over the validity"
            )
        if self.commitment and self.proof is None:
            raise problem(
                "pack.filing_commitment_without_proof",
                "a commitment replaces a proof: name the proof",
            )
        return self


class FilingRules(PackHeader):
    """A pack of the filing family: the rule of each kind of filing and the pooling-area rule of
    the insured place."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.PUBLIC})

    family: Annotated[Literal[Family.FILING], Label("险种类别", "Scheme family"), Fixed()] = (
        Family.FILING
    )
    pooling_digits: Annotated[
        int,
        Label(
            "统筹区代码位数",
            "Digits of the region code that make one pooling area",
            Unit.DIGITS,
            help_zh="4：同一地级市为同一统筹区",
            help_en="4: one prefecture-level city is one pooling area",
        ),
    ] = Field(ge=2, le=6)
    kinds: Annotated[
        dict[FilingKind, KindRule],
        Label("备案类型", "Kinds of filing"),
        Keys(KIND_LABELS),
    ] = Field(min_length=1)

    @model_validator(mode="after")
    def _long_term_open(self) -> Self:
        for kind, rule in self.kinds.items():
            if KIND_TERMS[kind] is FilingTerm.TEMPORARY and rule.validity_months is None:
                raise problem(
                    "pack.filing_temporary_open",
                    "a temporary filing has a validity: {kind}",
                    kind=kind.value,
                )
        return self
