"""Explanation of benefits (EOB): one line per step of the cascade, in Chinese and English.

A line says which layer (``scope``, ``basic``, ``critical_illness``, ``medical_assistance``,
``supplementary``, ``out_of_pocket``), what it is (a stable code), the base it applied to, the rule
in words with the pack's figures, and the amount. Lines flagged ``payment`` are the money: their
amounts add up to the claim's total.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jingban.engine.codes import CATEGORY_LABELS
from jingban.engine.medical.claim import Claim
from jingban.engine.money import format_ratio as pct
from jingban.engine.money import format_yuan as yuan
from jingban.engine.policy.schema import (
    AssistanceRule,
    Benefit,
    CapPool,
    CriticalIllness,
    ReliefTilt,
    Supplementary,
    Text,
)

LAYERS = (
    "scope",
    "basic",
    "critical_illness",
    "medical_assistance",
    "supplementary",
    "out_of_pocket",
)

LAYER_LABELS = {
    "scope": ("费用划分", "Scope"),
    "basic": ("基本医保", "Basic insurance"),
    "critical_illness": ("大病保险", "Critical illness insurance"),
    "medical_assistance": ("医疗救助", "Medical assistance"),
    "supplementary": ("补充保险", "Supplementary insurance"),
    "out_of_pocket": ("个人负担", "Out of pocket"),
}


@dataclass(frozen=True, slots=True)
class Texts:
    """The label and the rule of a line, in both languages. The rule is written out only when
    asked for: a batch that keeps the figures alone never pays for the sentences."""

    label_zh: str
    label_en: str
    builder: Callable[..., tuple[str, str]] | None = None
    args: tuple[Any, ...] = ()

    @property
    def rule_zh(self) -> str:
        return self.builder(*self.args)[0] if self.builder else ""

    @property
    def rule_en(self) -> str:
        return self.builder(*self.args)[1] if self.builder else ""

    def label(self, language: str) -> str:
        return self.label_en if language.startswith("en") else self.label_zh

    def rule(self, language: str) -> str:
        return self.rule_en if language.startswith("en") else self.rule_zh

    # Scope -------------------------------------------------------------------------------
    @classmethod
    def total(cls) -> Texts:
        return cls("医疗费用总额", "Total of the bill")

    @classmethod
    def out_of_scope(cls) -> Texts:
        return cls("全自费", "Outside the catalogue", _out_of_scope, ())

    @classmethod
    def class_b_first(cls, rate: Fraction) -> Texts:
        return cls("乙类先行自付", "Class B first payment", _class_b_first, (rate,))

    @classmethod
    def class_b_first_by_item(cls) -> Texts:
        return cls("乙类先行自付", "Class B first payment", _class_b_first_by_item, ())

    @classmethod
    def in_scope(cls) -> Texts:
        return cls("政策范围内费用", "Within the policy scope", _in_scope, ())

    # Basic insurance ---------------------------------------------------------------------
    @classmethod
    def deductible_visit(cls, full: int, level: int, benefit: Benefit, repeat: bool) -> Texts:
        return cls("起付线", "Deductible", _deductible_visit, (full, level, benefit, repeat))

    @classmethod
    def deductible_yearly(cls, full: int, met: int) -> Texts:
        return cls("起付线", "Deductible", _deductible_yearly, (full, met))

    @classmethod
    def lump_sum(cls, amount: int) -> Texts:
        return cls("统筹基金支付", "Paid by the basic fund", _lump_sum, (amount,))

    @classmethod
    def ratio(
        cls, benefit: Benefit, ratio: Fraction, adjusted: Fraction, claim: Claim, where: Text
    ) -> Texts:
        return cls(
            "统筹基金支付",
            "Paid by the basic fund",
            _ratio,
            (benefit, ratio, adjusted, claim, where),
        )

    @classmethod
    def over_cap(cls, pool: CapPool, used: int) -> Texts:
        return cls("超过年度限额", "Above the annual cap", _over_cap, (pool, used))

    @classmethod
    def basic_self_paid(cls) -> Texts:
        return cls("政策范围内个人负担", "In-scope amount left to the person", _basic_self_paid, ())

    # Critical illness --------------------------------------------------------------------
    @classmethod
    def ci_qualifying(cls, ci: CriticalIllness, before: int) -> Texts:
        return cls("大病保险合规费用", "Qualifying amount", _ci_qualifying, (ci, before))

    @classmethod
    def ci_paid(
        cls, ci: CriticalIllness, tilt: ReliefTilt | None, tier: str | None, before: int, after: int
    ) -> Texts:
        return cls(
            "大病保险支付",
            "Paid by critical illness insurance",
            _ci_paid,
            (ci, tilt, tier, before, after),
        )

    @classmethod
    def ci_over_cap(cls, cap: int, used: int) -> Texts:
        return cls(
            "超过大病保险年度限额", "Above the critical illness cap", _ci_over_cap, (cap, used)
        )

    # Medical assistance ------------------------------------------------------------------
    @classmethod
    def assistance_deductible(cls, full: int, met: int, rule: AssistanceRule) -> Texts:
        return cls("救助起付线", "Assistance deductible", _assistance_deductible, (full, met, rule))

    @classmethod
    def assistance_over_limit(cls, limit: int, used: int) -> Texts:
        return cls(
            "超过救助年度限额", "Above the assistance limit", _assistance_over_limit, (limit, used)
        )

    @classmethod
    def assistance_paid(cls, category: str, ratio: Fraction) -> Texts:
        return cls(
            "医疗救助支付", "Paid by medical assistance", _assistance_paid, (category, ratio)
        )

    # Supplementary -----------------------------------------------------------------------
    @classmethod
    def supplementary_not_covered(cls, product: Supplementary) -> Texts:
        return cls(product.label.zh, product.label.en, _supplementary_not_covered, (product,))

    @classmethod
    def supplementary_deductible(cls, product: Supplementary, met: int) -> Texts:
        return cls(
            f"{product.label.zh}免赔额",
            f"{product.label.en} deductible",
            _supplementary_deductible,
            (product, met),
        )

    @classmethod
    def supplementary_part(
        cls, product: Supplementary, part: str, ratio: Fraction, limit: int
    ) -> Texts:
        inside = part == "in_catalogue"
        return cls(
            f"{product.label.zh}{'目录内' if inside else '目录外'}",
            f"{product.label.en}, {'inside' if inside else 'outside'} the catalogue",
            _supplementary_part,
            (product, part, ratio, limit),
        )

    # Out of pocket -----------------------------------------------------------------------
    @classmethod
    def out_of_pocket(cls, outside: int, class_b_first: int, in_scope: int) -> Texts:
        return cls("个人负担", "Out of pocket", _out_of_pocket, (outside, class_b_first, in_scope))


def _out_of_scope() -> tuple[str, str]:
    return (
        "目录外项目及超限价部分，个人自付",
        "items outside the catalogue and above price limits, paid by the person",
    )


def _class_b_first(rate: Fraction) -> tuple[str, str]:
    return (
        f"乙类项目 × {pct(rate)}",
        f"class B items × {pct(rate)}",
    )


def _class_b_first_by_item() -> tuple[str, str]:
    return (
        "乙类项目逐项按目录先行自付比例",
        "class B items, each at its first-payment rate in the catalogue",
    )


def _in_scope() -> tuple[str, str]:
    return (
        "总额 − 全自费 − 乙类先行自付",
        "total − outside the catalogue − class B first payment",
    )


def _deductible_visit(full: int, level: int, benefit: Benefit, repeat: bool) -> tuple[str, str]:
    deductible = benefit.deductible
    by_level = deductible is not None and deductible.by_level is not None
    zh = f"{level}级医院起付线 {yuan(full)}" if by_level else f"起付线 {yuan(full)}"
    en = f"level-{level} deductible {yuan(full)}" if by_level else f"deductible {yuan(full)}"
    if deductible is not None and deductible.repeat_by_level is not None:
        zh += "（本年再次住院）" if repeat else "（本年首次住院）"
        en += " (a repeat admission this year)" if repeat else " (first admission this year)"
    return (
        zh,
        en,
    )


def _deductible_yearly(full: int, met: int) -> tuple[str, str]:
    return (
        f"年度起付线 {yuan(full)}，本年此前已计 {yuan(met)}",
        f"annual deductible {yuan(full)}, {yuan(met)} met earlier this year",
    )


def _lump_sum(amount: int) -> tuple[str, str]:
    return (
        f"定额支付 {yuan(amount)}，以政策范围内费用为限",
        f"lump sum {yuan(amount)}, at most the in-scope amount",
    )


def _ratio(
    benefit: Benefit, base: Fraction, final: Fraction, claim: Claim, where: Text
) -> tuple[str, str]:
    """``base`` is the ratio of the level (or the benefit); ``final`` what was applied after the
    person category's points and the cross-region adjustment."""
    zh = f"{benefit.label.zh}：（政策范围内 − 起付线）× {pct(final)}"
    en = f"{benefit.label.en}: (in scope − deductible) × {pct(final)}"
    notes_zh: list[str] = []
    notes_en: list[str] = []
    if benefit.ratio_by_level is not None:
        notes_zh.append(
            f"{claim.hospital_level}级医院" + (f" {pct(base)}" if final != base else "")
        )
        notes_en.append(
            f"level {claim.hospital_level}" + (f" {pct(base)}" if final != base else "")
        )
    elif final != base:
        notes_zh.append(f"比例 {pct(base)}")
        notes_en.append(f"ratio {pct(base)}")
    points = benefit.category_points.get(claim.person_category)
    if points:
        zh_name, en_name = CATEGORY_LABELS.get(claim.person_category, (claim.person_category,) * 2)
        number = pct(points).removesuffix("%")
        notes_zh.append(f"{zh_name}加 {number} 个百分点")
        notes_en.append(f"{en_name} +{number} points")
    if final != min(base + (points or 0), Fraction(1)):
        notes_zh.append(f"{where.zh}调整")
        notes_en.append(f"{where.en}: adjusted")
    if notes_zh:
        zh += "（" + "，".join(notes_zh) + "）"
        en += " (" + ", ".join(notes_en) + ")"
    return zh, en


