"""The reimbursement API under /api/v1/reimbursements: the same services and rules as the pages.

Staff (``reimburse.reimbursement.view``) list and read the applications of persons in scope; the
reviewer asks for more materials, approves (settled through the engine) or rejects; an operator
takes an application at a window and records the payment. An insured person lists and reads
their own and their principals' applications, applies, lists the materials and withdraws.
Materials are files: over the API a window application names the paper materials the operator
checked (``paper_checked``); uploads go through the pages (the files app's checks).

Names are masked to their first character, document numbers as the registry masks them, and the
bank account as ``6222 **** **** 1234``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.errors import Forbidden, NotFound
from jingban.core.models import Organisation, User
from jingban.registry.display import shown
from jingban.registry.models import Person
from jingban.reimburse import queries, services
from jingban.reimburse.models import Cause, Reimbursement, VisitKind
from jingban.reimburse.models import Status as RStatus
from jingban.reimburse.rules import pack_of, rules_of

router = Router(tags=["reimburse"])
PAGE_SIZE = 50


class ReimbursementOut(Schema):
    id: int
    number: str = Field(description="BX<year received><seven digits>")
    person_id: int
    name_masked: str
    document_number_masked: str
    institution_code: str
    institution_name: str
    visit_kind: str = Field(description=", ".join(VisitKind.values))
    cause: str = Field(description=", ".join(Cause.values))
    admitted_on: dt.date
    discharged_on: dt.date | None
    total: int = Field(description="fen")
    status: str = Field(description=", ".join(RStatus.values))
    channel: str
    received_on: dt.date
    deadline: dt.date | None = Field(description="None while the clock is stopped")
    days_left: int | None = Field(description="Working days left while the clock is stopped")
    requested_items: list[str]
    request_reason: str
    reject_reason: str
    settlement_id: str = Field(description="The manual settlement's number, once approved")
    fund_amount: int = Field(description="fen: the public funds' part")
    supplementary_amount: int = Field(description="fen: the supplementary cover's part")
    payable: int = Field(description="fen: paid to the person")
    account_masked: str
    paid_on: dt.date | None
    pack: str


class ReimbursementPage(Schema):
    count: int
    page: int
    results: list[ReimbursementOut]


class ReimbursementInvoiceIn(Schema):
    code: str = Field(max_length=20)
    number: str = Field(max_length=20)
    check_code: str = Field(default="", max_length=20)
    amount: StrictInt = Field(description="fen")
    issued_on: dt.date


class ReimbursementLineIn(Schema):
    code: str = Field(max_length=60)
    name: str = Field(max_length=200)
    quantity: str = Field(max_length=20, description="A decimal number, e.g. 3 or 0.5")
    price: StrictInt = Field(description="fen")
    amount: StrictInt = Field(description="fen")


# A window application that can succeed in the demo world: an outpatient visit at the demo
# hospital in 2026, one invoice, one class A item of the 2026 sample catalogue (阿莫西林胶囊),
# the paper originals of an outpatient case checked by the operator. The fuzzer puts a real
# person in ``person_id``.
_APPLICATION_EXAMPLE: dict[str, Any] = {
    "person_id": 1,
    "institution_code": "SZ-HOSP-1",
    "visit_kind": "outpatient",
    "cause": "illness",
    "admitted_on": "2026-06-01",
    "discharged_on": None,
    "diagnosis_code": "",
    "referral": False,
    "bank_name": "中国工商银行",
    "account_holder": "陈秀英",
    "account_number": "6222020200112345678",
    "invoices": [
        {
            "code": "032001900104",
            "number": "10000001",
            "check_code": "",
            "amount": 20000,
            "issued_on": "2026-06-01",
        }
    ],
    "lines": [
        {
            "code": "XJ01CAA381A0010100000",
            "name": "阿莫西林胶囊",
            "quantity": "4",
            "price": 5000,
            "amount": 20000,
        }
    ],
    "paper_checked": ["id_card", "invoices", "itemised_bill", "diagnosis"],
}


class ReimbursementIn(Schema):
    model_config = {"json_schema_extra": {"examples": [_APPLICATION_EXAMPLE]}}

    person_id: StrictInt
    institution_code: str = Field(max_length=40)
    visit_kind: str = Field(max_length=12, description=", ".join(VisitKind.values))
    cause: str = Field(max_length=12, description=", ".join(Cause.values))
    admitted_on: dt.date
    discharged_on: dt.date | None = None
    diagnosis_code: str = Field(default="", max_length=30)
    referral: StrictBool = False
    bank_name: str = Field(max_length=60)
    account_holder: str = Field(max_length=60)
    account_number: str = Field(max_length=40)
    invoices: list[ReimbursementInvoiceIn] = Field(max_length=50)
    lines: list[ReimbursementLineIn] = Field(max_length=500)
    paper_checked: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Materials (the pack's keys) an operator checked on paper at the window",
    )


class ReimbursementReasonIn(Schema):
    reason: str = Field(default="", max_length=500)

    model_config = {"json_schema_extra": {"examples": [{"reason": "票据与费用明细不符"}]}}


class ReimbursementMoreIn(Schema):
    reason: str = Field(default="", max_length=500)
    items: list[str] = Field(default_factory=list, max_length=20)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"reason": "请补交清晰的门诊病历", "items": ["diagnosis"]},
                {"reason": "请补交费用明细清单", "items": ["itemised_bill"]},
            ]
        }
    }


class ReimbursementPayIn(Schema):
    reference: str = Field(default="", max_length=60)

    model_config = {"json_schema_extra": {"examples": [{"reference": "BANK-20260101-0001"}]}}


class ReimbursementMaterialOut(Schema):
    kind: str
    label: str
    file_id: int | None
    file_name: str


def _mask_name(name: str) -> str:
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def _out(item: Reimbursement) -> ReimbursementOut:
    person: Person = item.person
    return ReimbursementOut(
        id=item.pk,
        number=item.number,
        person_id=person.pk,
        name_masked=_mask_name(person.name),
        document_number_masked=shown(person).document,
        institution_code=item.institution.code,
        institution_name=item.institution.name,
        visit_kind=item.visit_kind,
        cause=item.cause,
        admitted_on=item.admitted_on,
        discharged_on=item.discharged_on,
        total=item.total,
        status=item.status,
        channel=item.channel,
        received_on=item.received_on,
        deadline=item.deadline,
        days_left=item.days_left,
        requested_items=list(item.requested_items or []),
        request_reason=item.request_reason,
        reject_reason=item.reject_reason,
        settlement_id=item.settlement.setl_id if item.settlement is not None else "",
        fund_amount=item.fund_amount,
        supplementary_amount=item.supplementary_amount,
        payable=item.payable,
        account_masked=services.mask_account(item.account_number),
        paid_on=item.paid_on,
        pack=item.pack,
    )


def _reader(request: HttpRequest) -> User:
    user = api_user(request)
    if not (user.can(services.VIEW) or user.can(services.OWN)):
        raise Forbidden()
    return user


def _fresh(user: User, pk: int) -> ReimbursementOut:
    return _out(queries.reimbursements_for(user).select_related("settlement").get(pk=pk))


@router.get(
    "",
    response={200: ReimbursementPage, **errors(403)},
    summary="Manual reimbursements in one's scope (one's own for an insured person), by review "
    "deadline, optionally of one status and person",
)
def reimbursement_list(
    request: HttpRequest, status: str = "", person_id: int | None = None, page: int = 1
) -> ReimbursementPage:
    user = _reader(request)
    rows = queries.reimbursements_for(user).select_related("settlement")
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if status:
        rows = rows.filter(status=status)
    rows = rows.order_by("deadline", "received_on", "pk")
    page = max(1, min(page, 1_000_000))
    start = (page - 1) * PAGE_SIZE
    count = rows.count()
    chosen = list(rows[start : start + PAGE_SIZE]) if start < count else []
    return ReimbursementPage(count=count, page=page, results=[_out(r) for r in chosen])


@router.post(
    "",
    response={201: ReimbursementOut, **errors(400, 403, 404)},
    summary="Apply for a manual reimbursement (an operator at a window with the paper materials "
    "checked, or the insured person for themself or as an agent)",
)
def reimbursement_apply(request: HttpRequest, payload: ReimbursementIn) -> Status[ReimbursementOut]:
    user = api_user(request)
    if not (user.can(services.RECORD) or user.can(services.OWN)):
        raise Forbidden()
    person = Person.objects.select_related("region").filter(pk=payload.person_id).first()
    if person is None:
        raise NotFound()
    institution = (
        Organisation.objects.select_related("region")
        .filter(code=payload.institution_code.strip())
        .first()
    )
    item = services.apply(
        services.ApplicationInput(
            person=person,
            institution=institution,
            visit_kind=payload.visit_kind,
            cause=payload.cause,
            admitted_on=payload.admitted_on,
            discharged_on=payload.discharged_on,
            diagnosis_code=payload.diagnosis_code,
            referral=payload.referral,
            bank_name=payload.bank_name,
            account_holder=payload.account_holder,
            account_number=payload.account_number,
            invoices=[
                services.InvoiceInput(i.code, i.number, i.amount, i.issued_on, i.check_code)
                for i in payload.invoices
            ],
            lines=[
                services.LineInput(ln.code, ln.name, ln.quantity, ln.price, ln.amount)
                for ln in payload.lines
            ],
            paper_checked=list(payload.paper_checked),
        ),
        acting_user=user,
    )
    return Status(201, _fresh(user, item.pk))


@router.get(
    "/{int:pk}",
    response={200: ReimbursementOut, **errors(403, 404)},
    summary="One manual reimbursement",
)
def reimbursement_detail(request: HttpRequest, pk: int) -> ReimbursementOut:
    user = _reader(request)
    queries.reimbursement_for(user, pk)
    return _fresh(user, pk)


@router.get(
    "/{int:pk}/materials",
    response={200: list[ReimbursementMaterialOut], **errors(403, 404)},
    summary="The materials of a reimbursement: those handed in, then those asked for",
)
def reimbursement_materials(request: HttpRequest, pk: int) -> list[ReimbursementMaterialOut]:
    item = queries.reimbursement_for(_reader(request), pk)
    pack = pack_of(item.person.region.code, item.received_on, item.pack)
    rules = rules_of(pack) if pack is not None else None
    found = [
        ReimbursementMaterialOut(
            kind=m.kind,
            label=services.material_label(m.kind, rules),
            file_id=m.file_id,
            file_name=m.file.original_name if m.file is not None else "",
        )
        for m in item.materials.select_related("file")
    ]
    return found


@router.post(
    "/{int:pk}/request-more",
    response={200: ReimbursementOut, **errors(400, 403, 404, 409)},
    summary="Ask for more materials (the review clock stops)",
)
def reimbursement_request_more(
    request: HttpRequest, pk: int, payload: ReimbursementMoreIn
) -> ReimbursementOut:
    user = api_user(request, services.REVIEW)
    item = queries.reimbursement_for(user, pk)
    services.request_more(item, payload.reason, payload.items, acting_user=user)
    return _fresh(user, pk)


@router.post(
    "/{int:pk}/resubmit",
    response={200: ReimbursementOut, **errors(400, 403, 404, 409)},
    summary="Hand in the materials asked for (an operator who checked them on paper at the "
    "window; the person uploads them on the page): the clock restarts with the days left",
)
def reimbursement_resubmit(
    request: HttpRequest, pk: int, payload: ReimbursementMoreIn
) -> ReimbursementOut:
    user = api_user(request, services.RECORD)
    item = queries.reimbursement_for(user, pk)
    services.resubmit(item, [], paper_checked=payload.items, acting_user=user)
    return _fresh(user, pk)


@router.post(
    "/{int:pk}/approve",
    response={200: ReimbursementOut, **errors(400, 403, 404, 409)},
    summary="Approve: the bill is settled through the engine (manual channel)",
)
def reimbursement_approve(request: HttpRequest, pk: int) -> ReimbursementOut:
    user = api_user(request, services.REVIEW)
    item = queries.reimbursement_for(user, pk)
    services.approve(item, acting_user=user)
    return _fresh(user, pk)


@router.post(
    "/{int:pk}/reject",
    response={200: ReimbursementOut, **errors(400, 403, 404, 409)},
    summary="Reject, with the reason the person is told",
)
def reimbursement_reject(
    request: HttpRequest, pk: int, payload: ReimbursementReasonIn
) -> ReimbursementOut:
    user = api_user(request, services.REVIEW)
    item = queries.reimbursement_for(user, pk)
    services.reject(item, payload.reason, acting_user=user)
    return _fresh(user, pk)


@router.post(
    "/{int:pk}/pay",
    response={200: ReimbursementOut, **errors(400, 403, 404, 409)},
    summary="Record the payment of an approved reimbursement",
)
def reimbursement_pay(
    request: HttpRequest, pk: int, payload: ReimbursementPayIn
) -> ReimbursementOut:
    user = api_user(request, services.PAY)
    item = queries.reimbursement_for(user, pk)
    services.pay(item, payload.reference, acting_user=user)
    return _fresh(user, pk)


@router.post(
    "/{int:pk}/withdraw",
    response={200: ReimbursementOut, **errors(403, 404, 409)},
    summary="Withdraw an application not yet decided (the person, their agent or an operator)",
)
def reimbursement_withdraw(request: HttpRequest, pk: int) -> ReimbursementOut:
    user = api_user(request)
    if not (user.can(services.RECORD) or user.can(services.OWN)):
        raise Forbidden()
    item = queries.reimbursement_for(user, pk)
    services.withdraw(item, acting_user=user)
    return _fresh(user, pk)
