"""API of enrollment and contributions under ``/api/v1/enrollment``: a person's enrollment and
payments (staff), the enrollment actions, a window payment, and the insured person's or agent's
own payment history (缴费记录查询)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.errors import NotFound
from jingban.core.roles import Cap
from jingban.core.scope import scheme_codes
from jingban.enrollment import caps, payments, queries, services
from jingban.enrollment.models import ContributionPayment
from jingban.registry import queries as registry_queries
from jingban.registry.models import Enrollment, Person

router = Router(tags=["enrollment"])


class EnrollmentRecordOut(Schema):
    id: int
    scheme: str
    year: int
    status: str
    tier: str
    since: dt.date
    enrolled_on: dt.date | None
    benefits_from: dt.date | None = Field(
        description="The first day with benefits after a waiting period; null: from `since`."
    )
    status_from: dt.date | None = Field(description="The day a suspension or an end takes effect.")
    reason: str


class ContributionPaymentOut(Schema):
    id: int
    scheme: str
    year: int
    amount_fen: int
    expected_fen: int | None
    reconciliation: str
    paid_at: dt.datetime
    channel: str
    voucher: str


class ContributionHistoryOut(Schema):
    person_id: int
    name: str
    enrollments: list[EnrollmentRecordOut]
    payments: list[ContributionPaymentOut]


class EnrollmentIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "scheme": "resident_medical",
                    "year": 2027,
                    "effective": "2027-01-01",
                    "tier": "",
                    "enrolled_on": None,
                    "reason": "集中参保期登记",
                }
            ]
        }
    )
    scheme: str = Field(max_length=40)
    year: int = Field(ge=1990, le=2100)
    effective: dt.date
    tier: str = Field("", max_length=20)
    enrolled_on: dt.date | None = None
    reason: str = Field("", max_length=200)


class EnrollmentChangeIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"effective": "2026-06-01", "reason": "参保人申请暂停"}]}
    )
    effective: dt.date
    reason: str = Field(min_length=1, max_length=200)


class EnrollmentRenewIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "续保", "tier": None}]})
    reason: str = Field("", max_length=200)
    tier: str | None = Field(None, max_length=20)


class WindowPaymentIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"scheme": "resident_medical", "year": 2026, "amount_fen": 40000, "voucher": ""}
            ]
        }
    )
    scheme: str = Field(max_length=40)
    year: int = Field(ge=1990, le=2100)
    amount_fen: int = Field(gt=0, le=10**10)
    voucher: str = Field("", max_length=40)


def _payment(p: ContributionPayment) -> ContributionPaymentOut:
    return ContributionPaymentOut(
        id=p.pk,
        scheme=p.scheme.code,
        year=p.year,
        amount_fen=p.amount,
        expected_fen=p.expected,
        reconciliation=p.reconciliation,
        paid_at=p.paid_at,
        channel=p.channel,
        voucher=p.voucher,
    )


def _enrollment(e: Enrollment) -> EnrollmentRecordOut:
    return EnrollmentRecordOut(
        id=e.pk,
        scheme=e.scheme.code,
        year=e.year,
        status=e.status,
        tier=e.tier,
        since=e.since,
        enrolled_on=e.enrolled_on,
        benefits_from=e.benefits_from,
        status_from=e.status_from,
        reason=e.reason,
    )


def _history(person: Person, schemes: frozenset[str] | None = None) -> ContributionHistoryOut:
    enrollments = queries.person_enrollments(person)
    paid = queries.person_payments(person)
    if schemes is not None:
        enrollments = enrollments.filter(scheme__code__in=schemes)
        paid = paid.filter(scheme__code__in=schemes)
    return ContributionHistoryOut(
        person_id=person.pk,
        name=person.name,
        enrollments=[_enrollment(e) for e in enrollments],
        payments=[_payment(p) for p in paid],
    )


def _staff_schemes(request: HttpRequest) -> frozenset[str] | None:
    return scheme_codes(api_user(request))


@router.get(
    "/persons/{int:person_id}",
    response={200: ContributionHistoryOut, **errors(403, 404)},
    summary="A person's enrollment and contribution payments",
)
def person_history(request: HttpRequest, person_id: int) -> ContributionHistoryOut:
    user = api_user(request, caps.VIEW)
    person = registry_queries.person_for(user, person_id)
    return _history(person, _staff_schemes(request))


@router.post(
    "/persons/{int:person_id}/enrollments",
    response={201: EnrollmentRecordOut, **errors(400, 403, 404, 409)},
    summary="Enroll a person in a scheme for a year (参保登记)",
)
def enroll(
    request: HttpRequest, person_id: int, payload: EnrollmentIn
) -> Status[EnrollmentRecordOut]:
    user = api_user(request, caps.EDIT)
    person = registry_queries.person_for(user, person_id)
    enrollment = services.enroll(
        person,
        services.EnrollInput(
            scheme_code=payload.scheme,
            year=payload.year,
            effective=payload.effective,
            tier=payload.tier,
            enrolled_on=payload.enrolled_on,
            reason=payload.reason,
        ),
        acting_user=user,
    )
    return Status(201, _enrollment(enrollment))


_CHANGE_RESPONSES = {200: EnrollmentRecordOut, **errors(400, 403, 404, 409)}


@router.post(
    "/enrollments/{int:pk}/suspend",
    response=_CHANGE_RESPONSES,
    summary="Suspend an enrollment from a day (暂停参保)",
)
def suspend(request: HttpRequest, pk: int, payload: EnrollmentChangeIn) -> EnrollmentRecordOut:
    return _change_status(request, pk, payload, services.suspend)


@router.post(
    "/enrollments/{int:pk}/end",
    response=_CHANGE_RESPONSES,
    summary="End an enrollment on a day (终止参保)",
)
def end(request: HttpRequest, pk: int, payload: EnrollmentChangeIn) -> EnrollmentRecordOut:
    return _change_status(request, pk, payload, services.end)


def _change_status(
    request: HttpRequest,
    pk: int,
    payload: EnrollmentChangeIn,
    change: Callable[..., Enrollment],
) -> EnrollmentRecordOut:
    """Suspend or end (``change``) an enrollment in the staff member's scope, from a day."""
    user = api_user(request, caps.EDIT)
    enrollment = queries.enrollment_for(user, pk)
    done = change(enrollment, effective=payload.effective, reason=payload.reason, acting_user=user)
    return _enrollment(done)