def _over_cap(pool: CapPool, used: int) -> tuple[str, str]:
    return (
        f"{pool.label.zh} {yuan(pool.amount)}，本年此前已支付 {yuan(used)}",
        f"{pool.label.en} {yuan(pool.amount)}, {yuan(used)} paid earlier this year",
    )


def _basic_self_paid() -> tuple[str, str]:
    return (
        "起付线 + 按比例自付 + 超限额部分",
        "deductible + co-insurance + any part above a cap",
    )


def _ci_qualifying(ci: CriticalIllness, before: int) -> tuple[str, str]:
    zh = "政策范围内个人负担" + ("（含乙类先行自付）" if ci.include_class_b_first else "")
    en = "in-scope amount left to the person" + (
        " (with class B first payment)" if ci.include_class_b_first else ""
    )
    return (
        f"{zh}；本年此前累计 {yuan(before)}",
        f"{en}; {yuan(before)} accumulated earlier this year",
    )


def _ci_paid(
    ci: CriticalIllness, tilt: ReliefTilt | None, tier: str | None, before: int, after: int
) -> tuple[str, str]:
    parts_zh, parts_en = [], []
    for index, band in enumerate(ci.bands):
        low = band.above
        if index == 0 and tilt is not None:
            low = int(low * tilt.threshold_factor)
        ratio = min(band.ratio + (tilt.ratio_points if tilt else 0), Fraction(1))
        top = yuan(band.up_to) if band.up_to is not None else ""
        parts_zh.append(f"{yuan(low)}–{top or '以上'} {pct(ratio)}")
        parts_en.append(f"{yuan(low)}–{top or 'above'} {pct(ratio)}")
    zh = f"累计 {yuan(before)} → {yuan(after)}，分段：" + "；".join(parts_zh)
    en = f"cumulative {yuan(before)} → {yuan(after)}, bands: " + "; ".join(parts_en)
    if tilt is not None:
        zh += "（救助对象倾斜支付" + ("，不设封顶线）" if tilt.uncapped else "）")
        en += " (relief tilt" + (", no cap)" if tilt.uncapped else ")")
    return (
        zh,
        en,
    )


