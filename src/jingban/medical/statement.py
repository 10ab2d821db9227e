"""医疗费用结算单 (the settlement statement): one settlement, direct or reimbursed by hand, as an
official PDF with a verification code (``DocumentKind.SETTLEMENT_STATEMENT``).

The statement is the settlement row as written: its figures are the row's, in yuan with two
decimals; its explanation is the engine's rule texts stored with the row (a reversal prints the
explanation of the settlement it cancels). The person is shown by name, sex and masked document
number only: never the birth date or the whole number. Each download is a new document with its
own number and code, recorded (``documents.document.issued``) in the same transaction as the
rendering, so a statement that could not be made is not on record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.models import User
from jingban.documents import render
from jingban.documents.models import DocumentKind
from jingban.documents.services import issue_document
from jingban.engine.codes import CrossRegion
from jingban.engine.money import fen_to_yuan_text
from jingban.engine.policy.meta import CROSS_REGION_LABELS
from jingban.medical.models import Settlement, SettlementKind, SettlementLine, SettlementStatus
from jingban.packs.models import PackVersion
from jingban.registry.documents import mask_document

SETTLEMENT_OBJECT = "medical.settlement"
TEMPLATE = "medical/pdf/statement.html"

# The statement's amounts, in the order of a 医疗费用结算单 (the row's fields, fen).
AMOUNTS = (
    ("medfee_sumamt", _("Total fees")),
    ("fulamt_ownpay_amt", _("Fully self-paid")),
    ("overlmt_selfpay", _("Above price limits")),
    ("preselfpay_amt", _("Class B first payment")),
    ("inscp_scp_amt", _("In scope")),
    ("act_pay_dedc", _("Deductible")),
    ("hifp_pay", _("Basic fund")),
    ("hifmi_pay", _("Critical illness insurance")),
    ("maf_pay", _("Medical assistance")),
    ("oth_pay", _("Supplementary insurance")),
    ("fund_pay_sumamt", _("Funds in total")),
    ("psn_part_amt", _("Person's part")),
    ("psn_cash_pay", _("Paid in cash")),
)


@dataclass(frozen=True)
class Pdf:
    number: str
    content: bytes


@dataclass(frozen=True)
class Amount:
    field: str
    label: str
    yuan: str


def amounts(row: Settlement) -> list[Amount]:
    """The statement's figures: each of the row's amounts in yuan with two decimals."""
    return [
        Amount(name, str(label), fen_to_yuan_text(getattr(row, name))) for name, label in AMOUNTS
    ]


def pack_titles(row: Settlement) -> list[str]:
    """The titles (Chinese) of the packs the settlement used, in the engine's order; a pack no
    longer on record shows its reference (``id@version``)."""
    refs = [str(p.get("ref", "")) for p in row.packs]
    keys = [ref.partition("@") for ref in refs]
    wanted = [(pid, int(v)) for pid, _at, v in keys if v.isdigit()]
    titles: dict[tuple[str, int], str] = {}
    if wanted:
        for pack_id, version, title in PackVersion.objects.filter(
            pack_id__in={pid for pid, _v in wanted}
        ).values_list("pack_id", "version", "title_zh"):
            titles[(pack_id, version)] = title
    shown = []
    for ref, (pid, _at, v) in zip(refs, keys, strict=True):
        found = titles.get((pid, int(v))) if v.isdigit() else None
        shown.append(f"{found}（{ref}）" if found else ref)
    return shown


def cross_region_label(row: Settlement) -> str:
    try:
        return CROSS_REGION_LABELS[CrossRegion(row.cross_region)][0]
    except (ValueError, KeyError):
        return row.cross_region


@dataclass(frozen=True)
class Line:
    label: str
    yuan: str
    rule: str


def explanation(row: Settlement) -> list[Line]:
    """The engine's lines in Chinese (label, amount in yuan, rule text): a reversal has none of
    its own and prints its original's, as they were."""
    source = row.original if row.kind == SettlementKind.REVERSAL and row.original else row
    return [
        Line(ln.label_zh, fen_to_yuan_text(ln.amount), ln.rule_zh)
        for ln in SettlementLine.objects.filter(settlement=source).order_by("position")
    ]


def context(row: Settlement) -> dict[str, object]:
    """What the template needs besides the document and its code."""
    person = row.person
    visit = row.visit
    reversal = (
        Settlement.objects.filter(original=row).first()
        if row.status == SettlementStatus.CANCELLED
        else None
    )
    return {
        "row": row,
        "person": person,
        "masked_document": mask_document(person.document_type, person.document_number),
        "visit": visit,
        "amounts": amounts(row),
        "lines": explanation(row),
        "cross_region": cross_region_label(row),
        "packs": pack_titles(row),
        "reversal": reversal,
        "setl_time": timezone.localtime(row.setl_time),
        "begntime": timezone.localtime(visit.begntime),
        "endtime": timezone.localtime(visit.endtime) if visit.endtime else None,
    }


def issue(row: Settlement, *, acting_user: User, verify_url: str) -> Pdf:
    """Issue and render the statement of a settlement the caller found in scope."""
    with transaction.atomic():
        issued = issue_document(
            DocumentKind.SETTLEMENT_STATEMENT,
            object_type=SETTLEMENT_OBJECT,
            object_id=row.setl_id,
            region_path=row.region_path,
            acting_user=acting_user,
        )
        content = render.render_pdf(
            TEMPLATE,
            {
                **context(row),
                "document": issued.document,
                "code": issued.code,
                "verify_url": verify_url,
            },
        )
    return Pdf(issued.document.number, content)
