"""What the settlement services take and give: plain frozen dataclasses, money in int fen.

Field names follow the national interface (《医疗保障信息平台定点医药机构接口规范》) so the
national mapping is a rename-free copy; the REST API uses the same names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class VisitIn:
    """A visit to register: outpatient 2201 (``med_type`` 11, 12, 13, 14 …) or an admission 2401
    (``med_type`` 21, 52 …). ``begntime`` is the visit's or admission's time."""

    psn_no: str
    insutype: str  # 险种类型: 390 城乡居民基本医疗保险, 310 职工基本医疗保险
    med_type: str  # 医疗类别
    begntime: dt.datetime
    ipt_otp_no: str  # the hospital's own outpatient / inpatient number (住院/门诊号)
    mdtrt_cert_type: str = "02"  # 就诊凭证类型: 01 电子凭证, 02 身份证, 03 社保卡
    mdtrt_cert_no: str = ""
    dise_codg: str = ""  # diagnosis (ICD-10), or the chronic disease code for med_type 14
    dise_name: str = ""
    insuplc_admdvs: str = ""  # 参保地 (6-digit admdvs); empty: the person's own region
    mdtrtarea_admvs: str = ""  # 就医地; empty: the institution's region
    emergency: bool = False  # 急诊抢救 for the cross-region rule
    dept_code: str = ""
    dept_name: str = ""
    atddr_no: str = ""  # attending doctor's code
    dr_name: str = ""


@dataclass(frozen=True)
class VisitOut:
    """A registered visit (2201 output ``data``, 2401 output ``result``)."""

    mdtrt_id: str
    psn_no: str
    ipt_otp_no: str
    med_type: str
    insutype: str
    begntime: dt.datetime
    endtime: dt.datetime | None
    status: str  # open, discharged, settled, cancelled


@dataclass(frozen=True)
class DischargeIn:
    """An inpatient discharge (2402)."""

    mdtrt_id: str
    psn_no: str
    endtime: dt.datetime
    dise_codg: str = ""
    dise_name: str = ""
    dscg_way: str = ""  # 离院方式


@dataclass(frozen=True)
class FeeLineIn:
    """One fee detail line (2204 / 2301 ``feedetail``). ``pric`` and ``det_item_fee_sumamt`` in
    fen; ``cnt × pric`` must equal ``det_item_fee_sumamt`` to the fen (FeeLineInvalid naming
    ``feedetl_sn`` otherwise)."""

    feedetl_sn: str  # the hospital's line number, unique within the visit
    med_list_codg: str  # national catalogue code (医保目录编码)
    medins_list_codg: str
    name: str  # medins_list_name / the item's name as the hospital has it
    cnt: Decimal
    pric: int
    det_item_fee_sumamt: int
    fee_ocur_time: dt.datetime
    bilg_dept_codg: str = ""
    bilg_dr_codg: str = ""
    chrg_bchno: str = ""  # 收费批次号: lines of one upload


@dataclass(frozen=True)
class FeeLinesOut:
    """The lines as stored and classified (2204 / 2301 ``result``, one per line)."""

    mdtrt_id: str
    lines: tuple[FeeLineOut, ...]


@dataclass(frozen=True)
class FeeLineOut:
    feedetl_sn: str
    det_item_fee_sumamt: int
    cnt: Decimal
    pric: int
    pric_uplmt_amt: int | None  # the catalogue's price limit, if any
    selfpay_prop: Decimal  # 自付比例: 0 甲, the first-pay rate for 乙, 1 丙 / outside
    fulamt_ownpay_amt: int
    overlmt_amt: int
    preselfpay_amt: int
    inscp_scp_amt: int
    chrgitm_lv: str  # 收费项目等级: 01 甲类, 02 乙类, 03 丙类 (自费)
    med_chrgitm_type: str
    lmt_used_flag: str  # "1" when a price limit cut the line
    memo: str  # the catalogue's warning (e.g. a code not in the catalogue), or empty


@dataclass(frozen=True)
class SettleIn:
    """A (pre-)settlement request (2206 / 2207 outpatient, 2303 / 2304 inpatient).
    ``medfee_sumamt`` (fen) must equal the sum of the visit's fee lines (of ``chrg_bchno`` if
    given), else ``DomainError`` ``medical.sum_mismatch`` naming ``medfee_sumamt``."""

    psn_no: str
    mdtrt_id: str
    medfee_sumamt: int
    mdtrt_cert_type: str = "02"
    mdtrt_cert_no: str = ""
    insutype: str = ""  # empty: the visit's
    chrg_bchno: str = ""  # empty: every uncancelled line of the visit
    acct_used_flag: str = "0"  # personal account: residents have none, ignored
    psn_setlway: str = "01"  # 01 按项目结算
    mid_setl_flag: str = "0"  # 中途结算: only "0" supported
    invono: str = ""


@dataclass(frozen=True)
class FundPart:
    """One ``setldetail`` row: a fund's part of a settlement."""

    # 390100 居民基本医疗保险统筹基金, 390200 居民大病保险, 610100 医疗救助基金 …
    fund_pay_type: str
    fund_pay_type_name: str
    inscp_scp_amt: int
    crt_payb_lmt_amt: int  # what this fund may still pay this year, before this settlement
    fund_payamt: int
    setl_proc_info: str  # one line of explanation


