"""The files section of docs/medical-settlement.md: the columns of ``jingban adjudicate``, with
the codes each accepts read from the engine's enumerations."""

from __future__ import annotations

from collections.abc import Iterable

from jingban.engine.codes import (
    HOSPITAL_LEVELS,
    PERSON_CATEGORIES,
    Condition,
    CrossRegion,
    VisitType,
)
from jingban.engine.medical.files import (
    ACCUMULATOR_COLUMNS,
    CLAIM_COLUMNS,
    ERROR_COLUMNS,
    EXPLANATION_COLUMNS,
    RESULT_COLUMNS,
)


def _codes(values: Iterable[object]) -> str:
    return " · ".join(f"`{v}`" for v in values)


CLAIM_MEANINGS = {
    "claim_id": ("单据号，文件内唯一", "the claim's id, unique in the file"),
    "person_id": (
        "人员编号：同一人同一年度的单据累计计算",
        "the person: their claims of a year accumulate",
    ),
    "visit_type": ("就诊类型", "visit type: " + _codes(VisitType)),
    "condition": (
        "“两病”病种，其他就诊留空",
        "for two diseases: " + _codes(Condition) + ", else empty",
    ),
    "hospital_level": (
        "医院级别，1 = 一级及以下（含未评级基层机构）",
        "hospital level " + _codes(HOSPITAL_LEVELS) + "; 1 = level 1 and below, unrated included",
    ),
    "service_date": ("就诊或入院日期 YYYY-MM-DD", "service or admission date, YYYY-MM-DD"),
    "discharge_date": (
        "出院日期，门诊留空；决定结算年度和适用的政策包",
        "discharge date, empty for outpatient care; it decides the year and the pack",
    ),
    "total": ("费用总额（元，最多两位小数）", "the bill's total in yuan, at most two decimals"),
    "out_of_scope": ("全自费金额（元）", "outside the catalogue and above price limits (yuan)"),
    "class_b": ("乙类项目金额（元）", "class B items within the scope (yuan)"),
    "person_category": ("人员类别，空为 general", "person category: " + _codes(PERSON_CATEGORIES)),
    "cross_region": ("异地就医情形，空为 local", "where treated: " + _codes(CrossRegion)),
}


def files_section() -> list[str]:
    lines = [
        '<a id="files"></a>',
        "",
        "## 文件 · Files (`jingban adjudicate`)",
        "",
        "UTF-8 CSV with a header row (a byte-order mark is accepted; extra columns are ignored). "
        "The header is line 1, so the first claim is line 2 in the errors file.",
        "",
        "**Claims in** (`--in`):",
        "",
        "| 列 Column | 含义 | Meaning |",
        "| --- | --- | --- |",
    ]
    for column in CLAIM_COLUMNS:
        zh, en = CLAIM_MEANINGS[column]
        lines.append(f"| `{column}` | {zh} | {en} |")
    lines += [
        "",
        "**Out:**",
        "",
        f"- `--out` results, one row per claim in input order: {_codes(RESULT_COLUMNS)}. "
        "`status` is `ok` or `rejected`; amounts in yuan with two decimals; `policy` and "
        "`policy_hash` name the packs (`id@version`, joined by `+`).",
        f"- `--explain` the explanation lines: {_codes(EXPLANATION_COLUMNS)}; the lines whose "
        "`payment` is `true` add up to the claim's total. They are written as the claims are "
        "settled, in date order, so a large file's lines are never all held in memory.",
        f"- `--errors` the rejected rows: {_codes(ERROR_COLUMNS)}.",
        f"- `--accumulators-out` / `--accumulators-in` the year-to-date counters: "
        f"{_codes(ACCUMULATOR_COLUMNS)} (fen, or a count for `visits:*`).",
        "",
        "Exit status 0: every row settled; 1: some rows rejected (the others are settled and "
        "written); 2: a problem with an option, a file or a pack (nothing is written).",
        "",
    ]
    return lines
