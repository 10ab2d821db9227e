"""docs/medical-settlement.md: how a medical claim is settled, generated from the engine.

Every ratio, deductible and cap in the page is read from the shipped policy packs, and every
worked example is settled by ``adjudicate`` while the page is rendered, so the page cannot drift
from the code. Regenerate with ``jingban docs`` or ``python -m jingban.docgen.medical [ROOT]``;
a test fails when the committed page differs from what this module renders.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from jingban.docgen.medical_examples import (
    CONDITION_LABELS,
    LEVEL_LABELS,
    PUBLIC_PACK,
    both,
    render_example,
    short,
    table,
    worked_examples,
)
from jingban.docgen.medical_files import files_section
from jingban.engine.codes import CATEGORY_LABELS, HOSPITAL_LEVELS, Tier, VisitType
from jingban.engine.medical import Claim
from jingban.engine.money import Rounding
from jingban.engine.money import format_ratio as pct
from jingban.engine.money import format_yuan as yuan
from jingban.engine.policy import PackKind, PackRegistry, PolicyPack, shipped_registry
from jingban.engine.policy.schema import Benefit

PAGE = Path("docs/medical-settlement.md")

SAMPLE = "†"

TIER_LABELS = {
    Tier.CORE: ("核心救助对象", "core tier"),
    Tier.LOW_INCOME: ("低收入人口", "low-income tier"),
    Tier.ILLNESS: ("因病致贫重病患者", "impoverished by illness"),
}

ROUNDING_LABELS = {
    Rounding.HALF_UP: ("四舍五入到分", "half up: half a fen and above rounds up"),
    Rounding.HALF_EVEN: ("四舍六入五成双", "half even: a tie goes to the even fen"),
    Rounding.DOWN: ("舍去分以下", "down: the fraction of a fen is dropped"),
}


class _Marks:
    """Looks up whether a figure of a pack is a ``sample`` value, to mark it in the prose."""

    def __init__(self, pack: PolicyPack) -> None:
        self.samples = {figure.path for figure in pack.samples}

    def __call__(self, path: str) -> str:
        return SAMPLE if path in self.samples else ""


def render() -> str:
    """The whole page, from the shipped packs."""
    registry = shipped_registry()
    public = registry.get(PUBLIC_PACK)
    extras = [p for p in registry.all() if p.kind is PackKind.SUPPLEMENTARY]
    lines = _intro(registry)
    lines += _cascade(public)
    lines += _scope(public)
    lines += _basic(public)
    lines += _critical_illness(public)
    lines += _assistance(public)
    lines += _supplementary(extras)
    lines += _out_of_pocket()
    lines += _rules(public)
    lines += files_section()
    lines += _examples(registry)
    return "\n".join(lines).rstrip() + "\n"


def _intro(registry: PackRegistry) -> list[str]:
    lines = [
        "# 医疗费用结算 · How a medical claim is settled",
        "",
        "*Generated from the engine (`src/jingban/engine/medical/`) and the shipped policy packs "
        "by `jingban docs`; do not edit by hand.*",
        "",
        "本页说明一笔医疗费用如何依次经过基本医保、大病保险、医疗救助和补充保险结算。"
        "文中的比例、起付线和限额均取自政策包；每个算例都在生成本页时由结算引擎实际结算，"
        "因此本页与代码不会不一致。",
        "",
        "This page explains how one medical bill is settled through basic insurance, critical "
        "illness insurance, medical assistance and supplementary insurance. The ratios, "
        "deductibles and caps are read from the policy packs, and every worked example is "
        "settled by the engine when the page is generated, so the page cannot drift from the "
        "code. Every number of every pack is listed in [policy-packs.md](policy-packs.md).",
        "",
        f"{SAMPLE} 示例值：没有来源给出的数字，正式使用前须按本地区文件核实。 "
        f"{SAMPLE} Sample value: a figure no seed or cited source gives; verify it against the "
        "region's notice before the pack settles real money.",
        "",
    ]
    rows = []
    for pack in registry.all():
        rules = pack.rules
        kind = "基本 public" if pack.kind is PackKind.PUBLIC else "补充 supplementary"
        rows.append(
            [
                f"`{pack.ref}`",
                both(rules.title.zh, rules.title.en),
                kind,
                f"{rules.effective.start.isoformat()} – {rules.effective.end.isoformat()}",
                f"`{pack.hash[:12]}`",
            ]
        )
    lines += table(
        ["政策包 Pack", "名称 Title", "类型 Kind", "有效期 Effective", "哈希 Hash"], rows
    )
    return [*lines, ""]


def _cascade(public: PolicyPack) -> list[str]:
    return [
        "## 结算顺序 · The cascade",
        "",
        "每一层只处理前面各层留给个人的部分，顺序固定：",
        "",
        "Each layer works only on what the layers before it left to the person, always in this "
        "order:",
        "",
        "1. **费用划分 Scope**: 全自费 (outside the catalogue) → 乙类先行自付 (class B first "
        "payment) → 政策范围内 (within the policy scope).",
        "2. **基本医保 Basic insurance**: 起付线 (deductible, by hospital level; lower for a "
        "repeat admission) → 支付比例 (ratio, by hospital level) → 异地就医调整 (cross-region "
        "adjustment) → 年度限额 (annual caps, from the year-to-date accumulators).",
        "3. **大病保险 Critical illness insurance**: on the year's cumulative qualifying amount, "
        "progressive bands, with relief tilts for relief tiers.",
        "4. **医疗救助 Medical assistance**: by person category, after its annual deductible, "
        "within an annual limit.",
        "5. **补充保险 Supplementary insurance (惠民保)**: each stacked product, after its own "
        "deductible, on the remainders inside and outside the catalogue.",
        "6. **个人负担 Out of pocket**: whatever is left.",
        "",
        f"The public layers (1–4) come from one public pack (here `{public.ref}`); supplementary "
        "packs are stacked on it (`--policy` given more than once). Each result records the id, "
        "version and hash of every pack that made it, and carries explanation lines (layer, "
        "item, base, rule, amount) in Chinese and English, as in the worked examples below.",
        "",
    ]


def _scope(public: PolicyPack) -> list[str]:
    rules = public.rules
    mark = _Marks(public)
    rate = rules.class_b_first_rate
    assert rate is not None
    ci = rules.critical_illness
    counted = ci is not None and ci.include_class_b_first
    mark_b = mark("critical_illness.include_class_b_first")
    return [
        "### 1. 费用划分 · Scope",
        "",
        "- **全自费 Outside the catalogue** (`out_of_scope`): items outside the catalogue and "
        "the part above price limits. No public layer pays it; a supplementary product may.",
        f"- **乙类先行自付 Class B first payment** = 乙类项目 × {pct(rate)}"
        f"{mark('class_b_first_rate')} (class B items × the rate). Inside the catalogue, "
        "but the person's own before basic insurance; critical illness insurance "
        + ("counts it" if counted else "does not count it")
        + f"{mark_b}; a supplementary product pays it with the in-catalogue remainder.",
        "- **政策范围内 Within the policy scope** = 总额 − 全自费 − 乙类先行自付 (total − outside "
        "the catalogue − class B first payment): what basic insurance works on.",
        "",
    ]


def _ratio_cell(benefit: Benefit, visit: str, mark: _Marks) -> str:
    path = f"benefits.{visit}"
    if benefit.lump_sum is not None:
        amount = f"{yuan(benefit.lump_sum)}{mark(path + '.lump_sum')}"
        return both(f"定额 {amount},以政策范围内费用为限", f"lump sum {amount}, at most in scope")
    if benefit.conditions is not None:
        parts = []
        for condition, rule in benefit.conditions.items():
            zh, en = CONDITION_LABELS[condition]
            figure = f"{pct(rule.ratio)}{mark(f'{path}.conditions.{condition.value}.ratio')}"
            parts.append(f"{zh} {en} {figure}")
        return " · ".join(parts)
    if benefit.ratio_by_level is not None:
        return " · ".join(
            f"{level}: {pct(ratio)}{mark(f'{path}.ratio_by_level.{level}')}"
            for level, ratio in sorted(benefit.ratio_by_level.items())
        )
    assert benefit.ratio is not None
    return f"{pct(benefit.ratio)}{mark(path + '.ratio')}"


def _deductible_cell(benefit: Benefit, visit: str, mark: _Marks) -> str:
    deductible = benefit.deductible
    if deductible is None:
        return both("不设", "none")
    path = f"benefits.{visit}.deductible"
    if deductible.basis == "per_year":
        basis = both("每年", "per year") + mark(path + ".basis")
    else:
        basis = both("每次", "per visit") + mark(path + ".basis")
    if deductible.by_level is None:
        assert deductible.amount is not None
        return f"{basis}: {yuan(deductible.amount)}{mark(path + '.amount')}"
    first = " · ".join(
        f"{level}: {yuan(amount)}{mark(f'{path}.by_level.{level}')}"
        for level, amount in sorted(deductible.by_level.items())
    )
    text = f"{basis}: {first}"
    if deductible.repeat_by_level is not None:
        repeat = " · ".join(
            f"{level}: {yuan(amount)}{mark(f'{path}.repeat_by_level.{level}')}"
            for level, amount in sorted(deductible.repeat_by_level.items())
        )
        text += f"<br>本年再次住院 repeat admission: {repeat}"
    return text


def _caps_cell(public: PolicyPack, benefit: Benefit, mark: _Marks) -> str:
    pools = list(benefit.caps)
    pools += [rule.cap for rule in (benefit.conditions or {}).values()]
    if not pools:
        return both("无", "none")
    caps = public.rules.caps
    return "<br>".join(
        f"{caps[pool].label.zh} {yuan(caps[pool].amount)}{mark(f'caps.{pool}.amount')}"
        for pool in pools
    )


def _category_points(public: PolicyPack, mark: _Marks) -> str:
    """The points a benefit adds to its ratio for a person category, as one sentence."""
    parts = []
    for visit, benefit in public.rules.benefits.items():
        for category, points in benefit.category_points.items():
            zh, en = CATEGORY_LABELS.get(category, (category, category))
            flag = mark(f"benefits.{visit.value}.category_points.{category}")
            parts.append(
                f"{benefit.label.zh} {benefit.label.en}: {zh} {en} "
                f"+{pct(points).removesuffix('%')} points{flag}"
            )
    if not parts:
        return ""
    return (
        " A person category may add points to the ratio (人员类别加点, at most 100% in all): "
        + "; ".join(parts)
        + "."
    )


def _basic(public: PolicyPack) -> list[str]:
    rules = public.rules
    mark = _Marks(public)
    rows = []
    for visit, benefit in rules.benefits.items():
        rows.append(
            [
                both(benefit.label.zh, benefit.label.en) + f"<br>`{visit.value}`",
                _deductible_cell(benefit, visit.value, mark),
                _ratio_cell(benefit, visit.value, mark),
                _caps_cell(public, benefit, mark),
            ]
        )
    levels = "; ".join(
        f"{level} = {LEVEL_LABELS[level][0]} {LEVEL_LABELS[level][1]}" for level in HOSPITAL_LEVELS
    )
    lines = [
        "### 2. 基本医保 · Basic insurance",
        "",
        "统筹基金支付 = （政策范围内 − 起付线）× 支付比例，不超过年度限额剩余额度；"
        "分娩按定额支付。",
        "",
        "Paid by the basic fund = (in scope − deductible) × ratio, within the room left under "
        "the annual caps; childbirth is paid a lump sum instead.",
        "",
        f"医院级别 Hospital level: {levels} (level 1 includes unrated primary institutions, "
        "未评级的基层医疗机构).",
        "",
    ]
    lines += table(
        [
            "就诊类型 Visit type",
            "起付线 Deductible",
            "支付比例 Ratio",
            "年度限额 Annual caps",
        ],
        rows,
    )
    lines += [
        "",
        "- **起付线 Deductible**: per visit, or per year (the part met is carried in the "
        "year-to-date accumulators as `deductible:<visit type>`). A deductible given by hospital "
        "level may have a lower figure for a **repeat admission**: the second and later "
        "admissions of the same year (counted as `visits:<visit type>`) use it.",
        "- **支付比例 Ratio**: by hospital level for inpatient stays; one ratio per disease for "
        "the two diseases (两病)." + _category_points(public, mark),
        "- **年度限额 Annual caps**: each benefit draws from one or more cap pools; what a pool "
        "has paid this year is carried as `cap:<pool>`, and a payment larger than the room left "
        "is cut to it (explanation line 超过年度限额 *above the annual cap*).",
        "",
        "**异地就医 Cross-region treatment**: the insured place's ratio × factor − points.",
        "",
    ]
    inpatient = rules.benefits.get(VisitType.INPATIENT)
    top = inpatient.ratio_by_level[3] if inpatient and inpatient.ratio_by_level else None
    region_rows = []
    for code, rule in rules.cross_region.items():
        row = [
            both(rule.label.zh, rule.label.en) + f"<br>`{code.value}`",
            f"{pct(rule.ratio_factor)}{mark(f'cross_region.{code.value}.ratio_factor')}",
            f"{pct(rule.ratio_points_off)}{mark(f'cross_region.{code.value}.ratio_points_off')}",
        ]
        if top is not None:
            row.append(pct(rule.adjust(top)))
        region_rows.append(row)
    header = ["就医情形 Where treated", "系数 Factor", "减点 Points off"]
    if top is not None:
        header.append(f"三级医院住院 Level-3 stay ({pct(top)})")
    lines += table(header, region_rows, align="lrrr")
    return [*lines, ""]


def _critical_illness(public: PolicyPack) -> list[str]:
    rules = public.rules
    ci = rules.critical_illness
    if ci is None:
        return []
    mark = _Marks(public)
    visits = "、".join(
        rules.benefits[v].label.zh if v in rules.benefits else v.value for v in ci.visit_types
    )
    lines = [
        f"### 3. 大病保险 · {ci.label.en}",
        "",
        f"{ci.label.zh}适用于：{visits}。合规费用 (qualifying amount) = 基本医保后的政策范围内"
        "个人负担（起付线、按比例自付和超限额部分"
        + ("，含乙类先行自付" if ci.include_class_b_first else "，不含乙类先行自付")
        + f"{mark('critical_illness.include_class_b_first')}）。",
        "",
        "The qualifying amount of a claim is the in-scope amount basic insurance left to the "
        "person (deductible, co-insurance, the part above a cap"
        + (", with" if ci.include_class_b_first else ", without")
        + " the class B first payment). It is added to the year's cumulative amount "
        "(`ci:qualifying`); the bands apply progressively to the cumulative amount, and a claim "
        "is paid the band total after it less the band total before it (each rounded to the "
        "fen). Several claims in a year are therefore paid exactly what one claim of their summed "
        "amount would be.",
        "",
    ]
    rows = []
    for index, band in enumerate(ci.bands):
        top = (
            f"{yuan(band.up_to)}{mark(f'critical_illness.bands.{index}.up_to')}"
            if band.up_to is not None
            else both("以上", "and above")
        )
        rows.append(
            [
                f"{yuan(band.above)}{mark(f'critical_illness.bands.{index}.above')}",
                top,
                f"{pct(band.ratio)}{mark(f'critical_illness.bands.{index}.ratio')}",
            ]
        )
    lines += table(["累计超过 Cumulative above", "至 Up to", "支付比例 Ratio"], rows, "rrr")
    cap = (
        f"{yuan(ci.annual_cap)}{mark('critical_illness.annual_cap')}"
        if ci.annual_cap is not None
        else "不设 none"
    )
    lines += [
        "",
        f"年度限额 Annual cap: {cap} (`ci:paid` carries what was paid this year).",
        "",
        "**救助对象倾斜 Relief tilts** (国办发〔2021〕42号): "
        + (
            "已启用 enabled (`relief_tilts_enabled: true`)."
            if ci.relief_tilts_enabled
            else "未启用 disabled (`relief_tilts_enabled: false`)."
        ),
        "",
    ]
    first = ci.bands[0].above
    tilt_rows = []
    for tier, tilt in ci.relief_tilts.items():
        members = [CATEGORY_LABELS[c][0] for c, t in rules.person_categories.items() if t is tier]
        path = f"critical_illness.relief_tilts.{tier.value}"
        tilt_rows.append(
            [
                both(*TIER_LABELS[tier]) + f"<br>{'、'.join(members)}",
                f"{yuan(int(first * tilt.threshold_factor))} "
                f"(× {pct(tilt.threshold_factor)}{mark(path + '.threshold_factor')})",
                f"+{pct(tilt.ratio_points)}{mark(path + '.ratio_points')}",
                both("不封顶", "no cap") if tilt.uncapped else cap,
            ]
        )
    lines += table(
        ["救助层级 Tier", "起付线 Threshold", "比例 Ratio", "年度限额 Cap"], tilt_rows, "lrrl"
    )
    return [*lines, ""]


def _assistance(public: PolicyPack) -> list[str]:
    rules = public.rules
    ma = rules.medical_assistance
    if ma is None:
        return []
    mark = _Marks(public)
    income = f"{yuan(ma.reference_income)}{mark('medical_assistance.reference_income')}"
    visits = "、".join(
        rules.benefits[v].label.zh if v in rules.benefits else v.value for v in ma.visit_types
    )
    lines = [
        f"### 4. 医疗救助 · {ma.label.en}",
        "",
        f"适用于：{visits}。救助对象在大病保险之后，就政策范围内仍由个人负担的部分，"
        "先扣除年度救助起付线，再按比例支付，不超过年度救助限额。",
        "",
        "For a relief person category: on the in-scope amount still left to the person after "
        "critical illness insurance, less the year's assistance deductible (carried as "
        "`assistance:deductible`), at the category's ratio, within its annual limit "
        f"(`assistance:paid`). Deductibles given as a share use last year's per-capita "
        f"disposable income, {income}.",
        "",
    ]
    rows = []
    for category, rule in ma.categories.items():
        path = f"medical_assistance.categories.{category}"
        tier = rules.person_categories.get(category)
        if rule.deductible_share is not None:
            share = f"{pct(rule.deductible_share)}{mark(path + '.deductible_share')}"
            deductible = f"{share} × {income} = {yuan(ma.deductible_of(rule, rules.rounding))}"
        else:
            deductible = (
                f"{yuan(ma.deductible_of(rule, rules.rounding))}{mark(path + '.deductible')}"
            )
        rows.append(
            [
                both(*CATEGORY_LABELS[category]) + f"<br>`{category}`",
                both(*TIER_LABELS[tier]) if tier is not None else "",
                deductible,
                f"{pct(rule.ratio)}{mark(path + '.ratio')}",
                f"{yuan(rule.annual_limit)}{mark(path + '.annual_limit')}",
            ]
        )
    lines += table(
        [
            "人员类别 Category",
            "层级 Tier",
            "起付线 Deductible",
            "比例 Ratio",
            "年度限额 Limit",
        ],
        rows,
        "llrrr",
    )
    return [*lines, ""]


def _supplementary(extras: Sequence[PolicyPack]) -> list[str]:
    lines = [
        "### 5. 补充保险 · Supplementary insurance (惠民保)",
        "",
        "补充保险在公共各层之后结算：目录内剩余（政策范围内个人负担 + 乙类先行自付）和目录外"
        "（全自费）剩余，先扣产品的年度免赔额（先抵目录内），再分别按比例支付，各有年度限额。",
        "",
        "A supplementary product settles after the public layers: the remainder inside the "
        "catalogue (in-scope amount left + class B first payment) and the remainder outside it "
        "(全自费), less the product's annual deductible (inside the catalogue first), each at "
        "its ratio within its annual limit (`supplementary:<pack>:…`).",
        "",
    ]
    for pack in extras:
        product = pack.rules.supplementary
        assert product is not None
        mark = _Marks(pack)
        visits = ", ".join(v.value for v in product.visit_types)
        rows = [
            [both("保费", "Premium"), f"{yuan(product.premium)}{mark('supplementary.premium')}"],
            [
                both("保障就诊", "Visits covered"),
                f"`{visits}`{mark('supplementary.visit_types')}",
            ],
            [
                both("年度免赔额", "Annual deductible"),
                f"{yuan(product.deductible)}{mark('supplementary.deductible')}",
            ],
        ]
        for part, zh, en in (
            ("in_catalogue", "目录内", "inside the catalogue"),
            ("out_of_catalogue", "目录外", "outside the catalogue"),
        ):
            rule = product.in_catalogue if part == "in_catalogue" else product.out_of_catalogue
            rows.append(
                [
                    both(zh, en),
                    f"{pct(rule.ratio)}{mark(f'supplementary.{part}.ratio')}, "
                    f"{both('年度限额', 'annual limit')} "
                    f"{yuan(rule.annual_limit)}{mark(f'supplementary.{part}.annual_limit')}",
                ]
            )
        lines += [f"{product.label.zh} · {product.label.en} {short(pack)}", ""]
        lines += table(["项目 Item", "规则 Rule"], rows)
        lines += [""]
    return lines


def _out_of_pocket() -> list[str]:
    return [
        "### 6. 个人负担 · Out of pocket",
        "",
        "个人负担 = 剩余全自费 + 剩余乙类先行自付 + 剩余政策范围内个人负担。",
        "",
        "Out of pocket = what is left of the out-of-catalogue amount + of the class B first "
        "payment + of the in-scope amount.",
        "",
    ]


def _rules(public: PolicyPack) -> list[str]:
    rounding = public.rules.rounding
    zh, en = ROUNDING_LABELS[rounding]
    mark = _Marks(public)("rounding")
    start = public.rules.effective.start
    late = Claim(
        claim_id="year",
        person_id="x",
        visit_type=VisitType.INPATIENT,
        hospital_level=3,
        service_date=start.replace(year=start.year - 1, month=12, day=28),
        total=0,
        discharge_date=start.replace(day=6),
    )
    return [
        "## 守恒 · Conservation",
        "",
        "每笔结算：基本医保 + 大病保险 + 医疗救助 + 补充保险 + 个人负担 = 费用总额，精确到分；"
        "标为支付的说明行（算例中加粗的金额）之和也等于总额。",
        "",
        "On every result, basic fund + critical illness + medical assistance + supplementary + "
        "out of pocket = the total, to the fen, and the amounts of the payment lines (bold in the "
        "examples) add up to the total. The engine checks it on each claim; property tests "
        "(`tests/engine/test_properties.py`) check it, with the caps and limits, on generated "
        "claims and sequences of claims.",
        "",
        "## 结算年度 · The claim year",
        "",
        "一笔费用属于其出院日期所在年度（无出院日期时为就诊日期）；适用该日有效的政策包，"
        "并计入该参保人该年度的年度累计。",
        "",
        "A claim belongs to the year of its discharge date (its service date when it has no "
        f"discharge date), is settled by the pack in force that day, and counts towards that "
        f"person-year's accumulators. A stay from {late.service_date.isoformat()} to "
        f"{late.discharge_date.isoformat() if late.discharge_date else ''} belongs to "
        f"{late.year} and is settled by `{public.ref}` (in force "
        f"{public.rules.effective.start.isoformat()} – {public.rules.effective.end.isoformat()}).",
        "",
        "## 年度累计 · Year-to-date accumulators",
        "",
        "引擎不保存状态：每笔结算接收该参保人本年度此前的累计值，返回结算后的累计值。",
        "",
        "The engine keeps no state: each claim is settled against the person's accumulators for "
        "the year so far, and the result carries the accumulators after it. `cap:<pool>` (paid "
        "from each cap pool), `deductible:<visit type>` (an annual deductible met), "
        "`visits:<visit type>` (admissions, for the repeat-admission deductible), "
        "`ci:qualifying` and `ci:paid` (critical illness), `assistance:deductible` and "
        "`assistance:paid`, `supplementary:<pack>:deductible|in_catalogue|out_of_catalogue`. A "
        "batch settles each person-year's claims in date order, carrying them (the order is "
        "stated under [Files](#files)).",
        "",
        "## 舍入 · Rounding",
        "",
        f"`{public.ref}`: {zh}{mark} ({en}).",
        "",
        "只有金额乘以比例时才舍入到分（乙类先行自付、统筹基金、医疗救助、补充保险）；"
        "大病保险按本年累计额分别计算结算前后的分段总额并各自舍入，支付其差额，"
        "因此一年中的费用无论分几笔结算，都不会多付或少付一分。",
        "",
        "Rounding happens only where an amount is multiplied by a ratio: the class B first "
        "payment, the basic fund, medical assistance and the supplementary parts, each rounded to "
        "the fen by the pack's rule. Critical illness rounds the band total on the cumulative "
        "amount before and after the claim, and pays the difference, so no fen is lost or gained "
        "by splitting a year's bills. An assistance deductible given as a share of income is "
        "rounded to the fen by the same rule.",
        "",
    ]


def _examples(registry: PackRegistry) -> list[str]:
    examples = worked_examples(registry)
    lines = [
        "## 算例 · Worked examples",
        "",
        "以下算例在生成本页时由引擎结算，表格即结算结果的说明行；加粗金额为各层支付，合计等于总额。",
        "",
        "Settled by the engine when this page is generated; each table is the result's "
        "explanation lines (layer, item, base, rule, amount). Bold amounts are the payments; "
        "they add up to the total.",
        "",
    ]
    lines += [
        f"{number}. [{example.title_zh} · {example.title_en}](#example-{example.key})"
        for number, example in enumerate(examples, start=1)
    ]
    lines.append("")
    for number, example in enumerate(examples, start=1):
        lines += render_example(number, example)
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    """Rewrite the page under the repository root given (the current directory by default)."""
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args[0]) if args else Path.cwd()
    (root / PAGE).write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
