"""API of the registry: insured persons, masked by default; a reveal is its own logged call."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, StrictInt

from jingban.core.api_errors import errors
from jingban.core.errors import Forbidden, NotFound
from jingban.core.models import User
from jingban.core.pagination import counted, keyset_page
from jingban.core.roles import Cap
from jingban.registry import display, queries, services
from jingban.registry.models import Person
from jingban.registry.search import parse_sort, sort_order

router = Router(tags=["registry"])
PAGE_SIZE = 50


class EnrollmentOut(Schema):
    scheme: str
    year: int
    status: str
    since: dt.date


class MembershipOut(Schema):
    group: str
    valid_from: dt.date
    valid_to: dt.date | None


class PersonOut(Schema):
    id: int
    document_type: str
    document_number_masked: str
    name: str
    sex: str
    age: int = Field(
        description="Completed years today in Asia/Shanghai (at death for the deceased). The "
        "birth date comes only with the logged reveal: beside the masked number it would give "
        "the whole number back."
    )
    phone_masked: str
    address: str
    region: str
    death_date: dt.date | None


class PersonDetailOut(PersonOut):
    enrollments: list[EnrollmentOut]
    memberships: list[MembershipOut]


class PersonPage(Schema):
    count: int = Field(
        description="How many persons match: exact up to 10,000, beyond that the database's "
        "estimate (then `count_exact` is false)."
    )
    count_exact: bool = True
    page: int
    results: list[PersonOut]
    next_cursor: int | None = Field(
        None,
        description="Pass as `cursor` for the next page (keyset paging: as fast on page 5,000 as "
        "on page 1); null on the last page.",
    )


class PersonIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "document_type": "resident_id",
                    "document_number": "320505198001011239",
                    "name": "李明",
                    "region": "320505001",
                    "phone": "13912345678",
                    "address": "狮山路1号",
                }
            ]
        }
    )

    document_type: str = Field(max_length=20)
    document_number: str = Field(max_length=32)
    name: str = Field(max_length=200)
    region: str = Field(max_length=12, description="Administrative code of the region")
    sex: str = Field("", max_length=1, description="M or F; empty when the document carries it")
    birth_date: dt.date | None = None
    phone: str = Field("", max_length=30)
    address: str = Field("", max_length=300)


class PersonPatch(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"address": "狮山路2号", "reason": "搬家"}]}
    )

    document_type: str | None = Field(None, max_length=20)
    document_number: str | None = Field(None, max_length=32)
    name: str | None = Field(None, max_length=200)
    region: str | None = Field(None, max_length=12)
    sex: str | None = Field(None, max_length=1)
    birth_date: dt.date | None = None
    phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=300)
    death_date: dt.date | None = None
    reason: str = Field("", max_length=500)


class RevealIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"purpose": "identity_check", "note": "窗口核验"}]}
    )

    # Optional in the schema so that a missing purpose is the service's translated field
    # error (400), like a wrong one.
    purpose: str = Field(
        "",
        max_length=20,
        description="Why the full number is needed: identity_check, case_handling, audit or "
        "other (then a note is required)",
    )
    note: str = Field("", max_length=200)


class RevealOut(Schema):
    id: int
    document_type: str
    document_number: str
    birth_date: dt.date


class SearchIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"q": "李明", "page": 1}]})

    # The term's length and characters are checked by the search, with a translated message
    # on "q" (400), like every other way the term can be wrong.
    q: str = Field(
        description="A name or part of one; a whole document number, its first digits, its last "
        "four or its masked form (110101********1234); a phone or its last four digits",
    )
    page: int = Field(1, ge=1, description="Without a cursor: the page by number (slow deep)")
    cursor: StrictInt | None = Field(
        None, description="`next_cursor` of the page before: the page after it (fast at any depth)"
    )
    sort: str = Field(
        "id",
        max_length=20,
        description="id, name, document, age or region; a leading - reverses it",
    )


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _out(person: Person) -> PersonOut:
    shown = display.shown(person)
    return PersonOut(
        id=person.pk,
        document_type=person.document_type,
        document_number_masked=shown.document,
        name=person.name,
        sex=person.sex,
        age=shown.age,
        phone_masked=shown.phone,
        address=person.address,
        region=person.region.code,
        death_date=person.death_date,
    )


def _detail(user: User, person: Person) -> PersonDetailOut:
    return PersonDetailOut(
        **_out(person).dict(),
        enrollments=[
            EnrollmentOut(scheme=e.scheme.code, year=e.year, status=e.status, since=e.since)
            for e in queries.enrollments_for(user, person)
        ],
        memberships=[
            MembershipOut(group=m.group.code, valid_from=m.valid_from, valid_to=m.valid_to)
            for m in queries.memberships_for(user, person)
        ],
    )


def _viewer(request: HttpRequest) -> User:
    user = _user(request)
    if not user.can(Cap.PERSON_VIEW):
        raise Forbidden()
    return user


def _page(
    user: User, query: str, page: int, cursor: int | None = None, sort_code: str = "id"
) -> PersonPage:
    persons = services.search_persons(user, query)
    page = max(page, 1)
    total, exact = counted(persons)
    sort, descending = parse_sort(sort_code)
    if cursor is not None or page == 1:
        found = keyset_page(
            persons,
            keys=sort.keys,
            descending=descending,
            size=PAGE_SIZE,
            after=cursor,
            key_source=queries.persons_for(user),
            sparse=exact,
        )
        rows, next_cursor = found.object_list, found.next_cursor
    else:
        # By page number (existing clients): OFFSET, which reads every row before the page.
        start = (page - 1) * PAGE_SIZE
        ordered = persons.order_by(*sort_order(sort, descending))
        # A page past the end is empty; asking the database for it could overflow its OFFSET.
        rows = list(ordered[start : start + PAGE_SIZE + 1]) if start < total or not exact else []
        next_cursor = rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None
        rows = rows[:PAGE_SIZE]
    return PersonPage(
        count=total,
        count_exact=exact,
        page=page,
        results=[_out(p) for p in rows],
        next_cursor=next_cursor,
    )


@router.get(
    "",
    response={200: PersonPage, **errors(400, 403, 429)},
    summary="Insured persons in scope (documents masked)",
    description="`q` is kept for existing clients; prefer `POST /persons/search`, whose terms "
    "stay out of addresses. The production server logs paths without their query strings, "
    "but a proxy in front of it may not. A document-number search by a user who may not "
    "reveal full numbers is logged and limited (429 when over the limit).",
)
def person_list(
    request: HttpRequest,
    q: str = "",
    page: int = 1,
    cursor: int | None = None,
    sort: str = "id",
) -> PersonPage:
    return _page(_viewer(request), q, page, cursor, sort)


@router.post(
    "/search",
    response={200: PersonPage, **errors(400, 403, 429)},
    summary="Search insured persons in scope by name or document number",
    description="A document-number search by a user who may not reveal full numbers is logged "
    "(the number masked) and limited per minute (429 when over the limit).",
)
def person_search(request: HttpRequest, payload: SearchIn) -> PersonPage:
    return _page(_viewer(request), payload.q, payload.page, payload.cursor, payload.sort)


@router.post(
    "",
    response={201: PersonDetailOut, **errors(400, 403)},
    summary="Register an insured person",
)
def person_create(request: HttpRequest, payload: PersonIn) -> Status[PersonDetailOut]:
    user = _user(request)
    data = services.PersonInput(
        document_type=payload.document_type,
        document_number=payload.document_number,
        name=payload.name,
        region_code=payload.region,
        sex=payload.sex,
        birth_date=payload.birth_date,
        phone=payload.phone,
        address=payload.address,
    )
    person = services.register_person(data, acting_user=user)
    return Status(201, _detail(user, person))


@router.get(
    "/me",
    response={200: PersonDetailOut, **errors(403, 404)},
    summary="The signed-in insured person's own record",
)
def my_record(request: HttpRequest) -> PersonDetailOut:
    user = _user(request)
    if not user.can(Cap.OWN_RECORD_VIEW):
        raise Forbidden()
    person = queries.own_person(user)
    if person is None:
        raise NotFound()
    return _detail(user, person)


@router.get(
    "/{int:pk}",
    response={200: PersonDetailOut, **errors(403, 404)},
    summary="One insured person",
)
def person_detail(request: HttpRequest, pk: int) -> PersonDetailOut:
    user = _viewer(request)
    return _detail(user, services.person_in_scope(user, pk))


@router.patch(
    "/{int:pk}",
    response={200: PersonDetailOut, **errors(400, 403, 404)},
    summary="Change a person's particulars",
)
def person_update(request: HttpRequest, pk: int, payload: PersonPatch) -> PersonDetailOut:
    user = _user(request)
    if not user.can(Cap.PERSON_EDIT):
        raise Forbidden()
    person = services.person_in_scope(user, pk)
    current = services.PersonInput(
        document_type=person.document_type,
        document_number=person.document_number,
        name=person.name,
        region_code=person.region.code,
        sex=person.sex,
        birth_date=person.birth_date,
        phone=person.phone,
        address=person.address,
        death_date=person.death_date,
    )
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    if "region" in changes:
        changes["region_code"] = changes.pop("region")
    # An explicit null clears a text field (and then fails validation where it is required).
    texts = {"document_type", "document_number", "name", "region_code", "sex", "phone", "address"}
    changes = {k: ("" if v is None and k in texts else v) for k, v in changes.items()}
    merged = services.PersonInput(**{**asdict(current), **changes})
    person = services.update_person(person, merged, acting_user=user, reason=reason)
    return _detail(user, person)


@router.post(
    "/{int:pk}/reveal",
    response={200: RevealOut, **errors(400, 403, 404)},
    summary="The full document number, for a stated purpose (each call is logged)",
)
def person_reveal(request: HttpRequest, pk: int, payload: RevealIn) -> RevealOut:
    user = _user(request)
    if not user.can(Cap.PERSON_REVEAL):
        raise Forbidden()
    person = services.person_in_scope(user, pk)
    number = services.reveal_document(
        person, acting_user=user, purpose=payload.purpose, note=payload.note
    )
    return RevealOut(
        id=person.pk,
        document_type=person.document_type,
        document_number=number,
        birth_date=person.birth_date,
    )
