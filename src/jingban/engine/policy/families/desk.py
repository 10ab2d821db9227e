"""The desk family (投诉举报): the answer deadlines of the citizens' desk per category, in working
days, and the reward rule for a confirmed report of fund fraud (举报奖励).

The reward follows 《违法违规使用医疗保障基金举报奖励办法》 (2022): a share of the amount the
report helped to verify, with a floor and a ceiling per report. The deadlines are the region's:
what no source gives is marked ``sample`` in the pack."""

from __future__ import annotations

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
from jingban.engine.policy.meta import Fixed, Keys, Label, Unit


class DeskDeadline(Model):
    """The deadline of one category of complaints or reports: the working days from receipt to
    the answer, and how many working days before it the handler is reminded."""

    label: Annotated[Text, Label("名称", "Name")]
    working_days: Annotated[int, Label("办理时限", "Answer within", Unit.WORKING_DAYS)] = Field(
        ge=1, le=120
    )
    remind_before: Annotated[
        int, Label("提前提醒", "Remind before the deadline", Unit.WORKING_DAYS)
    ] = Field(default=2, ge=0, le=30)


class DeskReward(Model):
    """The reward for a confirmed report: ``ratio`` of the verified amount, at least
    ``minimum`` and at most ``maximum``."""

    ratio: Annotated[
        Ratio, Label("奖励比例（占查实金额）", "Share of the verified amount", Unit.PERCENT)
    ]
    minimum: Annotated[Money, Label("最低奖励", "Minimum reward", Unit.YUAN)]
    maximum: Annotated[Money, Label("最高奖励", "Maximum reward", Unit.YUAN)]

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.maximum < self.minimum:
            raise problem("pack.desk_reward_order", "the maximum reward is below the minimum")
        return self

    def reward_fen(self, verified_fen: int) -> int:
        """The reward in fen for a report that helped verify ``verified_fen``: the share rounded
        half up to the fen, then held between the minimum and the maximum. Nothing verified,
        no reward."""
        if verified_fen <= 0:
            return 0
        share = Fraction(verified_fen) * self.ratio
        fen = int(share + Fraction(1, 2))
        return max(self.minimum, min(self.maximum, fen))


class DeskRules(PackHeader):
    """A pack of the desk family: deadlines per category and the report reward rule of a
    region."""

    KINDS: ClassVar[frozenset[PackKind]] = frozenset({PackKind.PUBLIC})

    family: Annotated[Literal[Family.DESK], Label("险种类别", "Scheme family"), Fixed()] = (
        Family.DESK
    )
    deadlines: Annotated[
        dict[str, DeskDeadline],
        Label("办理时限（按类别）", "Deadlines by category"),
        Keys(entry_zh="类别", entry_en="category"),
    ] = Field(min_length=1)
    default_deadline: Annotated[
        int, Label("其他类别办理时限", "Deadline of other categories", Unit.WORKING_DAYS)
    ] = Field(ge=1, le=120)
    reward: Annotated[DeskReward, Label("举报奖励", "Reward for a confirmed report")]
