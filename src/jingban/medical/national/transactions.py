"""The transactions jingban answers, by ``infno``: each reads its ``input`` nodes into the
settlement service's types (``jingban.medical.services``), calls the service, and maps the
result to its ``output``. Transactions that change state (``writes``) go through the message
log; the others are answered afresh each time."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jingban.core.models import Organisation, User
from jingban.medical import services
from jingban.medical.national import codes, mapping
from jingban.medical.national.envelope import Envelope, InterfaceError
from jingban.medical.national.fields import Node, node, rows
from jingban.medical.national.models import InterfaceMessage, SignIn
from jingban.medical.national.person import log_person_query, person_information
from jingban.medical.national.wire import FieldProblem
from jingban.medical.services.types import (
    DischargeIn,
    FeeLineIn,
    ReconcileIn,
    SettleIn,
    VisitIn,
)


@dataclass
class Call:
    """One authenticated request: who, for which institution, what envelope."""

    user: User
    institution: Organisation
    envelope: Envelope
    tz: dt.tzinfo
    warnings: list[str] = field(default_factory=list)

    @property
    def input(self) -> Mapping[str, Any]:
        return self.envelope.input

    @property
    def msgid(self) -> str:
        return self.envelope.msgid


Handler = Callable[[Call], dict[str, Any]]


@dataclass(frozen=True)
class Transaction:
    infno: str
    handler: Handler
    writes: bool


REGISTRY: dict[str, Transaction] = {}


def transaction(infno: str, *, writes: bool) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        REGISTRY[infno] = Transaction(infno, handler, writes)
        return handler

    return register


MED_TYPES = tuple(codes.table("med_type"))
CERT_TYPES = tuple(codes.table("mdtrt_cert_type"))
INSUTYPES = tuple(codes.table("insutype"))


def _insuplc(call: Call) -> str:
    """参保地: required by the specification whenever ``psn_no`` is sent."""
    if not call.envelope.insuplc_admdvs:
        raise FieldProblem("insuplc_admdvs", _("is required when psn_no is sent"))
    return call.envelope.insuplc_admdvs


# 9001 签到 ---------------------------------------------------------------------------------


@transaction("9001", writes=True)
def sign_in(call: Call) -> dict[str, Any]:
    data = node(call.input, "signIn", call.tz)
    opter_no = data.text("opter_no", size=30)
    data.text("mac", required=False)
    data.text("ip", required=False)
    now = timezone.now()
    sign_no = now.astimezone(call.tz).strftime("%Y%m%d%H%M%S") + secrets.token_hex(8)
    SignIn.objects.create(
        sign_no=sign_no, institution=call.institution, account=call.user, opter_no=opter_no
    )
    return {"signinoutb": {"sign_time": now.astimezone(call.tz), "sign_no": sign_no}}


# 1101 人员信息获取 ----------------------------------------------------------------------------


@transaction("1101", writes=False)
def person(call: Call) -> dict[str, Any]:
    data = node(call.input, "data", call.tz)
    cert_type = data.code("mdtrt_cert_type", CERT_TYPES)
    cert_no = data.text("mdtrt_cert_no", size=50)
    found = services.find_person(cert_type, cert_no)
    log_person_query(call.user, found, cert_no)
    return person_information(found, call.user, today=timezone.localdate())


# Visits: 2201/2202 outpatient, 2401/2402/2404/2405 inpatient -------------------------------


def _visit_in(call: Call, data: Node, *, med_type_default: str, otp_field: str) -> VisitIn:
    return VisitIn(
        psn_no=data.text("psn_no", size=30),
        insutype=data.code("insutype", INSUTYPES),
        med_type=data.code("med_type", MED_TYPES, required=False, default=med_type_default),
        begntime=data.datetime("begntime"),  # type: ignore[arg-type]
        ipt_otp_no=data.text(otp_field, size=30),
        mdtrt_cert_type=data.code("mdtrt_cert_type", CERT_TYPES),
        mdtrt_cert_no=data.text("mdtrt_cert_no", required=False, size=50),
        dise_codg=data.text("dise_codg", required=False, size=30)
        or data.text("dscg_maindiag_code", required=False, size=30),
        dise_name=data.text("dise_name", required=False, size=500)
        or data.text("dscg_maindiag_name", required=False, size=300),
        insuplc_admdvs=_insuplc(call),
        mdtrtarea_admvs=call.envelope.mdtrtarea_admvs,
        emergency=med_type_default == "13" or data.text("med_type", required=False) in {"13", "24"},
        dept_code=data.text("dept_code", required=False, size=30)
        or data.text("adm_dept_codg", required=False, size=30),
        dept_name=data.text("dept_name", required=False, size=100)
        or data.text("adm_dept_name", required=False, size=100),
        atddr_no=data.text("atddr_no", required=False, size=30),
        dr_name=data.text("dr_name", required=False, size=50)
        or data.text("chfpdr_name", required=False, size=50),
    )


@transaction("2201", writes=True)
def outpatient_register(call: Call) -> dict[str, Any]:
    data = node(call.input, "data", call.tz)
    visit = services.register_visit(
        call.user,
        call.institution,
        _visit_in(call, data, med_type_default="11", otp_field="ipt_otp_no"),
        msgid=call.msgid,
    )
    return {"data": mapping.visit_output(visit)}


def _cancel_visit(call: Call) -> dict[str, Any]:
    data = node(call.input, "data", call.tz)
    services.cancel_visit(
        call.user,
        call.institution,
        mdtrt_id=data.text("mdtrt_id", size=30),
        psn_no=data.text("psn_no", size=30),
        msgid=call.msgid,
    )
    return {}


transaction("2202", writes=True)(_cancel_visit)
transaction("2404", writes=True)(_cancel_visit)


@transaction("2203", writes=True)
def outpatient_visit_information(call: Call) -> dict[str, Any]:
    info = node(call.input, "mdtrtinfo", call.tz)
    mdtrt_id = info.text("mdtrt_id", size=30)
    psn_no = info.text("psn_no", size=30)
    med_type = info.code("med_type", MED_TYPES)
    services.update_visit(
        call.user,
        call.institution,
        mdtrt_id=mdtrt_id,
        psn_no=psn_no,
        med_type=med_type,
        dise_codg=info.text("dise_codg", required=False, size=30),
        dise_name=info.text("dise_name", required=False, size=500),
        msgid=call.msgid,
    )
    return {}


@transaction("2401", writes=True)
def admission(call: Call) -> dict[str, Any]:
    info = node(call.input, "mdtrtinfo", call.tz)
    visit = services.register_visit(
        call.user,
        call.institution,
        _visit_in(call, info, med_type_default="21", otp_field="ipt_no"),
        msgid=call.msgid,
    )
    return {"result": mapping.visit_output(visit)}


@transaction("2402", writes=True)
def discharge(call: Call) -> dict[str, Any]:
    info = node(call.input, "dscginfo", call.tz)
    services.discharge(
        call.user,
        call.institution,
        DischargeIn(
            mdtrt_id=info.text("mdtrt_id", size=30),
            psn_no=info.text("psn_no", size=30),
            endtime=info.datetime("endtime"),  # type: ignore[arg-type]
            dise_codg=info.text("dise_codg", required=False, size=30),
            dise_name=info.text("dise_name", required=False, size=500),
            dscg_way=info.text("dscg_way", required=False, size=6),
        ),
        msgid=call.msgid,
    )
    return {}


@transaction("2405", writes=True)
def cancel_discharge(call: Call) -> dict[str, Any]:
    data = node(call.input, "data", call.tz)
    services.cancel_discharge(
        call.user,
        call.institution,
        mdtrt_id=data.text("mdtrt_id", size=30),
        psn_no=data.text("psn_no", size=30),
        msgid=call.msgid,
    )
    return {}


# Fee details: 2204/2205 outpatient, 2301/2302 inpatient -----------------------------------


def _fee_lines(call: Call) -> dict[str, Any]:
    lines = rows(call.input, "feedetail", call.tz)
    mdtrt_id = lines[0].text("mdtrt_id", size=30)
    psn_no = lines[0].text("psn_no", size=30)
    parsed = []
    seen: set[str] = set()
    for line in lines:
        sn = line.text("feedetl_sn", size=30)
        if sn in seen:
            raise FieldProblem(f"{line.where}feedetl_sn", _("is repeated in this upload"))
        seen.add(sn)
        if line.text("mdtrt_id", size=30) != mdtrt_id or line.text("psn_no", size=30) != psn_no:
            raise FieldProblem(
                f"{line.where}mdtrt_id", _("every line must belong to the same visit and person")
            )
        parsed.append(
            FeeLineIn(
                feedetl_sn=sn,
                med_list_codg=line.text("med_list_codg", size=50),
                medins_list_codg=line.text("medins_list_codg", size=150),
                name=line.text("medins_list_name", required=False, size=200)
                or line.text("med_list_name", required=False, size=200),
                cnt=line.quantity("cnt"),
                pric=line.fen("pric"),
                det_item_fee_sumamt=line.fen("det_item_fee_sumamt"),
                fee_ocur_time=line.datetime("fee_ocur_time"),  # type: ignore[arg-type]
                bilg_dept_codg=line.text("bilg_dept_codg", required=False, size=30),
                bilg_dr_codg=line.text("bilg_dr_codg", required=False, size=30),
                chrg_bchno=line.text("chrg_bchno", required=False, size=30),
            )
        )
    result = services.record_fee_lines(
        call.user,
        call.institution,
        mdtrt_id=mdtrt_id,
        psn_no=psn_no,
        lines=parsed,
        msgid=call.msgid,
    )
    return {"result": mapping.fee_result(result)}


transaction("2204", writes=True)(_fee_lines)
transaction("2301", writes=True)(_fee_lines)


@transaction("2205", writes=True)
def cancel_outpatient_fees(call: Call) -> dict[str, Any]:
    data = node(call.input, "data", call.tz)
    batch = data.text("chrg_bchno", required=False, size=30)
    services.cancel_fee_lines(
        call.user,
        call.institution,
        mdtrt_id=data.text("mdtrt_id", size=30),
        psn_no=data.text("psn_no", size=30),
        chrg_bchno="" if batch == "0000" else batch,  # "0000": every line of the visit
        msgid=call.msgid,
    )
    return {}


@transaction("2302", writes=True)
def cancel_inpatient_fees(call: Call) -> dict[str, Any]:
    for line in rows(call.input, "data", call.tz):
        sn = line.text("feedetl_sn", size=30)
        services.cancel_fee_lines(
            call.user,
            call.institution,
            mdtrt_id=line.text("mdtrt_id", size=30),
            psn_no=line.text("psn_no", size=30),
            feedetl_sn="" if sn == "0000" else sn,
            msgid=call.msgid,
        )
    return {}


# Settlement: 2206/2207/2208 outpatient, 2303/2304/2305 inpatient ---------------------------


def _settle_in(call: Call) -> SettleIn:
    data = node(call.input, "data", call.tz)
    _insuplc(call)
    setlway = data.code("psn_setlway", tuple(codes.table("psn_setlway")))
    if setlway != "01":
        raise FieldProblem("psn_setlway", _("only 01 (settled by item) is supported"))
    return SettleIn(
        psn_no=data.text("psn_no", size=30),
        mdtrt_id=data.text("mdtrt_id", size=30),
        medfee_sumamt=data.fen("medfee_sumamt"),
        mdtrt_cert_type=data.code("mdtrt_cert_type", CERT_TYPES),
        mdtrt_cert_no=data.text("mdtrt_cert_no", required=False, size=50),
        insutype=data.code("insutype", INSUTYPES),
        chrg_bchno=data.text("chrg_bchno", required=False, size=30),
        acct_used_flag=data.code("acct_used_flag", ("0", "1"), required=False, default="0"),
        psn_setlway=setlway,
        mid_setl_flag=data.code("mid_setl_flag", ("0", "1"), required=False, default="0"),
        invono=data.text("invono", required=False, size=20),
    )


def _with_warnings(call: Call, info: services.SetlInfo) -> dict[str, Any]:
    call.warnings.extend(info.warnings)
    return mapping.settlement_output(info, call.tz)


@transaction("2206", writes=False)
def outpatient_preview(call: Call) -> dict[str, Any]:
    return _with_warnings(call, services.preview(call.user, call.institution, _settle_in(call)))


transaction("2303", writes=False)(outpatient_preview)


@transaction("2207", writes=True)
def settlement(call: Call) -> dict[str, Any]:
    info = services.settle(call.user, call.institution, _settle_in(call), msgid=call.msgid)
    return _with_warnings(call, info)


transaction("2304", writes=True)(settlement)


@transaction("2208", writes=True)
def cancel_settlement(call: Call) -> dict[str, Any]:
    data = node(call.input, "data", call.tz)
    info = services.cancel(
        call.user,
        call.institution,
        setl_id=data.text("setl_id", size=30),
        mdtrt_id=data.text("mdtrt_id", size=30),
        psn_no=data.text("psn_no", size=30),
        msgid=call.msgid,
    )
    return _with_warnings(call, info)


transaction("2305", writes=True)(cancel_settlement)


# 2601 冲正 ---------------------------------------------------------------------------------


@transaction("2601", writes=True)
def reversal(call: Call) -> dict[str, Any]:
    data = node(call.input, "data", call.tz)
    data.text("psn_no", required=False, size=30)
    omsgid = data.text("omsgid", size=30)
    oinfno = data.code("oinfno", tuple(REGISTRY))
    if omsgid == call.msgid:
        raise FieldProblem("omsgid", _("must name an earlier message"))
    result = services.reverse(
        call.user, call.institution, omsgid=omsgid, oinfno=oinfno, msgid=call.msgid
    )
    InterfaceMessage.objects.filter(institution=call.institution, msgid=omsgid).update(
        reversed_by=call.msgid
    )
    return {"data": {"omsgid": result.omsgid, "kind": result.kind, "object_id": result.object_id}}


# 3201 对总账, 5203 结算信息查询, 5206 人员累计信息查询 -------------------------------------------


@transaction("3201", writes=True)
def reconcile(call: Call) -> dict[str, Any]:
    data = node(call.input, "data", call.tz)
    begin, end = data.date("stmt_begndate"), data.date("stmt_enddate")
    if end < begin:
        raise FieldProblem("stmt_enddate", _("must not be before stmt_begndate"))
    result = services.reconcile(
        call.user,
        call.institution,
        ReconcileIn(
            insutype=data.code("insutype", INSUTYPES),
            clr_type=data.text("clr_type", required=False, size=6),
            setl_optins=data.text("setl_optins", required=False, size=6),
            stmt_begndate=begin,
            stmt_enddate=end,
            medfee_sumamt=data.fen("medfee_sumamt"),
            fund_pay_sumamt=data.fen("fund_pay_sumamt"),
            acct_pay=data.fen("acct_pay", required=False),
            fixmedins_setl_cnt=data.integer("fixmedins_setl_cnt"),
        ),
        msgid=call.msgid,
    )
    return {"stmtinfo": mapping.stmtinfo(result)}


@transaction("5203", writes=False)
def settlement_query(call: Call) -> dict[str, Any]:
    data = node(call.input, "data", call.tz)
    info = services.settlement_query(
        call.user,
        call.institution,
        setl_id=data.text("setl_id", size=30),
        mdtrt_id=data.text("mdtrt_id", required=False, size=30),
        psn_no=data.text("psn_no", required=False, size=30),
    )
    return mapping.settlement_output(info, call.tz)


@transaction("5206", writes=False)
def accumulations(call: Call) -> dict[str, Any]:
    data = node(call.input, "data", call.tz)
    psn_no = data.text("psn_no", size=30)
    cum_ym = data.text("cum_ym", required=False, size=6)
    if cum_ym and not (cum_ym.isdigit() and len(cum_ym) in (4, 6)):
        raise FieldProblem("cum_ym", _("must be a year and month like 202601"))
    year = int(cum_ym[:4]) if cum_ym else timezone.localdate().year
    result = services.person_year(call.user, call.institution, psn_no=psn_no, year=year)
    return {"cuminfo": mapping.cuminfo(result)}


def lookup(envelope: Envelope) -> Transaction:
    found = REGISTRY.get(envelope.infno)
    if found is None:
        raise InterfaceError(
            _("Transaction %(infno)s is not supported by this interface.")
            % {"infno": envelope.infno},
            field="infno",
        )
    return found
