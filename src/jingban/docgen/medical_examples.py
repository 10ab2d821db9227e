"""The worked examples of docs/medical-settlement.md: claims settled by the engine when the page
is rendered, one or more per layer of the cascade, printed as their explanation lines."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from jingban.engine.codes import CATEGORY_LABELS, Condition, CrossRegion, VisitType
from jingban.engine.medical import (
    LAYER_LABELS,
    Adjudication,
    Claim,
    Line,
    YearToDate,
    adjudicate,
)
from jingban.engine.money import format_ratio as pct
from jingban.engine.money import format_yuan as yuan
from jingban.engine.policy import PackRegistry, PolicyPack, load_pack_text

PUBLIC_PACK = "sample-resident-2025"
SUPPLEMENTARY_PACK = "jiangsu-yihuibao-2021"
YEAR = 2025

CONDITION_LABELS = {
    Condition.HYPERTENSION: ("高血压", "hypertension"),
    Condition.DIABETES: ("糖尿病", "diabetes"),
}


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def both(zh: str, en: str) -> str:
    """A table cell in Chinese with the English under it."""
    return f"{cell(zh)}<br>{cell(en)}" if en and en != zh else cell(zh)


def table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> list[str]:
    """A Markdown table; ``align`` gives one of ``l``/``r`` per column (left by default)."""
    marks = ["---:" if (align[i : i + 1] == "r") else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def short(pack: PolicyPack) -> str:
    """``id@version`` with the first 12 hex digits of the content hash."""
    return f"`{pack.ref}` (`{pack.hash[:12]}`)"


def variant(pack: PolicyPack, change: Callable[[dict[str, Any]], None], what: str) -> PolicyPack:
    """The pack with ``change`` made to its YAML document, loaded (and hashed) like any pack."""
    data = yaml.safe_load(pack.text)
    change(data)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return load_pack_text(text, source=f"{pack.id} ({what})")


def _without_tilts(data: dict[str, Any]) -> None:
    data["critical_illness"]["relief_tilts_enabled"] = False


@dataclass(frozen=True)
class WorkedExample:
    """One worked example: what it shows, the claims in order, what each was settled to."""

    key: str
    title_zh: str
    title_en: str
    intro_zh: str
    intro_en: str
    packs: tuple[PolicyPack, ...]
    results: tuple[Adjudication, ...]
    variant: str = ""


def settle(
    claims: Sequence[Claim],
    packs: Sequence[PolicyPack],
    earlier: dict[str, dict[str, int]] | None = None,
) -> tuple[Adjudication, ...]:
    """Settle the claims in order, carrying each person's accumulators from one to the next;
    ``earlier`` gives a person's counters from before the first claim."""
    ytd: dict[str, YearToDate] = {
        person: YearToDate(person, YEAR, counters) for person, counters in (earlier or {}).items()
    }
    results = []
    for claim in claims:
        result = adjudicate(claim, packs, ytd.get(claim.person_id))
        ytd[claim.person_id] = result.after
        results.append(result)
    return tuple(results)


def _claim(
    claim_id: str,
    visit: VisitType,
    total: int,
    *,
    person: str = "甲",
    level: int = 3,
    out_of_scope: int = 0,
    class_b: int = 0,
    admitted: dt.date = dt.date(YEAR, 3, 2),
    discharged: dt.date | None = None,
    condition: Condition | None = None,
    category: str = "general",
    cross_region: CrossRegion = CrossRegion.LOCAL,
) -> Claim:
    """A claim with amounts in yuan (the examples are written as operators read them)."""
    return Claim(
        claim_id=claim_id,
        person_id=person,
        visit_type=visit,
        hospital_level=level,
        service_date=admitted,
        total=total * 100,
        out_of_scope=out_of_scope * 100,
        class_b=class_b * 100,
        discharge_date=discharged,
        condition=condition,
        person_category=category,
        cross_region=cross_region,
    )


def worked_examples(registry: PackRegistry) -> list[WorkedExample]:
    """Every worked example of the page, settled now by the engine."""
    public = registry.get(PUBLIC_PACK)
    extra = registry.get(SUPPLEMENTARY_PACK)
    return [
        _inpatient(public),
        _outpatient_pooling(public),
        _two_diseases(public),
        _accident(public),
        _maternity(public),
        _cross_region(public),
        _critical_illness(public),
        _relief(public),
        _stacked(public, extra),
    ]


