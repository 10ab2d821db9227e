"""The picture API under /api/v1/picture: the same sections as the pages, as JSON.

``GET /persons/{id}?year=``: staff with ``registry.person.view``, a person of their scope (404
otherwise; the view is logged). ``GET /me?person=&year=``: the insured person's own picture, or
as an agent a principal's (an authorisation to view the record today; 404 otherwise, logged).
The person is masked as the registry's API masks them: the document number masked, the age
instead of the birth date. Money in fen, dates as ISO strings, labels in the request's
language."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.errors import NotFound
from jingban.picture import services
from jingban.registry.display import shown
from jingban.registry.models import Person

router = Router(tags=["picture"])


class PicturePersonOut(Schema):
    id: int
    name: str
    document_number_masked: str
    age: int
    region: str
    deceased: bool


class PictureSectionOut(Schema):
    key: str = Field(description="App-prefixed, stable: registry.person, medical.settlements …")
    title: str
    count: int
    data: dict[str, Any] = Field(description="The section's content; money in fen")
    link: str = Field(description="A page with the full list, or empty")
    loaded: bool = Field(description="False: this part could not be loaded (data is empty)")


class PictureOut(Schema):
    person: PicturePersonOut
    year: int
    sections: list[PictureSectionOut]


def _out(person: Person, viewer: Any, year: int) -> PictureOut:
    masked = shown(person)
    parts = []
    for part in services.sections(person, viewer, year):
        section = part.section
        if section is None:
            parts.append(
                PictureSectionOut(
                    key=part.source, title="", count=0, data={}, link="", loaded=False
                )
            )
            continue
        parts.append(
            PictureSectionOut(
                key=section.key,
                title=str(section.title),
                count=section.count,
                data=dict(section.data),
                link=section.link,
                loaded=True,
            )
        )
    return PictureOut(
        person=PicturePersonOut(
            id=person.pk,
            name=person.name,
            document_number_masked=masked.document,
            age=masked.age,
            region=person.region.name,
            deceased=person.death_date is not None,
        ),
        year=year,
        sections=parts,
    )


@router.get(
    "/persons/{id}",
    response={200: PictureOut, **errors(400, 403, 404)},
    summary="A person's whole picture (staff, a person of one's scope; the view is logged)",
)
def picture_person(
    request: HttpRequest,
    id: int,
    year: int | None = Query(None, ge=1, le=9999, description="Empty: this year"),
) -> PictureOut:
    user = api_user(request)
    person = services.staff_person(user, id)
    return _out(person, user, services.check_year(year))


@router.get(
    "/me",
    response={200: PictureOut, **errors(400, 403, 404)},
    summary="One's own whole picture, or as an agent a principal's (?person=)",
)
def picture_me(
    request: HttpRequest,
    person: int | None = Query(None, ge=1, le=2**62, description="Empty: one's own"),
    year: int | None = Query(None, ge=1, le=9999, description="Empty: this year"),
) -> PictureOut:
    user = api_user(request)
    checked = services.check_year(year)
    choice = services.insured_person(user, person)
    if choice.person is None:
        raise NotFound()
    return _out(choice.person, user, checked)
