"""API of the department directory: the search the pages offer, for any signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.directory import queries
from jingban.directory.models import Entry

router = Router(tags=["directory"])
PAGE_SIZE = 50

_EXAMPLE: dict[str, Any] = {
    "id": 2,
    "organisation": "大连市医疗保障局",
    "name": "异地就医与审核部",
    "kind": "department",
    "business_lines": ["cross_region", "review"],
    "phones": ["0411-83709182"],
    "address": "",
    "opening_hours": "",
    "region": "210200",
    "place": "大连市",
    "services": "",
    "source": "摘自《居民医保各部门电话》（资料002）",
    "active": True,
}


class EntryOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    id: int
    organisation: str
    name: str
    kind: str = Field(description="department, window or hotline")
    business_lines: list[str] = Field(
        description="enrolment, contribution, personal_account, cross_region, review, "
        "settlement, ltc, audit, complaints, policy, general"
    )
    phones: list[str] = Field(description="Numbers as written (0411-83709182, 65006161, 12393)")
    address: str
    opening_hours: str
    region: str | None = Field(description="Administrative code; None for a national entry")
    place: str
    services: str
    source: str = Field(description="Where the numbers were taken from")
    active: bool


class EntryPage(Schema):
    count: int
    page: int
    results: list[EntryOut]


def _out(entry: Entry) -> EntryOut:
    return EntryOut(
        id=entry.pk,
        organisation=entry.organisation_name,
        name=entry.name,
        kind=entry.kind,
        business_lines=list(entry.business_lines),
        phones=entry.phone_list,
        address=entry.address,
        opening_hours=entry.opening_hours,
        region=entry.region.code if entry.region else None,
        place=entry.place_name,
        services=entry.note,
        source=entry.source,
        active=entry.active,
    )


@router.get(
    "",
    response={200: EntryPage, **errors(403)},
    summary="Active directory entries by business line, place (a region's name: its whole "
    "subtree) and free text",
)
def entry_list(
    request: HttpRequest, line: str = "", place: str = "", q: str = "", page: int = 1
) -> EntryPage:
    api_user(request)
    search = queries.Search.from_query({"line": line, "place": place, "q": q})
    rows = queries.search_entries(search)
    page = max(page, 1)
    start = (page - 1) * PAGE_SIZE
    count = rows.count()
    results = [_out(e) for e in rows[start : start + PAGE_SIZE]] if start < count else []
    return EntryPage(count=count, page=page, results=results)