@router.post(
    "/enrollments/{int:pk}/renew",
    response={201: EnrollmentRecordOut, **errors(400, 403, 404, 409)},
    summary="Renew an enrollment for the following year (续保)",
)
def renew(request: HttpRequest, pk: int, payload: EnrollmentRenewIn) -> Status[EnrollmentRecordOut]:
    user = api_user(request, caps.EDIT)
    enrollment = queries.enrollment_for(user, pk)
    renewed = services.renew(enrollment, reason=payload.reason, tier=payload.tier, acting_user=user)
    return Status(201, _enrollment(renewed))


@router.post(
    "/persons/{int:person_id}/payments",
    response={201: ContributionPaymentOut, **errors(400, 403, 404)},
    summary="Record a contribution payment taken at a window",
)
def record_payment(
    request: HttpRequest, person_id: int, payload: WindowPaymentIn
) -> Status[ContributionPaymentOut]:
    user = api_user(request, caps.PAYMENT_RECORD)
    person = registry_queries.person_for(user, person_id)
    p = payments.record_window_payment(
        person,
        scheme_code=payload.scheme,
        year=payload.year,
        amount=payload.amount_fen,
        voucher=payload.voucher,
        acting_user=user,
    )
    return Status(201, _payment(p))


@router.get(
    "/mine",
    response={200: ContributionHistoryOut, **errors(403, 404)},
    summary="The signed-in insured person's own enrollment and payments (缴费记录查询)",
)
def mine(request: HttpRequest) -> ContributionHistoryOut:
    user = api_user(request, Cap.OWN_RECORD_VIEW)
    person = registry_queries.own_person(user)
    if person is None:
        raise NotFound()
    return _history(person)


@router.get(
    "/acting/{int:person_id}",
    response={200: ContributionHistoryOut, **errors(403, 404)},
    summary="The enrollment and payments of a person the agent acts for (logged)",
)
def acting(request: HttpRequest, person_id: int) -> ContributionHistoryOut:
    user = api_user(request, Cap.AGENT_ACT)
    return _history(services.agent_views_payments(user, person_id))