def _inpatient(public: PolicyPack) -> WorkedExample:
    pack = variant(public, _without_tilts, "relief tilts disabled")
    ma = pack.medical.medical_assistance
    assert ma is not None
    category = "dibao"
    deductible = ma.deductible_of(ma.categories[category], pack.rules.rounding)
    claim = _claim(
        "A-1",
        VisitType.INPATIENT,
        60_000,
        out_of_scope=5_000,
        class_b=20_000,
        discharged=dt.date(YEAR, 3, 14),
        category=category,
    )
    results = settle([claim], [pack], {"甲": {"assistance:deductible": deductible}})
    return WorkedExample(
        key="inpatient",
        title_zh="住院：medical.md 的算例",
        title_en="Inpatient stay: the worked example of medical.md",
        intro_zh=(
            "三级医院住院，低保对象。与 medical.md 的算例一致：关闭救助对象倾斜，"
            f"且本年此前已计满医疗救助起付线（{yuan(deductible)}）。"
        ),
        intro_en=(
            "A level-3 hospital stay of a 低保 (minimum living allowance) person, as in "
            "medical.md: relief tilts disabled, and the assistance deductible "
            f"({yuan(deductible)}) already met earlier in the year."
        ),
        packs=(pack,),
        results=results,
        variant="变体 variant: `relief_tilts_enabled: false`",
    )


def _outpatient_pooling(public: PolicyPack) -> WorkedExample:
    claim = _claim("B-1", VisitType.OUTPATIENT_GENERAL, 400, level=1)
    return WorkedExample(
        key="outpatient-pooling",
        title_zh="普通门诊统筹：年度限额",
        title_en="Outpatient pooling: the annual cap",
        intro_zh="一级医疗机构门诊，本年第一次。按比例应付超过年度限额，超出部分由个人负担。",
        intro_en=(
            "A first outpatient visit of the year at a primary institution. The share due is "
            "more than the annual cap; the part above it stays with the person."
        ),
        packs=(public,),
        results=settle([claim], [public]),
    )


def _two_diseases(public: PolicyPack) -> WorkedExample:
    hypertension = _claim(
        "C-1",
        VisitType.OUTPATIENT_TWO_DISEASES,
        600,
        person="乙",
        level=1,
        condition=Condition.HYPERTENSION,
    )
    diabetes = _claim(
        "C-2",
        VisitType.OUTPATIENT_TWO_DISEASES,
        600,
        person="丙",
        level=1,
        condition=Condition.DIABETES,
    )
    return WorkedExample(
        key="two-diseases",
        title_zh="门诊“两病”：高血压与糖尿病",
        title_en="Two diseases: hypertension and diabetes",
        intro_zh="两人各有一笔相同的门诊用药费用：高血压患者触及其年度限额，糖尿病患者未触及。",
        intro_en=(
            "Two people with the same outpatient drug bill: the hypertension patient reaches "
            "that disease's annual cap, the diabetes patient does not."
        ),
        packs=(public,),
        results=settle([hypertension, diabetes], [public]),
    )


def _accident(public: PolicyPack) -> WorkedExample:
    small = _claim("D-1", VisitType.ACCIDENT_OUTPATIENT, 1_000, person="丁", level=2)
    large = _claim("D-2", VisitType.ACCIDENT_OUTPATIENT, 3_000, person="戊", level=2)
    return WorkedExample(
        key="accident",
        title_zh="意外伤害门（急）诊",
        title_en="Accident outpatient care",
        intro_zh="两人各一次意外伤害门诊：起付线以上按比例支付，第二笔触及年度限额。",
        intro_en=(
            "Two people, one accident outpatient visit each: the part above the deductible is "
            "paid at the ratio, and the second bill reaches the annual cap."
        ),
        packs=(public,),
        results=settle([small, large], [public]),
    )


def _maternity(public: PolicyPack) -> WorkedExample:
    claim = _claim(
        "E-1",
        VisitType.MATERNITY_NATURAL,
        3_200,
        person="己",
        level=2,
        discharged=dt.date(YEAR, 3, 5),
    )
    return WorkedExample(
        key="maternity",
        title_zh="住院分娩：定额支付",
        title_en="Childbirth: the lump sum",
        intro_zh="顺产住院：基本医保按定额支付（以政策范围内费用为限），不设起付线，不按比例。",
        intro_en=(
            "A natural birth: basic insurance pays a lump sum (at most the in-scope amount), "
            "with no deductible and no ratio."
        ),
        packs=(public,),
        results=settle([claim], [public]),
    )


