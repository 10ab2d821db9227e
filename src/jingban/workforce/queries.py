"""What each user may see of the workforce. Every view starts here.

- Bureau staff, reviewers, auditors, supervisors: the region subtree of their scope (a
  caregiver by the employer's region, an assessor by the institution's, a draw by the
  applicant's).
- Institution staff: their own institution's caregivers only (another's is 404).
- A caregiver: their own record only.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import Organisation, User
from jingban.core.roles import Role
from jingban.core.scope import region_filter, region_path_filter
from jingban.workforce.models import Assessor, Caregiver, Draw

CAREGIVER_VIEW = "workforce.caregiver.view"
CAREGIVER_EDIT = "workforce.caregiver.edit"
ASSESSOR_VIEW = "workforce.assessor.view"
ASSESSOR_EDIT = "workforce.assessor.edit"
DRAW_VIEW = "workforce.draw.view"
DRAW_RUN = "workforce.draw.run"
STAFF_REVEAL = "workforce.document.reveal"
OWN_INSTITUTION_ROLES = {Role.INSTITUTION_STAFF}


def caregivers_for(user: User) -> QuerySet[Caregiver]:
    if not user.can(CAREGIVER_VIEW):
        return Caregiver.objects.none()
    qs = Caregiver.objects.select_related("employer", "employer__region")
    if user.role == Role.CAREGIVER:
        return qs.filter(account=user)
    if user.role in OWN_INSTITUTION_ROLES:
        if user.organisation_id is None:
            return qs.none()
        return qs.filter(employer_id=user.organisation_id)
    return qs.filter(region_filter(user, "employer__region"))


def caregiver_for(user: User, pk: int) -> Caregiver:
    found = caregivers_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def own_caregiver(user: User) -> Caregiver | None:
    return Caregiver.objects.filter(account=user).select_related("employer").first()


def assessors_for(user: User) -> QuerySet[Assessor]:
    if not (user.can(ASSESSOR_VIEW) or user.can(DRAW_RUN)):
        return Assessor.objects.none()
    qs = Assessor.objects.select_related("organisation", "organisation__region")
    return qs.filter(region_filter(user, "organisation__region"))


def assessor_for(user: User, pk: int) -> Assessor:
    found = assessors_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def draws_for(user: User) -> QuerySet[Draw]:
    if not user.can(DRAW_VIEW):
        return Draw.objects.none()
    return Draw.objects.select_related(
        "applicant", "applicant__region", "care_institution", "drawn_by"
    ).filter(region_path_filter(user))


def draw_for(user: User, pk: int) -> Draw:
    found = draws_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def employers_for(user: User, kinds: Sequence[str]) -> QuerySet[Organisation]:
    """Institutions of these kinds a user may pick: their own for institution staff, those of
    their region otherwise."""
    qs = Organisation.objects.select_related("region").filter(kind__in=list(kinds))
    if user.role in OWN_INSTITUTION_ROLES:
        return qs.filter(pk=user.organisation_id) if user.organisation_id else qs.none()
    if user.role == Role.CAREGIVER:
        return qs.none()
    return qs.filter(region_filter(user)).order_by("code")


def assessors_by_id(ids: Sequence[int]) -> dict[int, Assessor]:
    """Assessors named by a draw, whatever the viewer's scope of assessors (the draw is in
    scope)."""
    return {
        a.pk: a for a in Assessor.objects.select_related("organisation").filter(pk__in=list(ids))
    }
