"""The settlement service's results as the interface's output nodes: ``setlinfo`` and
``setldetail`` (2206/2207/2303/2304/2208/2305, 5203), the classified fee lines (2204/2301
``result``), 5206 ``cuminfo``. Amounts leave as yuan with two decimals, converted exactly from
int fen. Pure functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Any

from jingban.medical.national import codes
from jingban.medical.national.wire import fen_to_yuan
from jingban.medical.services.types import (
    FeeLinesOut,
    FundPart,
    PersonYearOut,
    ReconcileOut,
    SetlInfo,
    VisitOut,
)

# The setlinfo fields that are amounts in fen (数值型 16,2): every int field but the age.
_NOT_MONEY = {"age"}
# What setlinfo leaves out: jingban's own additions travel in warn_msg or not at all.
_NOT_SENT = {"setldetail", "explanation", "packs", "warnings", "status", "orig_setl_id"}


def _value(name: str, value: object, tz: dt.tzinfo) -> object:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int) and name not in _NOT_MONEY:
        return fen_to_yuan(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def setlinfo(info: SetlInfo, tz: dt.tzinfo) -> dict[str, Any]:
    """``setlinfo``: every standard field of the settlement, amounts in yuan."""
    out = {
        f.name: _value(f.name, getattr(info, f.name), tz)
        for f in fields(info)
        if f.name not in _NOT_SENT
    }
    # 统筹基金支付比例 is not the service's figure; hospital systems show it beside hifp_pay.
    return out


def setldetail(parts: tuple[FundPart, ...]) -> list[dict[str, Any]]:
    """``setldetail``: one row per fund_pay_type; its Chinese name from the code table (the
    service's own label for a sub-code the table lacks)."""
    return [
        {
            "fund_pay_type": part.fund_pay_type,
            "fund_pay_type_name": (
                codes.zh("fund_pay_type", part.fund_pay_type)
                if codes.is_code("fund_pay_type", part.fund_pay_type)
                else part.fund_pay_type_name
            ),
            "inscp_scp_amt": fen_to_yuan(part.inscp_scp_amt),
            "crt_payb_lmt_amt": fen_to_yuan(part.crt_payb_lmt_amt),
            "fund_payamt": fen_to_yuan(part.fund_payamt),
            "setl_proc_info": part.setl_proc_info,
        }
        for part in parts
    ]


def settlement_output(info: SetlInfo, tz: dt.tzinfo) -> dict[str, Any]:
    return {"setlinfo": setlinfo(info, tz), "setldetail": setldetail(info.setldetail)}


def fee_result(result: FeeLinesOut) -> list[dict[str, Any]]:
    """2204 / 2301 ``result``: each line as the catalogue classified it."""
    return [
        {
            "feedetl_sn": line.feedetl_sn,
            "det_item_fee_sumamt": fen_to_yuan(line.det_item_fee_sumamt),
            "cnt": line.cnt,
            "pric": fen_to_yuan(line.pric),
            "pric_uplmt_amt": (
                fen_to_yuan(line.pric_uplmt_amt) if line.pric_uplmt_amt is not None else None
            ),
            "selfpay_prop": line.selfpay_prop,
            "fulamt_ownpay_amt": fen_to_yuan(line.fulamt_ownpay_amt),
            "overlmt_amt": fen_to_yuan(line.overlmt_amt),
            "preselfpay_amt": fen_to_yuan(line.preselfpay_amt),
            "inscp_scp_amt": fen_to_yuan(line.inscp_scp_amt),
            "chrgitm_lv": line.chrgitm_lv,
            "med_chrgitm_type": line.med_chrgitm_type,
            "lmt_used_flag": line.lmt_used_flag,
            "memo": line.memo or None,
        }
        for line in result.lines
    ]


def visit_output(visit: VisitOut) -> dict[str, Any]:
    return {"mdtrt_id": visit.mdtrt_id, "psn_no": visit.psn_no, "ipt_otp_no": visit.ipt_otp_no}


def cuminfo(year: PersonYearOut) -> list[dict[str, Any]]:
    """5206 ``cuminfo``: one row per accumulator; amounts in yuan, counts as they are."""
    rows = []
    for code, amount in year.cumulative:
        is_count = code == "settlements" or code.startswith("visits:")
        rows.append(
            {
                "insutype": "390",
                "year": str(year.year),
                "cum_type_code": code,
                "cum": amount if is_count else fen_to_yuan(amount),
            }
        )
    return rows


def stmtinfo(result: ReconcileOut) -> dict[str, Any]:
    """3201 ``stmtinfo``: the result and jingban's own totals beside the hospital's."""
    return {
        "setl_optins": result.setl_optins,
        "stmt_rslt": result.stmt_rslt,
        "stmt_rslt_dscr": result.stmt_rslt_dscr,
        "medfee_sumamt": fen_to_yuan(result.medfee_sumamt),
        "fund_pay_sumamt": fen_to_yuan(result.fund_pay_sumamt),
        "acct_pay": fen_to_yuan(result.acct_pay),
        "fixmedins_setl_cnt": result.setl_cnt,
    }
