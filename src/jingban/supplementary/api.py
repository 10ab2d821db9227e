"""The supplementary insurance API under /api/v1/supplementary: the same services as the pages.

Staff (``supplementary.enrollment.view``) read the enrollments, premiums and claims of persons
in scope; an insured person (``supplementary.own.enroll``) their own and their principals'.
Enrolling, paying, cancelling and claiming are services (``supplementary.services``) without an
API operation yet: the API's fuzzing needs every operation to be able to succeed, and
enrolling succeeds only inside the window (docs/supplementary.md).
The co-insurer's staff get nothing here (their statements are the co-insurance app's).
Names are masked to their first character. Amounts are in fen."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.errors import Forbidden
from jingban.core.models import User
from jingban.supplementary import queries, rules
from jingban.supplementary.models import Channel, Claim, Enrollment, Premium

router = Router(tags=["supplementary"])
PAGE_SIZE = 50


class SupplementaryProductOut(Schema):
    id: str = Field(description="The product's pack id")
    version: int
    title: str
    premium: int = Field(description="Annual premium, fen")
    deductible: int = Field(description="Annual deductible, fen")
    in_catalogue_ratio: str
    in_catalogue_limit: int = Field(description="fen")
    out_of_catalogue_ratio: str
    out_of_catalogue_limit: int = Field(description="fen")
    visit_types: list[str]
    window_opens: dt.date
    window_closes: dt.date
    cover_year: int


class SupplementaryEnrollmentOut(Schema):
    id: int
    person_id: int
    name_masked: str
    product: str
    year: int
    channel: str = Field(description=", ".join(Channel.values))
    status: str
    enrolled_on: dt.date
    paid_on: dt.date | None
    cancelled_on: dt.date | None


class SupplementaryEnrollmentPage(Schema):
    count: int
    page: int
    results: list[SupplementaryEnrollmentOut]


class SupplementaryPremiumOut(Schema):
    id: int
    enrollment_id: int
    product: str
    amount: int = Field(description="fen; a refund is negative")
    method: str
    day: dt.date
    refund: bool


class SupplementaryClaimOut(Schema):
    id: int
    enrollment_id: int
    product: str
    setl_id: str
    kind: str
    amount: int = Field(description="fen; a reversal is negative")
    in_catalogue: int
    out_of_catalogue: int
    deductible: int
    day: dt.date


def _mask(name: str) -> str:
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def _enrollment_out(row: Enrollment) -> SupplementaryEnrollmentOut:
    return SupplementaryEnrollmentOut(
        id=row.pk,
        person_id=row.person_id,
        name_masked=_mask(row.person.name),
        product=row.product,
        year=row.year,
        channel=row.channel,
        status=row.status,
        enrolled_on=row.enrolled_on,
        paid_on=row.paid_on,
        cancelled_on=row.cancelled_on,
    )


def _premium_out(row: Premium) -> SupplementaryPremiumOut:
    return SupplementaryPremiumOut(
        id=row.pk,
        enrollment_id=row.enrollment_id,
        product=row.enrollment.product,
        amount=row.amount,
        method=row.method,
        day=row.day,
        refund=row.refund,
    )


def _claim_out(row: Claim) -> SupplementaryClaimOut:
    return SupplementaryClaimOut(
        id=row.pk,
        enrollment_id=row.enrollment_id,
        product=row.enrollment.product,
        setl_id=row.settlement.setl_id,
        kind=row.kind,
        amount=row.amount,
        in_catalogue=row.in_catalogue,
        out_of_catalogue=row.out_of_catalogue,
        deductible=row.deductible,
        day=row.day,
    )


def _reader(request: HttpRequest) -> User:
    user = api_user(request)
    if not (user.can(queries.VIEW) or user.can(queries.OWN)):
        raise Forbidden()
    return user


def product_out(pack: object, today: dt.date) -> SupplementaryProductOut:
    from jingban.engine.policy.loader import PolicyPack

    assert isinstance(pack, PolicyPack)
    product = pack.supplementary.supplementary
    year = rules.cover_year_open_on(today) or today.year + 1
    window = rules.window_for(year)
    return SupplementaryProductOut(
        id=pack.id,
        version=pack.version,
        title=product.label.zh,
        premium=product.premium,
        deductible=product.deductible,
        in_catalogue_ratio=str(product.in_catalogue.ratio),
        in_catalogue_limit=product.in_catalogue.annual_limit,
        out_of_catalogue_ratio=str(product.out_of_catalogue.ratio),
        out_of_catalogue_limit=product.out_of_catalogue.annual_limit,
        visit_types=[v.value for v in product.visit_types],
        window_opens=window.opens,
        window_closes=window.closes,
        cover_year=year,
    )


@router.get(
    "/products",
    response={200: list[SupplementaryProductOut], **errors(403)},
    summary="The supplementary products on sale, with the enrollment window",
)
def supplementary_products(request: HttpRequest) -> list[SupplementaryProductOut]:
    _reader(request)
    from jingban.core.calendar import today

    day = today()
    return [product_out(p, day) for p in rules.products()]


@router.get(
    "/enrollments",
    response={200: SupplementaryEnrollmentPage, **errors(403)},
    summary="Supplementary enrollments in one's scope (one's own for an insured person)",
)
def supplementary_enrollments(
    request: HttpRequest, person_id: int | None = None, page: int = 1
) -> SupplementaryEnrollmentPage:
    user = _reader(request)
    rows = queries.enrollments_for(user)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    page = max(1, min(page, 1_000_000))
    start = (page - 1) * PAGE_SIZE
    count = rows.count()
    chosen = list(rows[start : start + PAGE_SIZE]) if start < count else []
    return SupplementaryEnrollmentPage(
        count=count, page=page, results=[_enrollment_out(r) for r in chosen]
    )


@router.get(
    "/enrollments/{int:pk}",
    response={200: SupplementaryEnrollmentOut, **errors(403, 404)},
    summary="One supplementary enrollment",
)
def supplementary_enrollment(request: HttpRequest, pk: int) -> SupplementaryEnrollmentOut:
    return _enrollment_out(queries.enrollment_for(_reader(request), pk))


@router.get(
    "/premiums",
    response={200: list[SupplementaryPremiumOut], **errors(403)},
    summary="Premiums and refunds in one's scope, of one enrollment when given",
)
def supplementary_premiums(
    request: HttpRequest, enrollment_id: int | None = None
) -> list[SupplementaryPremiumOut]:
    rows = queries.premiums_for(_reader(request))
    if enrollment_id is not None:
        rows = rows.filter(enrollment_id=enrollment_id)
    return [_premium_out(r) for r in rows[:PAGE_SIZE]]


@router.get(
    "/claims",
    response={200: list[SupplementaryClaimOut], **errors(403)},
    summary="Claims and their reversals in one's scope, of one enrollment when given",
)
def supplementary_claims(
    request: HttpRequest, enrollment_id: int | None = None
) -> list[SupplementaryClaimOut]:
    rows = queries.claims_for(_reader(request))
    if enrollment_id is not None:
        rows = rows.filter(enrollment_id=enrollment_id)
    return [_claim_out(r) for r in rows[:PAGE_SIZE]]
