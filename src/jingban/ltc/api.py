"""Read-only API of long-term care: cases (the list in one's scope, one case with its events and
level), a person's entitlements, and the settlement statements of a month.

Each operation needs the capability of the pages that show the same rows (``ltc.case.view``,
``ltc.entitlement.view``, ``ltc.settlement.view``) and reads through the same queries, so an
assessor sees only the cases drawn to them and an institution only its own beneficiaries; out
of scope is 404. Personal data is masked as on the pages (docs/masking.md): the name by its
first character, the document number and phone as the registry masks them, free-text notes
with their runs of digits masked; nothing here reveals.

Money is integer fen, as everywhere in the engine; a level is the confirmed assessment's
disability level (0–5), None while no round is confirmed.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from jingban.core.actionlog.display import mask_free_text
from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.errors import NotFound, ValidationFailed
from jingban.desk.masking import mask_name
from jingban.ltc import queries_decision, queries_intake, queries_settlement
from jingban.ltc.models import Assessment, AssessmentStatus, Case, CaseEvent, Entitlement
from jingban.ltc.models_settlement import Statement
from jingban.ltc.plugin_intake import VIEW as CASE_VIEW
from jingban.ltc.reasons import care_form_label
from jingban.ltc.services_settlement import Cap as SettlementCap
from jingban.ltc.texts_settlement import reason_text
from jingban.registry.display import shown
from jingban.registry.models import Person

router = Router(tags=["ltc"])
PAGE_SIZE = 50
ENTITLEMENT_VIEW = "ltc.entitlement.view"


class PersonMasked(Schema):
    id: int
    name_masked: str = Field(description="The first character, the rest starred (张**)")
    document_number_masked: str
    region: str = Field(description="Administrative code of the person's region")


class CaseOut(Schema):
    id: int
    number: str = Field(description="长护<year>-<six digits>, one numbering for every case")
    kind: str = Field(description="application or reassessment")
    status: str
    channel: str
    received_on: dt.date
    due_on: dt.date | None = Field(description="The deadline of the current stage")
    region: str
    person: PersonMasked
    level: int | None = Field(
        description="Disability level (0–5) of the confirmed assessment; null until one is"
    )
    dementia: bool | None


class CaseEventOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    note: str = Field(description="Free text, runs of digits masked")


class CaseDetailOut(CaseOut):
    disability_since: dt.date | None
    self_assessment_grade: str
    pack: str = Field(description="id@version of the LTC pack the case is handled under")
    previous_case: int | None
    entitlement: int | None
    events: list[CaseEventOut]


class CasePage(Schema):
    count: int
    page: int
    results: list[CaseOut]


class EntitlementOut(Schema):
    id: int
    case: int
    level: int
    severity: str = Field(description="mild, moderate or severe")
    dementia: bool
    start_on: dt.date
    end_on: dt.date
    status: str
    reassess_on: dt.date | None


class PersonEntitlementsOut(Schema):
    person: PersonMasked
    results: list[EntitlementOut]


class RejectedOut(Schema):
    date: str
    care_form: str = Field(description="The care form's label")
    code: str = Field(description="The engine's stable reason code")
    reason: str = Field(description="The reason as a sentence in the caller's language")


class StatementOut(Schema):
    id: int
    batch: int
    month: str = Field(description="YYYY-MM")
    batch_region: str
    stage: str = Field(description="The batch's stage: computed, claimed, reviewed, paid …")
    person: PersonMasked
    billed_fen: int
    fund_fen: int
    self_pay_fen: int
    hospital_days: int
    rejected: list[RejectedOut]


class StatementPage(Schema):
    count: int
    page: int
    results: list[StatementOut]


def _person(person: Person) -> PersonMasked:
    return PersonMasked(
        id=person.pk,
        name_masked=mask_name(person.name),
        document_number_masked=shown(person).document,
        region=str(person.region.code),
    )


def _confirmed(case: Case) -> Assessment | None:
    rounds = getattr(case, "confirmed_rounds", None)
    if rounds is None:
        rounds = list(case.assessments.filter(status=AssessmentStatus.CONFIRMED).order_by("-round"))
    return rounds[0] if rounds else None


def _case(case: Case) -> CaseOut:
    confirmed = _confirmed(case)
    return CaseOut(
        id=case.pk,
        number=case.number,
        kind=case.kind,
        status=case.status,
        channel=case.channel,
        received_on=case.received_on,
        due_on=case.due_on,
        region=str(case.region.code),
        person=_person(case.person),
        level=confirmed.level if confirmed else None,
        dementia=confirmed.dementia if confirmed else None,
    )


def _page(page: int) -> tuple[int, int]:
    page = max(page, 1)
    return page, (page - 1) * PAGE_SIZE


@router.get(
    "/cases",
    response={200: CasePage, **errors(403)},
    summary="Long-term care cases in one's scope (an assessor: the cases drawn to them), "
    "newest first, optionally of one status",
)
def case_list(request: HttpRequest, status: str = "", page: int = 1) -> CasePage:
    user = api_user(request, CASE_VIEW)
    rows = queries_intake.cases_for(user).select_related("person__region")
    if status:
        rows = rows.filter(status=status)
    page, start = _page(page)
    count = rows.count()
    chosen = rows.prefetch_related(
        Prefetch(
            "assessments",
            queryset=Assessment.objects.filter(status=AssessmentStatus.CONFIRMED).order_by(
                "-round"
            ),
            to_attr="confirmed_rounds",
        )
    )[start : start + PAGE_SIZE]
    return CasePage(
        count=count, page=page, results=[_case(c) for c in chosen] if start < count else []
    )


@router.get(
    "/cases/{pk}",
    response={200: CaseDetailOut, **errors(403, 404)},
    summary="One case with its events (oldest first) and level",
)
def case_detail(request: HttpRequest, pk: int) -> CaseDetailOut:
    user = api_user(request, CASE_VIEW)
    case = queries_intake.case_for(user, pk)
    events = CaseEvent.objects.filter(case=case).order_by("at", "pk")
    base = _case(case)
    return CaseDetailOut(
        **base.model_dump(exclude={"person"}),
        person=base.person,
        disability_since=case.disability_since,
        self_assessment_grade=case.self_assessment_grade,
        pack=f"{case.pack_id}@{case.pack_version}" if case.pack_id else "",
        previous_case=case.previous_case_id,
        entitlement=case.entitlement_id,
        events=[
            CaseEventOut(
                from_status=e.from_status,
                to_status=e.to_status,
                at=e.at,
                note=mask_free_text(e.note),
            )
            for e in events
        ],
    )


@router.get(
    "/persons/{pk}/entitlements",
    response={200: PersonEntitlementsOut, **errors(403, 404)},
    summary="A person's long-term care entitlements, latest first (an institution: only those "
    "of its own beneficiaries); 404 when none is visible",
)
def person_entitlements(request: HttpRequest, pk: int) -> PersonEntitlementsOut:
    user = api_user(request, ENTITLEMENT_VIEW)
    rows: list[Entitlement] = list(
        queries_decision.entitlements_for(user).filter(person_id=pk).order_by("-start_on", "-pk")
    )
    if not rows:
        raise NotFound()
    return PersonEntitlementsOut(
        person=_person(rows[0].person),
        results=[
            EntitlementOut(
                id=e.pk,
                case=e.case_id,
                level=e.level,
                severity=e.severity,
                dementia=e.dementia,
                start_on=e.start_on,
                end_on=e.end_on,
                status=e.status,
                reassess_on=e.reassess_on,
            )
            for e in rows
        ],
    )


def _month(value: str) -> dt.date:
    try:
        first = dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise ValidationFailed(
            fields={"month": [_("Write the month as year and month, such as 2026-11.")]}
        ) from None
    return first


def _statement(statement: Statement) -> StatementOut:
    batch = statement.batch
    return StatementOut(
        id=statement.pk,
        batch=batch.pk,
        month=f"{batch.month:%Y-%m}",
        batch_region=str(batch.region.code),
        stage=batch.stage,
        person=_person(statement.person),
        billed_fen=statement.billed_fen,
        fund_fen=statement.fund_fen,
        self_pay_fen=statement.self_pay_fen,
        hospital_days=statement.hospital_days,
        rejected=[
            RejectedOut(
                date=str(item.get("date", "")),
                care_form=care_form_label(str(item.get("care_form", ""))),
                code=str(item.get("code", "")),
                reason=reason_text(item),
            )
            for item in statement.rejected
            if isinstance(item, dict)
        ],
    )


@router.get(
    "/settlement/statements",
    response={200: StatementPage, **errors(400, 403)},
    summary="The settlement statements of a month (YYYY-MM) in one's scope (an institution: "
    "those with a line of its own), by batch and person",
)
def statement_list(
    request: HttpRequest,
    month: str = Query("", description="The month, YYYY-MM", examples=["2025-06"]),
    page: int = 1,
) -> StatementPage:
    user = api_user(request, SettlementCap.VIEW)
    first = _month(month)
    rows = queries_settlement.statements_of_month(user, first).select_related(
        "batch__region", "person__region"
    )
    page, start = _page(page)
    count = rows.count()
    chosen = rows[start : start + PAGE_SIZE] if start < count else []
    return StatementPage(count=count, page=page, results=[_statement(s) for s in chosen])
