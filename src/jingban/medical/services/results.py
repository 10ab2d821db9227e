"""A settlement row as the interface's ``setlinfo`` (``SetlInfo``)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from jingban.engine.money import fen_to_yuan_text
from jingban.medical.codes import FUND_LABELS
from jingban.medical.models import Settlement, SettlementFund, SettlementLine
from jingban.medical.services.common import psn_no
from jingban.medical.services.types import FundPart, SetlInfo
from jingban.registry.documents import mask_document
from jingban.registry.models import DocumentType

# 人员证件类型: 01 居民身份证; other documents 99 (其他) in this subset.
_CERT_TYPES: dict[str, str] = {DocumentType.RESIDENT_ID.value: "01"}


def _age(born: object, on: object) -> int:
    b, d = born, on
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))  # type: ignore[attr-defined]


def fund_part(fund: SettlementFund) -> FundPart:
    return FundPart(
        fund_pay_type=fund.fund_pay_type,
        fund_pay_type_name=str(FUND_LABELS.get(fund.fund_pay_type, fund.fund_pay_type)),
        inscp_scp_amt=fund.inscp_scp_amt,
        crt_payb_lmt_amt=fund.crt_payb_lmt_amt,
        fund_payamt=fund.fund_payamt,
        setl_proc_info="",
    )


def setl_info(
    row: Settlement,
    *,
    funds: Sequence[SettlementFund] | None = None,
    lines: Sequence[SettlementLine] | None = None,
    warnings: Sequence[str] | None = None,
) -> SetlInfo:
    """``row`` (saved, or the unsaved row of a pre-settlement) as ``SetlInfo``. ``funds`` and
    ``lines`` default to the saved row's own."""
    person = row.person
    if funds is None:
        funds = list(row.funds.all())
    if lines is None:
        lines = list(row.lines.all()) if row.pk else []
    if warnings is None:
        warnings = (
            [w for w in row.fee_lines.exclude(warning="").values_list("warning", flat=True)]
            if row.pk and row.kind == "settlement"
            else []
        )
    day = timezone.localtime(row.setl_time).date()
    explanation = tuple(
        f"{line.label_zh}: {fen_to_yuan_text(line.amount)}"
        + (f" ({line.rule_zh})" if line.rule_zh else "")
        for line in lines
    )
    return SetlInfo(
        setl_id=row.setl_id,
        mdtrt_id=row.visit.mdtrt_id,
        psn_no=psn_no(row.person_id),
        psn_name=person.name,
        psn_cert_type=_CERT_TYPES.get(person.document_type, "99"),
        certno=mask_document(person.document_type, person.document_number),
        gend={"M": "1", "F": "2"}.get(person.sex, "9"),
        brdy=person.birth_date,
        age=_age(person.birth_date, day),
        insutype=row.insutype,
        psn_type="1",
        med_type=row.med_type,
        setl_time=row.setl_time,
        mdtrt_cert_type="02",
        medfee_sumamt=row.medfee_sumamt,
        fulamt_ownpay_amt=row.fulamt_ownpay_amt,
        overlmt_selfpay=row.overlmt_selfpay,
        preselfpay_amt=row.preselfpay_amt,
        inscp_scp_amt=row.inscp_scp_amt,
        act_pay_dedc=row.act_pay_dedc,
        hifp_pay=row.hifp_pay,
        pool_prop_selfpay=Decimal(row.pool_prop_selfpay),
        cvlserv_pay=0,
        hifes_pay=0,
        hifmi_pay=row.hifmi_pay,
        hifob_pay=0,
        maf_pay=row.maf_pay,
        oth_pay=row.oth_pay,
        fund_pay_sumamt=row.fund_pay_sumamt,
        psn_part_amt=row.psn_part_amt,
        acct_pay=row.acct_pay,
        psn_cash_pay=row.psn_cash_pay,
        hosp_part_amt=0,
        balc=0,
        acct_mulaid_pay=0,
        medins_setl_id=row.msgid,
        clr_optins=row.clr_optins,
        clr_way="1",
        clr_type="21" if row.visit.inpatient else "11",
        status=row.status,
        orig_setl_id=row.original.setl_id if row.original is not None else "",
        setldetail=tuple(fund_part(f) for f in funds),
        explanation=explanation,
        packs=tuple(f"{p['ref']}#{p['hash']}" for p in row.packs),
        warnings=tuple(warnings),
    )