def _ci_over_cap(cap: int, used: int) -> tuple[str, str]:
    return (
        f"年度限额 {yuan(cap)}，本年此前已支付 {yuan(used)}",
        f"annual cap {yuan(cap)}, {yuan(used)} paid earlier this year",
    )


def _assistance_deductible(full: int, met: int, rule: AssistanceRule) -> tuple[str, str]:
    how_zh = (
        f"上年人均可支配收入 × {pct(rule.deductible_share)}"
        if rule.deductible_share is not None
        else "定额"
    )
    how_en = (
        f"{pct(rule.deductible_share)} of last year's per-capita disposable income"
        if rule.deductible_share is not None
        else "a fixed amount"
    )
    return (
        f"年度起付线 {yuan(full)}（{how_zh}），本年此前已计 {yuan(met)}",
        f"annual deductible {yuan(full)} ({how_en}), {yuan(met)} met earlier this year",
    )


def _assistance_over_limit(limit: int, used: int) -> tuple[str, str]:
    return (
        f"年度限额 {yuan(limit)}，本年此前已救助 {yuan(used)}",
        f"annual limit {yuan(limit)}, {yuan(used)} paid earlier this year",
    )


def _assistance_paid(category: str, ratio: Fraction) -> tuple[str, str]:
    zh, en = CATEGORY_LABELS.get(category, (category, category))
    return (
        f"{zh}：（政策范围内个人负担 − 救助起付线）× {pct(ratio)}",
        f"{en}: (in-scope amount left − deductible) × {pct(ratio)}",
    )