def _cross_region(public: PolicyPack) -> WorkedExample:
    claim = _claim(
        "F-1",
        VisitType.INPATIENT,
        30_000,
        person="庚",
        discharged=dt.date(YEAR, 3, 12),
        cross_region=CrossRegion.FILED_TEMPORARY,
    )
    rule = public.medical.cross_region[CrossRegion.FILED_TEMPORARY]
    return WorkedExample(
        key="cross-region",
        title_zh="异地就医：其他临时外出（已备案）",
        title_en="Treatment elsewhere: other temporary treatment, filed",
        intro_zh=(
            f"已备案的临时外出人员在异地三级医院住院：住院比例 × {pct(rule.ratio_factor)}"
            + (f" − {pct(rule.ratio_points_off)}" if rule.ratio_points_off else "")
            + "。"
        ),
        intro_en=(
            "A filed temporary stay at a level-3 hospital elsewhere: the inpatient ratio × "
            f"{pct(rule.ratio_factor)}"
            + (f" − {pct(rule.ratio_points_off)}" if rule.ratio_points_off else "")
            + "."
        ),
        packs=(public,),
        results=settle([claim], [public]),
    )


def _critical_illness(public: PolicyPack) -> WorkedExample:
    first = _claim(
        "G-1", VisitType.INPATIENT, 550_000, person="辛", discharged=dt.date(YEAR, 4, 30)
    )
    second = _claim(
        "G-2",
        VisitType.INPATIENT,
        10_000,
        person="辛",
        admitted=dt.date(YEAR, 9, 1),
        discharged=dt.date(YEAR, 9, 8),
    )
    return WorkedExample(
        key="critical-illness",
        title_zh="大病保险：累计分段",
        title_en="Critical illness insurance: progressive bands on the cumulative amount",
        intro_zh=(
            "同一人同一年度两次住院。第一次：统筹基金触及年度最高支付限额，政策范围内个人负担"
            "进入大病保险，逐段计算。第二次：再次住院起付线，统筹基金限额已用完，"
            "大病保险接着本年累计额在最高一段计算。"
        ),
        intro_en=(
            "Two stays of one person in one year. First: the basic fund reaches its annual cap, "
            "and the in-scope amount left to the person goes to critical illness insurance, band "
            "by band. Second: the repeat-admission deductible, the fund's cap is used up, and "
            "critical illness continues from the year's cumulative amount in the top band."
        ),
        packs=(public,),
        results=settle([first, second], [public]),
    )


def _relief(public: PolicyPack) -> WorkedExample:
    category = "dibao"
    claim = _claim(
        "H-1",
        VisitType.INPATIENT,
        40_000,
        person="壬",
        level=2,
        out_of_scope=2_000,
        class_b=5_000,
        discharged=dt.date(YEAR, 5, 20),
        category=category,
    )
    general = settle([_claim_as(claim, "general")], [public])[0]
    zh, en = CATEGORY_LABELS[category]
    return WorkedExample(
        key="relief",
        title_zh="救助对象：大病保险倾斜与医疗救助",
        title_en="A relief-tier person: critical illness tilts and medical assistance",
        intro_zh=(
            f"{zh}在二级医院住院。大病保险按倾斜政策（起付线降低、比例提高、不设封顶线）支付；"
            "医疗救助扣除本年救助起付线后按比例支付。同一笔费用若为普通参保人，"
            f"大病保险支付 {yuan(general.critical_illness)}，"
            f"个人负担 {yuan(general.out_of_pocket)}。"
        ),
        intro_en=(
            f"A stay of a {en.lower()} person at a level-2 hospital. Critical illness pays with "
            "the relief tilt (lower threshold, higher ratios, no cap); medical assistance pays "
            "its ratio after the year's assistance deductible. The same bill of a general "
            f"insured person gets {yuan(general.critical_illness)} from critical illness and "
            f"leaves {yuan(general.out_of_pocket)} out of pocket."
        ),
        packs=(public,),
        results=settle([claim], [public]),
    )


def _claim_as(claim: Claim, category: str) -> Claim:
    return dataclasses.replace(claim, person_category=category)


def _stacked(public: PolicyPack, extra: PolicyPack) -> WorkedExample:
    claim = _claim(
        "J-1",
        VisitType.INPATIENT,
        200_000,
        person="癸",
        out_of_scope=40_000,
        class_b=30_000,
        discharged=dt.date(YEAR, 6, 28),
    )
    product = extra.supplementary.supplementary
    return WorkedExample(
        key="supplementary",
        title_zh=f"叠加补充保险：{product.label.zh}",
        title_en=f"Stacked supplementary insurance: {product.label.en}",
        intro_zh=(
            "普通参保人在三级医院住院，同时参加惠民保。公共各层结算后，"
            f"{product.label.zh}先扣年度免赔额（先抵目录内），再分别按目录内、目录外比例支付剩余个人负担。"
        ),
        intro_en=(
            "A general insured person's level-3 stay, also covered by the 惠民保 product. After "
            f"the public layers, {product.label.en} takes its annual deductible (inside the "
            "catalogue first), then pays its shares of the remainders inside and outside the "
            "catalogue."
        ),
        packs=(public, extra),
        results=settle([claim], [public, extra]),
    )


