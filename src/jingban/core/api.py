"""API of core: who am I, organisations in scope."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from jingban.core import queries
from jingban.core.api_errors import errors
from jingban.core.errors import Forbidden
from jingban.core.models import Organisation, User
from jingban.core.roles import Cap

router = Router(tags=["core"])


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    region: str | None
    organisation: str | None
    capabilities: list[str]
    language: str


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    region: str


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


@router.get("/me", response=MeOut, summary="The signed-in user, role, scope and capabilities")
def me(request: HttpRequest) -> MeOut:
    user = _user(request)
    return MeOut(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        region=user.region.code if user.region else None,
        organisation=user.organisation.code if user.organisation else None,
        capabilities=sorted(user.capabilities),
        language=user.language,
    )


def _org_out(o: Organisation) -> OrganisationOut:
    return OrganisationOut(id=o.pk, code=o.code, name=o.name, kind=o.kind, region=o.region.code)


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **errors(403)},
    summary="Organisations in scope",
)
def organisation_list(request: HttpRequest) -> list[OrganisationOut]:
    user = _user(request)
    if not user.can(Cap.ORGANISATION_VIEW):
        raise Forbidden()
    return [_org_out(o) for o in queries.organisations_for(user)]


@router.get(
    "/organisations/{int:pk}",
    response={200: OrganisationOut, **errors(403, 404)},
    summary="One organisation",
)
def organisation_detail(request: HttpRequest, pk: int) -> OrganisationOut:
    user = _user(request)
    if not user.can(Cap.ORGANISATION_VIEW):
        raise Forbidden()
    return _org_out(queries.organisation_for(user, pk))