def _supplementary_not_covered(product: Supplementary) -> tuple[str, str]:
    return (
        "该产品不保障此类就诊",
        "the product does not cover this kind of visit",
    )


def _supplementary_deductible(product: Supplementary, met: int) -> tuple[str, str]:
    return (
        f"年度免赔额 {yuan(product.deductible)}，本年此前已计 {yuan(met)}，先抵目录内",
        f"annual deductible {yuan(product.deductible)}, {yuan(met)} met earlier this year, "
        "inside the catalogue first",
    )


def _supplementary_part(
    product: Supplementary, part: str, ratio: Fraction, limit: int
) -> tuple[str, str]:
    inside = part == "in_catalogue"
    return (
        f"{'目录内' if inside else '目录外'}剩余个人负担 × {pct(ratio)}，年度限额 {yuan(limit)}",
        f"remainder {'inside' if inside else 'outside'} the catalogue × {pct(ratio)}, "
        f"annual limit {yuan(limit)}",
    )


def _out_of_pocket(outside: int, class_b_first: int, in_scope: int) -> tuple[str, str]:
    return (
        f"全自费 {yuan(outside)} + 乙类先行自付 {yuan(class_b_first)} + "
        f"政策范围内 {yuan(in_scope)}",
        f"outside the catalogue {yuan(outside)} + class B first payment "
        f"{yuan(class_b_first)} + in scope {yuan(in_scope)}",
    )


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the explanation of benefits."""

    layer: str
    code: str
    texts: Texts
    base: int | None
    amount: int
    payment: bool = False