# Rendering -------------------------------------------------------------------------------------

LEVEL_LABELS = {
    1: ("一级及以下", "level 1 and below"),
    2: ("二级", "level 2"),
    3: ("三级", "level 3"),
}


def _counters(ytd: YearToDate) -> tuple[str, str]:
    """Non-zero accumulators, counts as numbers and amounts as yuan."""
    parts = [
        f"`{name}` {value if name.startswith('visits:') else yuan(value)}"
        for name, value in sorted(ytd.counters.items())
        if value
    ]
    if not parts:
        return "无（本年第一笔）", "none (the first claim of the year)"
    text = ", ".join(parts)
    return text, text


def _claim_rows(result: Adjudication, packs: Sequence[PolicyPack]) -> list[list[str]]:
    claim = result.claim
    public = packs[0]
    benefit = public.medical.benefits.get(claim.visit_type)
    visit = (benefit.label.zh, benefit.label.en) if benefit else (claim.visit_type.value,) * 2
    if claim.condition is not None and claim.visit_type is VisitType.OUTPATIENT_TWO_DISEASES:
        zh, en = CONDITION_LABELS[claim.condition]
        visit = (f"{visit[0]}：{zh}", f"{visit[1]}: {en}")
    region = public.medical.cross_region[claim.cross_region].label
    category = CATEGORY_LABELS[claim.person_category]
    level = LEVEL_LABELS[claim.hospital_level]
    dates = claim.service_date.isoformat()
    if claim.discharge_date is not None:
        dates += f" → {claim.discharge_date.isoformat()}"
    rows = [
        ("参保人 Person · 单据 Claim", f"{claim.person_id} · {claim.claim_id}", ""),
        ("就诊类型 Visit type", *visit),
        ("医院级别 Hospital level", *level),
        ("人员类别 Person category", *category),
        ("就医地 Where treated", region.zh, region.en),
        ("日期 Dates", dates, f"year {claim.year}"),
        ("费用总额 Total", yuan(claim.total), ""),
        ("全自费 Outside the catalogue", yuan(claim.out_of_scope), ""),
        ("乙类项目 Class B items", yuan(claim.class_b), ""),
        ("结算前年度累计 Year to date before", *_counters(result.before)),
    ]
    return [[name, both(zh, en)] for name, zh, en in rows]


def _line_row(line: Line) -> list[str]:
    layer = LAYER_LABELS[line.layer]
    amount = yuan(line.amount)
    return [
        both(*layer),
        both(line.texts.label_zh, line.texts.label_en),
        yuan(line.base) if line.base is not None else "",
        both(line.texts.rule_zh, line.texts.rule_en),
        f"**{amount}**" if line.payment else amount,
    ]


def _summary_rows(result: Adjudication) -> list[list[str]]:
    return [
        [
            yuan(result.basic_fund),
            yuan(result.critical_illness),
            yuan(result.medical_assistance),
            yuan(result.supplementary),
            yuan(result.out_of_pocket),
            yuan(result.total),
        ]
    ]


def render_example(number: int, example: WorkedExample) -> list[str]:
    """The section of one worked example."""
    packs = ", ".join(short(p) for p in example.packs)
    note = f" — {example.variant}" if example.variant else ""
    lines = [
        f'<a id="example-{example.key}"></a>',
        "",
        f"### 算例 {number} · {example.title_zh}",
        "",
        f"*Example {number}: {example.title_en}.*",
        "",
        example.intro_zh,
        "",
        example.intro_en,
        "",
        f"政策包 Packs: {packs}{note}",
        "",
    ]
    for result in example.results:
        if len(example.results) > 1:
            lines += [f"#### {result.claim.claim_id}", ""]
        lines += table(["单据 Claim", "内容 Value"], _claim_rows(result, example.packs))
        lines += [""]
        lines += table(
            ["层级 Layer", "项目 Item", "基数 Base", "规则 Rule", "金额 Amount"],
            (_line_row(line) for line in result.lines),
            align="llrlr",
        )
        lines += [""]
        lines += table(
            [
                "基本医保<br>Basic",
                "大病保险<br>Critical illness",
                "医疗救助<br>Assistance",
                "补充保险<br>Supplementary",
                "个人负担<br>Out of pocket",
                "合计<br>Total",
            ],
            _summary_rows(result),
            align="rrrrrr",
        )
        lines += [""]
    return lines