@dataclass(frozen=True)
class SetlInfo:
    """A settlement's ``setlinfo`` (2206/2207/2303/2304/2208/2305 output, 5203). A preview has
    ``setl_id == ""``; a cancellation's (reversing) settlement has negative amounts and names the
    one it reverses in ``orig_setl_id``."""

    setl_id: str
    mdtrt_id: str
    psn_no: str
    psn_name: str
    psn_cert_type: str
    certno: str  # masked (docs/masking.md); the hospital already holds the document
    gend: str  # 1 male, 2 female
    brdy: dt.date
    age: int
    insutype: str
    psn_type: str
    med_type: str
    setl_time: dt.datetime
    mdtrt_cert_type: str
    medfee_sumamt: int
    fulamt_ownpay_amt: int  # 全自费
    overlmt_selfpay: int  # 超限价自费
    preselfpay_amt: int  # 乙类先行自付
    inscp_scp_amt: int  # 符合政策范围
    act_pay_dedc: int  # 实际支付起付线
    hifp_pay: int  # 基本医疗保险统筹基金支出
    # 基本医疗保险统筹基金支付比例, despite its name: the basic fund's ratio as applied (level,
    # category points, cross-region rule), 4 decimals; 0 for a lump sum.
    pool_prop_selfpay: Decimal
    cvlserv_pay: int
    hifes_pay: int
    hifmi_pay: int  # 居民大病保险资金支出
    hifob_pay: int
    maf_pay: int  # 医疗救助基金支出
    oth_pay: int  # supplementary (惠民保 …)
    fund_pay_sumamt: int
    psn_part_amt: int  # 个人负担总金额 = medfee_sumamt − fund_pay_sumamt
    acct_pay: int
    psn_cash_pay: int
    hosp_part_amt: int
    balc: int
    acct_mulaid_pay: int
    medins_setl_id: str  # the hospital's own settlement number (= its msgid)
    clr_optins: str  # 清算经办机构 (admdvs)
    clr_way: str
    clr_type: str
    status: str  # settled, cancelled (the original after a cancel), reversal (the negative row)
    orig_setl_id: str  # the settlement a reversal undoes, else ""
    setldetail: tuple[FundPart, ...] = field(default_factory=tuple)
    explanation: tuple[str, ...] = field(default_factory=tuple)  # explanation of benefits lines
    packs: tuple[str, ...] = field(default_factory=tuple)  # "id@version#hash" that made it
    warnings: tuple[str, ...] = field(default_factory=tuple)  # → warn_msg


@dataclass(frozen=True)
class ReverseOut:
    """What a 2601 reversal undid: ``kind`` settlement / visit / fee_lines / cancellation, and the
    id of the object (``setl_id``, ``mdtrt_id``)."""

    kind: str
    object_id: str
    omsgid: str


@dataclass(frozen=True)
class ReconcileIn:
    """3201 totals the hospital counted for ``setl_optins`` (clearing admdvs, empty: all),
    ``insutype``, ``clr_type`` (11 outpatient, 21 inpatient, empty: both) and a day range."""

    insutype: str
    clr_type: str
    setl_optins: str
    stmt_begndate: dt.date
    stmt_enddate: dt.date
    medfee_sumamt: int
    fund_pay_sumamt: int
    acct_pay: int
    fixmedins_setl_cnt: int


@dataclass(frozen=True)
class ReconcileOut:
    """3201 result: ``stmt_rslt`` "0" balanced, "1" not; jingban's own totals beside."""

    setl_optins: str
    stmt_rslt: str
    stmt_rslt_dscr: str
    medfee_sumamt: int
    fund_pay_sumamt: int
    acct_pay: int
    setl_cnt: int
    reconciliation_id: int


@dataclass(frozen=True)
class PersonYearOut:
    """5206 累计信息: a person's accumulators for a year, as ``cum_type_code`` → amount (fen).
    Codes jingban answers: the engine's counter names (``cap:basic``, ``deductible:inpatient``,
    ``ci:paid`` …) and the totals ``medfee`` (all fees), ``fund_paid``, ``settlements``."""

    psn_no: str
    year: int
    cumulative: tuple[tuple[str, int], ...]
    fund_paid: bool
    ci_paid: bool
