"""The filing API under /api/v1/filings: the same services as the pages.

Staff (``filing.filing.view``) list and read the filings of persons in scope; an operator
records one at a window (``filing.filing.record``), approves, refuses or cancels it. An insured
person (``filing.own.file``) lists, files and cancels their own filings and those of the persons
they are an agent of for cross-region filing. Proofs are uploaded on the pages (the files app);
over the API a kind that needs a proof is filed with a personal commitment where the pack
allows one, or by an operator who checked the paper proof (``paper_checked``).
``GET /filings/cross-region`` answers the settlement's decision (contract 5) for staff.

Names are masked to their first character and document numbers as the registry masks them.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.calendar import today as local_today
from jingban.core.errors import Forbidden, NotFound
from jingban.core.models import User
from jingban.filing import queries, services
from jingban.filing.decide import cross_region
from jingban.filing.models import Filing, Kind
from jingban.filing.models import Status as FilingStatus
from jingban.registry.display import shown
from jingban.registry.models import Person

router = Router(tags=["filing"])
PAGE_SIZE = 50


class FilingOut(Schema):
    id: int
    number: str = Field(description="BA<year filed><seven digits>")
    person_id: int
    name_masked: str = Field(description="The first character, the rest starred")
    document_number_masked: str
    kind: str = Field(description=", ".join(Kind.values))
    insured_area: str = Field(description="Six-digit code of the insured pooling area")
    destination: str = Field(description="Six-digit code of the province, city or county")
    destination_name: str
    start: dt.date
    end: dt.date | None = Field(description="None: until cancelled")
    commitment: bool
    channel: str = Field(description="online, agent or window")
    status: str = Field(description=", ".join(FilingStatus.values))
    filed_on: dt.date
    refusal_reason: str
    cancelled_on: dt.date | None
    pack: str = Field(description="id@version of the filing pack that gave the rules")


class FilingPage(Schema):
    count: int
    page: int
    results: list[FilingOut]


class FilingIn(Schema):
    person_id: StrictInt
    kind: str = Field(max_length=24, description=", ".join(Kind.values))
    destination: str = Field(
        max_length=6, description="Six-digit code of a province, city or county"
    )
    start: dt.date | None = Field(default=None, description="Empty: today")
    end: dt.date | None = Field(default=None, description="Empty: the longest the kind allows")
    commitment: StrictBool = False
    paper_checked: StrictBool = Field(
        default=False, description="An operator checked the paper proof at the window"
    )
    note: str = Field(default="", max_length=500)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"person_id": 1, "kind": "other_temporary", "destination": "310000"},
                {
                    "person_id": 2,
                    "kind": "long_term_residence",
                    "destination": "110000",
                    "commitment": True,
                },
            ]
        }
    }


class ReasonIn(Schema):
    reason: str = Field(default="", max_length=500)

    model_config = {"json_schema_extra": {"examples": [{"reason": "证明材料不清晰"}]}}


class DecisionOut(Schema):
    rule: str = Field(
        description="local, filed_long_term, referral, emergency, filed_temporary or unfiled"
    )
    filing_id: int | None
    reason: str


def mask_name(name: str) -> str:
    """The first character, the rest starred (陆**), as the other APIs mask names."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def _out(filing: Filing) -> FilingOut:
    person: Person = filing.person
    return FilingOut(
        id=filing.pk,
        number=filing.number,
        person_id=person.pk,
        name_masked=mask_name(person.name),
        document_number_masked=shown(person).document,
        kind=filing.kind,
        insured_area=filing.insured_area,
        destination=filing.destination,
        destination_name=filing.destination_name,
        start=filing.start,
        end=filing.end,
        commitment=filing.commitment,
        channel=filing.channel,
        status=filing.status,
        filed_on=filing.filed_on,
        refusal_reason=filing.refusal_reason,
        cancelled_on=filing.cancelled_on,
        pack=filing.pack,
    )


def _reader(request: HttpRequest) -> User:
    user = api_user(request)
    if not (user.can(services.VIEW) or user.can(services.OWN)):
        raise Forbidden()
    return user


