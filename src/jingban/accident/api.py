"""The accident insurance API under /api/v1/accident: the same services as the pages.

Staff (``accident.view``) list and read the covers, payments and claims of persons in scope; an
operator enrolls one person (``accident.enroll``) and reports a claim at a window
(``accident.claim.report``); a reviewer pays or refuses it (``accident.claim.decide``). An
insured person (``accident.own``) reads their own covers and claims and those of the persons they
are an agent of for claims, and reports an accident for them. A group's list is imported on the
pages (a file upload); claim materials are uploaded on the pages too.

Names are masked to their first character and document numbers as the registry masks them.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import StrictInt

from jingban.accident import queries, services
from jingban.accident.models import Claim, ClaimStatus, Enrollment, Outcome, Payer, Payment
from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.calendar import today as local_today
from jingban.core.errors import Forbidden, NotFound
from jingban.core.models import User
from jingban.registry.display import shown
from jingban.registry.models import Person

router = Router(tags=["accident"])
PAGE_SIZE = 50
MAX_YUAN_FEN = 10**12


def mask_name(name: str) -> str:
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class AccidentEnrollmentOut(Schema):
    id: int
    number: str = Field(description="AK<cover year><eight digits>")
    person_id: int
    name_masked: str
    document_number_masked: str
    product: str = Field(description="The product's pack id")
    start: dt.date
    end: dt.date
    premium: int = Field(description="fen")
    payment_id: int
    channel: str = Field(description="group or window")
    enrolled_on: dt.date
    pack: str


class AccidentEnrollmentPage(Schema):
    count: int
    page: int
    results: list[AccidentEnrollmentOut]


class AccidentEnrollmentIn(Schema):
    person_id: StrictInt
    start: dt.date | None = Field(default=None, description="Empty: today")
    payer: str = Field(default=Payer.PERSON, max_length=12, description=", ".join(Payer.values))
    organisation: str = Field(default="", max_length=200)

    model_config = {"json_schema_extra": {"examples": [{"person_id": 1, "payer": "person"}]}}


class AccidentPaymentOut(Schema):
    id: int
    number: str
    product: str
    payer: str = Field(description=", ".join(Payer.values))
    organisation: str
    region: str = Field(description="Region code")
    count: int
    premium_each: int = Field(description="fen")
    amount: int = Field(description="fen: count × premium_each")
    paid_on: dt.date


class AccidentPaymentPage(Schema):
    count: int
    page: int
    results: list[AccidentPaymentOut]


class AccidentLineOut(Schema):
    benefit: str = Field(description="medical, allowance, disability or death")
    base: int = Field(description="fen: the expenses, the days × the daily sum, the sum insured")
    paid: int = Field(description="fen")
    parts: list[tuple[str, int]] = Field(description="What is not paid and why (fen); the base")
    text: str = Field(description="The explanation in the request's language")


class AccidentClaimOut(Schema):
    id: int
    number: str = Field(description="LP<year reported><seven digits>")
    person_id: int
    name_masked: str
    enrollment_id: int
    accident_date: dt.date
    medical_expenses: int = Field(description="fen")
    hospital_days: int
    outcome: str = Field(description=", ".join(Outcome.values))
    disability_grade: int | None
    status: str = Field(description=", ".join(ClaimStatus.values))
    reported_on: dt.date
    amount: int = Field(description="fen paid (0 until paid)")
    lines: list[AccidentLineOut]
    refusal_reason: str
    pack: str


class AccidentClaimPage(Schema):
    count: int
    page: int
    results: list[AccidentClaimOut]


class AccidentClaimIn(Schema):
    person_id: StrictInt
    accident_date: dt.date | None = Field(default=None, description="Empty: today")
    description: str = Field(max_length=500)
    medical_expenses: int = Field(default=0, ge=0, le=MAX_YUAN_FEN, description="fen")
    hospital_days: int = Field(default=0, ge=0, le=3660)
    outcome: str = Field(default=Outcome.NONE, max_length=12, description=", ".join(Outcome.values))
    disability_grade: int | None = Field(default=None, ge=1, le=10)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "person_id": 1,
                    "description": "在家中滑倒，右腕骨折",
                    "medical_expenses": 320000,
                    "hospital_days": 6,
                }
            ]
        }
    }


class AccidentReasonIn(Schema):
    reason: str = Field(default="", max_length=500)

    model_config = {"json_schema_extra": {"examples": [{"reason": "事故不属于意外伤害"}]}}


def _enrollment_out(e: Enrollment) -> AccidentEnrollmentOut:
    person: Person = e.person
    return AccidentEnrollmentOut(
        id=e.pk,
        number=e.number,
        person_id=person.pk,
        name_masked=mask_name(person.name),
        document_number_masked=shown(person).document,
        product=e.product,
        start=e.start,
        end=e.end,
        premium=e.premium,
        payment_id=e.payment_id,
        channel=e.channel,
        enrolled_on=e.enrolled_on,
        pack=e.pack,
    )


def _payment_out(p: Payment) -> AccidentPaymentOut:
    return AccidentPaymentOut(
        id=p.pk,
        number=p.number,
        product=p.product,
        payer=p.payer,
        organisation=p.organisation,
        region=p.region.code,
        count=p.count,
        premium_each=p.premium_each,
        amount=p.amount,
        paid_on=p.paid_on,
    )


def _claim_out(c: Claim) -> AccidentClaimOut:
    return AccidentClaimOut(
        id=c.pk,
        number=c.number,
        person_id=c.person_id,
        name_masked=mask_name(c.person.name),
        enrollment_id=c.enrollment_id,
        accident_date=c.accident_date,
        medical_expenses=c.medical_expenses,
        hospital_days=c.hospital_days,
        outcome=c.outcome,
        disability_grade=c.disability_grade,
        status=c.status,
        reported_on=c.reported_on,
        amount=c.amount,
        lines=[
            AccidentLineOut(
                benefit=str(line["benefit"]),
                base=int(line["base"]),
                paid=int(line["paid"]),
                parts=[(str(k), int(v)) for k, v in line["parts"]],
                text=services.line_text(line),
            )
            for line in (c.explanation or [])
        ],
        refusal_reason=c.refusal_reason,
        pack=c.pack,
    )


def _reader(request: HttpRequest) -> User:
    user = api_user(request)
    if not (user.can(services.VIEW) or user.can(services.OWN)):
        raise Forbidden()
    return user


def _page(page: int) -> tuple[int, int]:
    page = max(1, min(page, 1_000_000))
    return page, (page - 1) * PAGE_SIZE


@router.get(
    "/enrollments",
    response={200: AccidentEnrollmentPage, **errors(403)},
    summary="Accident insurance covers in one's scope (one's own for an insured person)",
)
def enrollment_list(
    request: HttpRequest, person_id: int | None = None, page: int = 1
) -> AccidentEnrollmentPage:
    rows = queries.enrollments_for(_reader(request))
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    page, start = _page(page)
    count = rows.count()
    chosen = list(rows[start : start + PAGE_SIZE]) if start < count else []
    return AccidentEnrollmentPage(
        count=count, page=page, results=[_enrollment_out(e) for e in chosen]
    )


@router.post(
    "/enrollments",
    response={201: AccidentEnrollmentOut, **errors(400, 403, 404)},
    summary="Enroll one person at a window (the premium paid by the person, a community or "
    "the government)",
)
def enrollment_create(
    request: HttpRequest, payload: AccidentEnrollmentIn
) -> Status[AccidentEnrollmentOut]:
    user = api_user(request, services.ENROLL)
    person = Person.objects.select_related("region").filter(pk=payload.person_id).first()
    if person is None:
        raise NotFound()
    enrollment = services.enroll(
        person,
        start=payload.start,
        payer=payload.payer,
        organisation=payload.organisation,
        acting_user=user,
    )
    return Status(201, _enrollment_out(queries.enrollments_for(user).get(pk=enrollment.pk)))


@router.get(
    "/enrollments/{int:pk}",
    response={200: AccidentEnrollmentOut, **errors(403, 404)},
    summary="One accident insurance cover",
)
def enrollment_detail(request: HttpRequest, pk: int) -> AccidentEnrollmentOut:
    return _enrollment_out(queries.enrollment_for(_reader(request), pk))


@router.get(
    "/payments",
    response={200: AccidentPaymentPage, **errors(403)},
    summary="Premium payments (groups' and persons') in one's region",
)
def payment_list(request: HttpRequest, page: int = 1) -> AccidentPaymentPage:
    rows = queries.payments_for(api_user(request, services.VIEW))
    page, start = _page(page)
    count = rows.count()
    chosen = list(rows[start : start + PAGE_SIZE]) if start < count else []
    return AccidentPaymentPage(count=count, page=page, results=[_payment_out(p) for p in chosen])


@router.get(
    "/payments/{int:pk}",
    response={200: AccidentPaymentOut, **errors(403, 404)},
    summary="One premium payment",
)
def payment_detail(request: HttpRequest, pk: int) -> AccidentPaymentOut:
    return _payment_out(queries.payment_for(api_user(request, services.VIEW), pk))


@router.get(
    "/claims",
    response={200: AccidentClaimPage, **errors(403)},
    summary="Accident claims in one's scope (one's own for an insured person), newest first",
)
def claim_list(
    request: HttpRequest, status: str = "", person_id: int | None = None, page: int = 1
) -> AccidentClaimPage:
    rows = queries.claims_for(_reader(request))
    if status:
        rows = rows.filter(status=status)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    page, start = _page(page)
    count = rows.count()
    chosen = list(rows[start : start + PAGE_SIZE]) if start < count else []
    return AccidentClaimPage(count=count, page=page, results=[_claim_out(c) for c in chosen])


@router.post(
    "/claims",
    response={201: AccidentClaimOut, **errors(400, 403, 404)},
    summary="Report an accident (an operator at a window, or the insured person for themself "
    "or as an agent)",
)
def claim_create(request: HttpRequest, payload: AccidentClaimIn) -> Status[AccidentClaimOut]:
    user = api_user(request)
    if not (user.can(services.REPORT) or user.can(services.OWN)):
        raise Forbidden()
    person = Person.objects.select_related("region").filter(pk=payload.person_id).first()
    if person is None:
        raise NotFound()
    claim = services.report_claim(
        services.ClaimData(
            person=person,
            accident_date=payload.accident_date or local_today(),
            description=payload.description,
            medical_expenses=payload.medical_expenses,
            hospital_days=payload.hospital_days,
            outcome=payload.outcome,
            disability_grade=payload.disability_grade,
        ),
        acting_user=user,
    )
    return Status(201, _claim_out(queries.claims_for(user).get(pk=claim.pk)))


@router.get(
    "/claims/{int:pk}",
    response={200: AccidentClaimOut, **errors(403, 404)},
    summary="One accident claim, with the explanation of its amount once paid",
)
def claim_detail(request: HttpRequest, pk: int) -> AccidentClaimOut:
    return _claim_out(queries.claim_for(_reader(request), pk))


@router.post(
    "/claims/{int:pk}/pay",
    response={200: AccidentClaimOut, **errors(400, 403, 404)},
    summary="Review a reported claim and pay what the pack's rules give",
)
def claim_pay(request: HttpRequest, pk: int) -> AccidentClaimOut:
    user = api_user(request, services.DECIDE)
    claim = services.pay(queries.claim_for(user, pk), acting_user=user)
    return _claim_out(queries.claims_for(user).get(pk=claim.pk))


@router.post(
    "/claims/{int:pk}/refuse",
    response={200: AccidentClaimOut, **errors(400, 403, 404)},
    summary="Refuse a reported claim, with the reason",
)
def claim_refuse(request: HttpRequest, pk: int, payload: AccidentReasonIn) -> AccidentClaimOut:
    user = api_user(request, services.DECIDE)
    claim = services.refuse(queries.claim_for(user, pk), payload.reason, acting_user=user)
    return _claim_out(queries.claims_for(user).get(pk=claim.pk))
