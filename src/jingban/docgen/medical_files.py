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
from jingban.engine.medical.batch import STAYS
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
        "出院日期：住院和住院分娩必填，门诊必须留空；决定结算年度和适用的政策包",
        "discharge date: required for a stay ("
        + _codes(sorted(STAYS))
        + "), empty for every other (outpatient) visit; it decides the year and the pack",
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
        "**住院与出院日期 · Stays and the discharge date.** 住院和住院分娩在出院时一次结算，"
        "须填写出院日期；本系统的理赔文件不接受住院期间的中途结算。门诊行填写出院日期，或住院行"
        "未填出院日期，均作为该行错误（字段 `discharge_date`）拒绝，其他行照常结算。",
        "",
        "A stay (inpatient care and maternity) is settled once, at discharge, and needs its "
        "discharge date: a claims file does not take a settlement in the middle of a stay "
        "(中途结算). An outpatient row with a discharge date, or a stay without one, is a row "
        "error on `discharge_date` (`claim.discharge_date_not_allowed`, "
        "`claim.discharge_date_required`); the other rows are settled as usual.",
        "",
        "**结算顺序 · Settlement order.** 同一参保人同一年度的单据依次结算：先按出院日期（无出院"
        "日期时为就诊日期），再按入院（就诊）日期，再按单据号的自然顺序（C9 在 C10 之前）。"
        "不同参保人、不同年度互不影响，因此结果与文件中行的顺序无关。",
        "",
        "Within a person-year, claims are settled by discharge date (the service date when there "
        "is none), then admission (service) date, then claim id in natural order: the digits "
        "of an id compare as numbers, so `C9` comes before `C10` (then the id as written, then "
        "the line). People and years do not affect each other, so the figures do not depend on "
        "the order of the rows in the file. A claim id is unique in the file: a later row with "
        "an id already given is refused (`claim.duplicate_id`, naming the first line).",
        "",
        "**内存与临时文件 · Memory and temporary files.** 文件先按人员年度在磁盘上分组（排序后的"
        "分段临时文件再归并，放在 `--out` 所在目录的隐藏临时目录中，结束时删除，约需理赔文件"
        "一倍半的磁盘空间），然后逐个人员年度结算并立即写出，内存占用不随文件增大。",
        "",
        "The file is first grouped by person-year on disk: blocks of claims are sorted and "
        "written as temporary runs in a hidden folder beside `--out` (removed at the end; "
        "allow about one and a half times the size of the claims file in disk space), then "
        "the runs are merged and "
        "each person-year is settled and written as soon as its claims are together. Memory "
        "does not grow with the file (about 140 MB at 200,000 claims and at 2 million, see "
        "`benchmarks/adjudicate.py`); accumulators given with `--accumulators-in` are held in "
        "memory.",
        "",
        "**Out** (each file is written under a temporary name and renamed into place only when "
        "all are complete):",
        "",
        f"- `--out` results, one row per input row: {_codes(RESULT_COLUMNS)}. `line` is the "
        "row's line in the claims file (the header is line 1), to join back on. **Order:** "
        "first the rows that could not be read (a bad cell, a wrong number of values), in line "
        "order; then person-year by person-year — person id as text, then year — each in "
        "settlement order. A row refused while settling (a duplicate id, no pack in force, a "
        "discharge date problem …) keeps its place among its person-year's rows. `status` is "
        "`ok` or `rejected`; amounts in yuan with two decimals; `policy` and `policy_hash` name "
        "the packs (`id@version`, joined by `+`).",
        f"- `--explain` the explanation lines: {_codes(EXPLANATION_COLUMNS)}; the lines whose "
        "`payment` is `true` add up to the claim's total. **Order:** the settled claims in the "
        "order of the results, each claim's lines by `seq`; join on `claim_id`, unique among "
        "settled claims.",
        f"- `--errors` the rejected rows: {_codes(ERROR_COLUMNS)}. **Order:** that of the "
        "results (the unreadable rows first, then by person-year); sort by `line` for the "
        "order of the file.",
        f"- `--accumulators-out` / `--accumulators-in` the year-to-date counters: "
        f"{_codes(ACCUMULATOR_COLUMNS)} (fen, or a count for `visits:*`). **Order:** by person "
        "id as text, then year, then counter; person-years given with `--accumulators-in` and "
        "without claims in this file are written too, unchanged. `--accumulators-in` may be in "
        "any order.",
        "",
        "Exit status 0: every row settled; 1: some rows rejected (the others are settled and "
        "written); 2: a problem with an option, a file or a pack (nothing is written). On "
        "stderr, the first 20 rejected rows by line.",
        "",
    ]
    return lines
