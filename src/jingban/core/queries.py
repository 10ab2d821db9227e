"""Scoped reads of core data. Views and the API read through these, never ``objects`` directly."""

from __future__ import annotations

from django.db.models import QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import (
    ActionLog,
    ApiToken,
    CalendarYear,
    Holiday,
    Organisation,
    Region,
    Scheme,
    ServiceWindow,
    User,
)
from jingban.core.roles import Cap, Role
from jingban.core.scope import is_unrestricted, region_filter, region_path_filter


def regions_for(user: User) -> QuerySet[Region]:
    """Regions a user may pick (e.g. as a person's region): their own subtree."""
    if is_unrestricted(user):
        return Region.objects.all()
    if user.region_id is None:
        return Region.objects.none()
    return Region.objects.filter(path__startswith=user.region.path)  # type: ignore[union-attr]


def region_by_code(user: User, code: str) -> Region | None:
    return regions_for(user).filter(code=code).first()


def schemes() -> QuerySet[Scheme]:
    return Scheme.objects.all()


def organisations_for(user: User) -> QuerySet[Organisation]:
    """Organisations in scope. Institution staff and caregivers see only their own."""
    if not (user.can(Cap.ORGANISATION_VIEW) or user.can(Cap.PERSON_VIEW)):
        return Organisation.objects.none()
    qs = Organisation.objects.select_related("region")
    if user.role in {Role.INSTITUTION_STAFF, Role.CAREGIVER}:
        if user.organisation_id is None:
            return qs.none()
        return qs.filter(pk=user.organisation_id)
    return qs.filter(region_filter(user))


def organisation_for(user: User, pk: int) -> Organisation:
    org = organisations_for(user).filter(pk=pk).first()
    if org is None:
        raise NotFound()
    return org


def windows_for(user: User) -> QuerySet[ServiceWindow]:
    return ServiceWindow.objects.select_related("organisation", "region").filter(
        organisation__in=organisations_for(user)
    )


def action_log_for(user: User) -> QuerySet[ActionLog]:
    """Action rows about objects in the user's regions; empty without the capability."""
    if not user.can(Cap.ACTION_LOG_VIEW):
        return ActionLog.objects.none()
    return ActionLog.objects.filter(region_path_filter(user))


def holidays(year: int) -> QuerySet[Holiday]:
    return Holiday.objects.filter(date__year=year)


def holiday_by_pk(pk: int) -> Holiday | None:
    return Holiday.objects.filter(pk=pk).first()


def calendar_years() -> QuerySet[CalendarYear]:
    return CalendarYear.objects.all()


def users_for(user: User) -> QuerySet[User]:
    if not user.can(Cap.USER_VIEW):
        return User.objects.none()
    return User.objects.select_related("region", "organisation").filter(region_filter(user))


def api_tokens_for(user: User, *, everyone: bool = False) -> QuerySet[ApiToken]:
    """The user's own API tokens; with ``everyone`` (needs ``core.api_token.admin``) all."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    if everyone:
        if not user.can(Cap.API_TOKEN_ADMIN):
            return ApiToken.objects.none()
        return tokens
    return tokens.filter(user=user)
