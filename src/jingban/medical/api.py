"""jingban's own REST operations for direct settlement (for hospital systems that do not speak
the national interface): register a visit, send its fee lines, discharge, pre-settle, settle,
cancel, and read settlements with their explanation of benefits. Both this API and the national
interface call the one service (``jingban.medical.services``).

Money is integer fen. Hospital staff act for their own institution; a bureau account names the
institution (``fixmedins_code``) and must have it in its region. Reads are scoped as the pages
are (``queries``); out of scope is 404. The person's name is masked.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.errors import ValidationFailed
from jingban.core.models import Organisation, User
from jingban.core.roles import Role
from jingban.desk.masking import mask_name
from jingban.medical import queries, services
from jingban.medical.models import FeeStatus, Settlement, Visit
from jingban.medical.services.common import SETTLE
from jingban.medical.services.results import setl_info

router = Router(tags=["medical"])

# A demo person (陈秀英, the insured persona) and hospital, so the examples settle on the demo.
EXAMPLE_CERT = "320505195203150022"
EXAMPLE_HOSPITAL = "SZ-HOSP-1"


class VisitCreate(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "fixmedins_code": EXAMPLE_HOSPITAL,
                    "mdtrt_cert_type": "02",
                    "mdtrt_cert_no": EXAMPLE_CERT,
                    "insutype": "390",
                    "med_type": "11",
                    "ipt_otp_no": "MZAPI0001",
                    "dise_codg": "J06.900",
                    "dise_name": "急性上呼吸道感染",
                },
                {
                    "fixmedins_code": EXAMPLE_HOSPITAL,
                    "mdtrt_cert_type": "02",
                    "mdtrt_cert_no": EXAMPLE_CERT,
                    "insutype": "390",
                    "med_type": "21",
                    "ipt_otp_no": "ZYAPI0001",
                    "dise_codg": "J18.900",
                    "dise_name": "肺炎",
                },
            ]
        }
    )

    fixmedins_code: str = Field("", description="Institution code; hospital staff: their own")
    psn_no: str = Field("", description="人员编号; or give the document below")
    mdtrt_cert_type: str = Field("02", description="02 resident ID number, 03 social card")
    mdtrt_cert_no: str = Field("", max_length=32)
    insutype: str = Field(description="390 城乡居民基本医疗保险")
    med_type: str = Field(description="11 普通门诊, 14 门诊慢特病, 21 普通住院 …")
    begntime: dt.datetime | None = Field(None, description="Visit or admission time; now if empty")
    ipt_otp_no: str = Field(min_length=1, max_length=40)
    dise_codg: str = Field("", max_length=30)
    dise_name: str = Field("", max_length=200)
    insuplc_admdvs: str = Field("", max_length=6)
    mdtrtarea_admvs: str = Field("", max_length=6)
    emergency: bool = False


class VisitOut(Schema):
    visit_id: int
    mdtrt_id: str
    psn_no: str
    institution: str
    med_type: str
    insutype: str
    begntime: dt.datetime
    endtime: dt.datetime | None
    status: str
    fee_total: int = Field(description="Sum of the recorded, unsettled fee lines (fen)")


class FeeLineIn(Schema):
    feedetl_sn: str = Field(min_length=1, max_length=40)
    med_list_codg: str = Field(min_length=1, max_length=60)
    medins_list_codg: str = Field("", max_length=60)
    name: str = Field("", max_length=200)
    cnt: str = Field(
        pattern=r"^[0-9]{1,12}(\.[0-9]{1,4})?$", description="Quantity, up to 4 decimals"
    )
    pric: int = Field(ge=0, description="Unit price in fen")
    det_item_fee_sumamt: int = Field(ge=0, description="The line's amount in fen")
    fee_ocur_time: dt.datetime | None = None
    chrg_bchno: str = Field("", max_length=40)


class FeeLinesIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "lines": [
                        {
                            "feedetl_sn": "1",
                            "med_list_codg": "XJ01CRA040A001010100123",
                            "name": "阿莫西林胶囊",
                            "cnt": "2",
                            "pric": 1250,
                            "det_item_fee_sumamt": 2500,
                        }
                    ]
                }
            ]
        }
    )

    lines: list[FeeLineIn] = Field(min_length=1, max_length=500)


class FeeLineOut(Schema):
    feedetl_sn: str
    det_item_fee_sumamt: int
    fulamt_ownpay_amt: int
    overlmt_amt: int
    preselfpay_amt: int
    inscp_scp_amt: int
    chrgitm_lv: str = Field(description="01 甲类, 02 乙类, 03 丙类 or outside")
    memo: str


class FeeLinesOut(Schema):
    visit_id: int
    lines: list[FeeLineOut]


class DischargeIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{}]})

    endtime: dt.datetime | None = Field(None, description="Discharge time; now if empty")
    dise_codg: str = Field("", max_length=30)
    dise_name: str = Field("", max_length=200)


class SettleBody(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{}]})

    medfee_sumamt: int | None = Field(
        None, ge=0, description="Total in fen; must equal the fee lines' sum (default: that sum)"
    )
    chrg_bchno: str = Field("", max_length=40)


class CancelIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "患者要求退费"}]})

    reason: str = Field("", max_length=200)


class FundOut(Schema):
    fund_pay_type: str
    fund_pay_type_name: str
    fund_payamt: int
    crt_payb_lmt_amt: int


class SettlementOut(Schema):
    settlement_id: int | None = Field(description="None for a pre-settlement")
    setl_id: str
    mdtrt_id: str
    psn_no: str
    psn_name_masked: str
    status: str
    setl_time: dt.datetime
    medfee_sumamt: int
    fulamt_ownpay_amt: int
    overlmt_selfpay: int
    preselfpay_amt: int
    inscp_scp_amt: int
    act_pay_dedc: int
    hifp_pay: int
    pool_prop_selfpay: Decimal = Field(description="The basic fund's ratio as applied")
    hifmi_pay: int
    maf_pay: int
    oth_pay: int
    fund_pay_sumamt: int
    psn_part_amt: int
    psn_cash_pay: int
    orig_setl_id: str
    setldetail: list[FundOut]
    explanation: list[str]
    packs: list[str]
    warnings: list[str]


class SettlementRow(Schema):
    settlement_id: int
    setl_id: str
    kind: str
    status: str
    institution: str
    med_type: str
    setl_time: dt.datetime
    medfee_sumamt: int
    fund_pay_sumamt: int
    psn_cash_pay: int


class SettlementPage(Schema):
    count: int
    page: int
    results: list[SettlementRow]


def _institution(user: User, code: str) -> Organisation:
    if user.role == Role.INSTITUTION_STAFF and user.organisation_id is not None:
        org = user.organisation
        assert org is not None
        if code and code != org.code:
            raise ValidationFailed(
                _("Not your institution."), fields={"fixmedins_code": [_("Not your institution.")]}
            )
        return org
    found = Organisation.objects.select_related("region").filter(code=code.strip()).first()
    if found is None:
        message = _("No institution has this code.")
        raise ValidationFailed(message, fields={"fixmedins_code": [message]})
    return found


def _visit_out(visit: Visit) -> VisitOut:
    total = sum(visit.fee_lines.filter(status=FeeStatus.ACTIVE).values_list("amount", flat=True))
    return VisitOut(
        visit_id=visit.pk,
        mdtrt_id=visit.mdtrt_id,
        psn_no=services.psn_no_of(visit.person),
        institution=visit.institution.code,
        med_type=visit.med_type,
        insutype=visit.insutype,
        begntime=visit.begntime,
        endtime=visit.endtime,
        status=visit.status,
        fee_total=total,
    )


def _settlement_out(info: services.SetlInfo, pk: int | None) -> SettlementOut:
    return SettlementOut(
        settlement_id=pk,
        setl_id=info.setl_id,
        mdtrt_id=info.mdtrt_id,
        psn_no=info.psn_no,
        psn_name_masked=mask_name(info.psn_name),
        status=info.status,
        setl_time=info.setl_time,
        medfee_sumamt=info.medfee_sumamt,
        fulamt_ownpay_amt=info.fulamt_ownpay_amt,
        overlmt_selfpay=info.overlmt_selfpay,
        preselfpay_amt=info.preselfpay_amt,
        inscp_scp_amt=info.inscp_scp_amt,
        act_pay_dedc=info.act_pay_dedc,
        hifp_pay=info.hifp_pay,
        pool_prop_selfpay=info.pool_prop_selfpay,
        hifmi_pay=info.hifmi_pay,
        maf_pay=info.maf_pay,
        oth_pay=info.oth_pay,
        fund_pay_sumamt=info.fund_pay_sumamt,
        psn_part_amt=info.psn_part_amt,
        psn_cash_pay=info.psn_cash_pay,
        orig_setl_id=info.orig_setl_id,
        setldetail=[
            FundOut(
                fund_pay_type=f.fund_pay_type,
                fund_pay_type_name=f.fund_pay_type_name,
                fund_payamt=f.fund_payamt,
                crt_payb_lmt_amt=f.crt_payb_lmt_amt,
            )
            for f in info.setldetail
        ],
        explanation=list(info.explanation),
        packs=list(info.packs),
        warnings=list(info.warnings),
    )


def _settler(request: HttpRequest) -> User:
    return api_user(request, SETTLE)


@router.post(
    "/visits",
    response={201: VisitOut, **errors(400, 403)},
    summary="Register a visit or an admission (2201 / 2401)",
)
def visit_create(request: HttpRequest, payload: VisitCreate) -> Status[VisitOut]:
    user = _settler(request)
    institution = _institution(user, payload.fixmedins_code)
    psn = payload.psn_no
    if not psn:
        psn = services.psn_no_of(
            services.find_person(payload.mdtrt_cert_type, payload.mdtrt_cert_no)
        )
    out = services.register_visit(
        user,
        institution,
        services.VisitIn(
            psn_no=psn,
            insutype=payload.insutype,
            med_type=payload.med_type,
            begntime=payload.begntime or timezone.now(),
            ipt_otp_no=payload.ipt_otp_no,
            mdtrt_cert_type=payload.mdtrt_cert_type,
            mdtrt_cert_no=payload.mdtrt_cert_no,
            dise_codg=payload.dise_codg,
            dise_name=payload.dise_name,
            insuplc_admdvs=payload.insuplc_admdvs,
            mdtrtarea_admvs=payload.mdtrtarea_admvs,
            emergency=payload.emergency,
        ),
        msgid=_msgid("V"),
    )
    return Status(201, _visit_out(Visit.objects.get(mdtrt_id=out.mdtrt_id)))


def _msgid(prefix: str) -> str:
    return f"API{prefix}{timezone.localtime():%Y%m%d%H%M%S}{secrets.token_hex(4)}"


def _own_visit(request: HttpRequest, visit_id: int) -> tuple[User, Visit]:
    user = _settler(request)
    visit = queries.visit_for(user, visit_id)
    return user, visit


@router.get(
    "/visits/{visit_id}",
    response={200: VisitOut, **errors(403, 404)},
    summary="One visit, with the total of its unsettled fee lines",
)
def visit_detail(request: HttpRequest, visit_id: int) -> VisitOut:
    user = api_user(request, queries.VIEW)
    return _visit_out(queries.visit_for(user, visit_id))


@router.post(
    "/visits/{visit_id}/fee-lines",
    response={201: FeeLinesOut, **errors(400, 403, 404)},
    summary="Send fee lines of an open visit, classified through the catalogue (2204 / 2301)",
)
def fee_lines_create(
    request: HttpRequest, visit_id: int, payload: FeeLinesIn
) -> Status[FeeLinesOut]:
    user, visit = _own_visit(request, visit_id)
    now = timezone.now()
    out = services.record_fee_lines(
        user,
        visit.institution,
        mdtrt_id=visit.mdtrt_id,
        psn_no=services.psn_no_of(visit.person),
        lines=[
            services.FeeLineIn(
                feedetl_sn=ln.feedetl_sn,
                med_list_codg=ln.med_list_codg,
                medins_list_codg=ln.medins_list_codg,
                name=ln.name,
                cnt=Decimal(ln.cnt),
                pric=ln.pric,
                det_item_fee_sumamt=ln.det_item_fee_sumamt,
                fee_ocur_time=ln.fee_ocur_time or now,
                chrg_bchno=ln.chrg_bchno,
            )
            for ln in payload.lines
        ],
        msgid=_msgid("F"),
    )
    return Status(
        201,
        FeeLinesOut(
            visit_id=visit.pk,
            lines=[
                FeeLineOut(
                    feedetl_sn=ln.feedetl_sn,
                    det_item_fee_sumamt=ln.det_item_fee_sumamt,
                    fulamt_ownpay_amt=ln.fulamt_ownpay_amt,
                    overlmt_amt=ln.overlmt_amt,
                    preselfpay_amt=ln.preselfpay_amt,
                    inscp_scp_amt=ln.inscp_scp_amt,
                    chrgitm_lv=ln.chrgitm_lv,
                    memo=ln.memo,
                )
                for ln in out.lines
            ],
        ),
    )


@router.post(
    "/visits/{visit_id}/discharge",
    response={200: VisitOut, **errors(400, 403, 404)},
    summary="Record the discharge of an admission (2402)",
)
def visit_discharge(request: HttpRequest, visit_id: int, payload: DischargeIn) -> VisitOut:
    user, visit = _own_visit(request, visit_id)
    services.discharge(
        user,
        visit.institution,
        services.DischargeIn(
            mdtrt_id=visit.mdtrt_id,
            psn_no=services.psn_no_of(visit.person),
            endtime=payload.endtime or timezone.now(),
            dise_codg=payload.dise_codg,
            dise_name=payload.dise_name,
        ),
        msgid=_msgid("D"),
    )
    visit.refresh_from_db()
    return _visit_out(visit)


def _settle_in(visit: Visit, payload: SettleBody) -> services.SettleIn:
    total = payload.medfee_sumamt
    if total is None:
        rows = visit.fee_lines.filter(status=FeeStatus.ACTIVE)
        if payload.chrg_bchno:
            rows = rows.filter(chrg_bchno=payload.chrg_bchno)
        total = sum(rows.values_list("amount", flat=True))
    return services.SettleIn(
        psn_no=services.psn_no_of(visit.person),
        mdtrt_id=visit.mdtrt_id,
        medfee_sumamt=total,
        chrg_bchno=payload.chrg_bchno,
    )


@router.post(
    "/visits/{visit_id}/preview",
    response={200: SettlementOut, **errors(400, 403, 404)},
    summary="Pre-settle a visit: the figures settlement would give now, storing nothing (2206)",
)
def visit_preview(request: HttpRequest, visit_id: int, payload: SettleBody) -> SettlementOut:
    user, visit = _own_visit(request, visit_id)
    info = services.preview(user, visit.institution, _settle_in(visit, payload))
    return _settlement_out(info, None)


@router.post(
    "/visits/{visit_id}/settle",
    response={201: SettlementOut, **errors(400, 403, 404)},
    summary="Settle a visit (2207 / 2304): the fund's and the person's parts, with the explanation",
)
def visit_settle(request: HttpRequest, visit_id: int, payload: SettleBody) -> Status[SettlementOut]:
    user, visit = _own_visit(request, visit_id)
    info = services.settle(user, visit.institution, _settle_in(visit, payload), msgid=_msgid("S"))
    row = Settlement.objects.get(setl_id=info.setl_id)
    return Status(201, _settlement_out(info, row.pk))


@router.post(
    "/settlements/{settlement_id}/cancel",
    response={201: SettlementOut, **errors(400, 403, 404)},
    summary="Cancel a settlement (2208 / 2305): a reversing settlement with negative amounts",
)
def settlement_cancel(
    request: HttpRequest, settlement_id: int, payload: CancelIn
) -> Status[SettlementOut]:
    user = _settler(request)
    row = queries.settlement_for(user, settlement_id)
    info = services.cancel(
        user,
        row.institution,
        setl_id=row.setl_id,
        mdtrt_id=row.visit.mdtrt_id,
        psn_no=services.psn_no_of(row.person),
        msgid=_msgid("C"),
    )
    reversal = Settlement.objects.get(setl_id=info.setl_id)
    return Status(201, _settlement_out(info, reversal.pk))


DAY = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"


def _day(text: str, field: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        message = _("Not a date.")
        raise ValidationFailed(message, fields={field: [message]}) from None


@router.get(
    "/settlements",
    response={200: SettlementPage, **errors(400, 403)},
    summary="Settlements in scope, newest first (filters: day range, med_type, status)",
)
def settlement_list(
    request: HttpRequest,
    day_from: str = Query("", pattern=DAY, description="YYYY-MM-DD"),
    day_to: str = Query("", pattern=DAY, description="YYYY-MM-DD"),
    med_type: str = "",
    status: str = "",
    page: int = 1,
) -> SettlementPage:
    user = api_user(request, queries.VIEW)
    rows = queries.filtered(
        user,
        queries.Filters(
            day_from=_day(day_from, "day_from"),
            day_to=_day(day_to, "day_to"),
            med_type=med_type,
            status=status,
        ),
    )
    page = max(1, min(page, 10_000))
    size = 50
    chunk = rows[(page - 1) * size : page * size]
    return SettlementPage(
        count=rows.count(),
        page=page,
        results=[
            SettlementRow(
                settlement_id=r.pk,
                setl_id=r.setl_id,
                kind=r.kind,
                status=r.status,
                institution=r.institution.code,
                med_type=r.med_type,
                setl_time=r.setl_time,
                medfee_sumamt=r.medfee_sumamt,
                fund_pay_sumamt=r.fund_pay_sumamt,
                psn_cash_pay=r.psn_cash_pay,
            )
            for r in chunk
        ],
    )


@router.get(
    "/settlements/{settlement_id}",
    response={200: SettlementOut, **errors(403, 404)},
    summary="One settlement with its funds and explanation of benefits",
)
def settlement_detail(request: HttpRequest, settlement_id: int) -> SettlementOut:
    user = api_user(request, queries.VIEW)
    row = queries.settlement_for(user, settlement_id)
    return _settlement_out(setl_info(row), row.pk)