@router.get(
    "",
    response={200: FilingPage, **errors(403)},
    summary="Cross-region filings in one's scope (one's own for an insured person), newest "
    "first, optionally of one status, kind and person",
)
def filing_list(
    request: HttpRequest,
    status: str = "",
    kind: str = "",
    person_id: int | None = None,
    page: int = 1,
) -> FilingPage:
    user = _reader(request)
    rows = queries.filings_for(user)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    page = max(1, min(page, 1_000_000))
    start = (page - 1) * PAGE_SIZE
    count = rows.count()
    chosen = list(rows[start : start + PAGE_SIZE]) if start < count else []
    return FilingPage(count=count, page=page, results=[_out(f) for f in chosen])


@router.post(
    "",
    response={201: FilingOut, **errors(400, 403, 404)},
    summary="File for treatment in another region (an operator at a window, or the insured "
    "person for themself or as an agent)",
)
def filing_create(request: HttpRequest, payload: FilingIn) -> Status[FilingOut]:
    user = api_user(request)
    if not (user.can(services.RECORD) or user.can(services.OWN)):
        raise Forbidden()
    person = Person.objects.select_related("region").filter(pk=payload.person_id).first()
    if person is None:
        raise NotFound()
    filing = services.file_filing(
        services.FilingInput(
            person=person,
            kind=payload.kind,
            destination=payload.destination,
            start=payload.start,
            end=payload.end,
            commitment=payload.commitment,
            paper_checked=payload.paper_checked,
            note=payload.note,
        ),
        acting_user=user,
    )
    return Status(201, _out(queries.filings_for(user).get(pk=filing.pk)))


@router.get(
    "/cross-region",
    response={200: DecisionOut, **errors(400, 403, 404)},
    summary="The cross-region rule a settlement applies: from the insured place, the place of "
    "treatment and the person's filings in force that day",
)
def decision(
    request: HttpRequest,
    person_id: int = Query(..., examples=[1]),
    insured_area: str = Query(..., examples=["320500"], description="insuplc_admdvs"),
    treatment_area: str = Query(..., examples=["320102"], description="mdtrtarea_admvs"),
    on: dt.date | None = None,
    emergency: bool = Query(False),
) -> DecisionOut:
    user = api_user(request, services.VIEW)
    if not queries.person_in_scope(user, person_id):
        raise NotFound()
    found = cross_region(
        person_id,
        on or local_today(),
        insured_area=insured_area,
        treatment_area=treatment_area,
        emergency=emergency,
    )
    return DecisionOut(rule=found.rule.value, filing_id=found.filing_id, reason=found.reason)


@router.get(
    "/{int:pk}",
    response={200: FilingOut, **errors(403, 404)},
    summary="One cross-region filing",
)
def filing_detail(request: HttpRequest, pk: int) -> FilingOut:
    return _out(queries.filing_for(_reader(request), pk))


@router.post(
    "/{int:pk}/approve",
    response={200: FilingOut, **errors(403, 404, 409)},
    summary="Approve a filing waiting for approval",
)
def filing_approve(request: HttpRequest, pk: int) -> FilingOut:
    user = api_user(request, services.DECIDE)
    filing = services.approve(queries.filing_for(user, pk), acting_user=user)
    return _out(queries.filings_for(user).get(pk=filing.pk))


@router.post(
    "/{int:pk}/refuse",
    response={200: FilingOut, **errors(400, 403, 404, 409)},
    summary="Refuse a filing waiting for approval, with the reason",
)
def filing_refuse(request: HttpRequest, pk: int, payload: ReasonIn) -> FilingOut:
    user = api_user(request, services.DECIDE)
    filing = services.refuse(queries.filing_for(user, pk), payload.reason, acting_user=user)
    return _out(queries.filings_for(user).get(pk=filing.pk))


@router.post(
    "/{int:pk}/cancel",
    response={200: FilingOut, **errors(400, 403, 404, 409)},
    summary="Cancel a filing from today (an operator, or the person or their agent)",
)
def filing_cancel(request: HttpRequest, pk: int, payload: ReasonIn) -> FilingOut:
    user = api_user(request)
    if not (user.can(services.CANCEL) or user.can(services.OWN)):
        raise Forbidden()
    filing = services.cancel(queries.filing_for(user, pk), payload.reason, acting_user=user)
    return _out(queries.filings_for(user).get(pk=filing.pk))
