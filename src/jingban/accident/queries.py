"""Scoped reads of accident enrollments, payments and claims. Staff (``accident.view``) see the
rows of persons (and groups) in their region subtree; an insured person sees their own and those
of the persons they are an agent of for claims today. Out of scope looks exactly like missing."""

from __future__ import annotations

from django.db.models import QuerySet

from jingban.accident.models import Claim, Enrollment, Payment
from jingban.core.errors import NotFound
from jingban.core.models import Region, User
from jingban.core.scope import region_path_filter
from jingban.registry.models import Person

VIEW = "accident.view"
OWN = "accident.own"
AGENT_SERVICE = "submit_claim"


def principals(user: User) -> list[Person]:
    """Whom an insured person may act for: themself first, then those they are an authorised
    agent of for claims today."""
    from jingban.registry.queries import principals_of

    found: list[Person] = []
    own = Person.objects.select_related("region").filter(account=user).first()
    if own is not None:
        found.append(own)
    for auth in principals_of(user):
        if AGENT_SERVICE in (auth.services or []) and auth.person_id not in {p.pk for p in found}:
            found.append(auth.person)
    return found


def _own_ids(user: User) -> list[int]:
    return [p.pk for p in principals(user)]


def enrollments_for(user: User) -> QuerySet[Enrollment]:
    qs = Enrollment.objects.select_related("person", "payment")
    if user.can(VIEW):
        return qs.filter(region_path_filter(user))
    if user.can(OWN):
        return qs.filter(person__in=_own_ids(user))
    return qs.none()


def claims_for(user: User) -> QuerySet[Claim]:
    qs = Claim.objects.select_related("person", "enrollment")
    if user.can(VIEW):
        return qs.filter(region_path_filter(user))
    if user.can(OWN):
        return qs.filter(person__in=_own_ids(user))
    return qs.none()


def payments_for(user: User) -> QuerySet[Payment]:
    if user.can(VIEW):
        return Payment.objects.select_related("region").filter(region_path_filter(user))
    return Payment.objects.none()


def claim_for(user: User, pk: int) -> Claim:
    claim = claims_for(user).filter(pk=pk).first()
    if claim is None:
        raise NotFound()
    return claim


def enrollment_for(user: User, pk: int) -> Enrollment:
    enrollment = enrollments_for(user).filter(pk=pk).first()
    if enrollment is None:
        raise NotFound()
    return enrollment


def payment_for(user: User, pk: int) -> Payment:
    payment = payments_for(user).filter(pk=pk).first()
    if payment is None:
        raise NotFound()
    return payment


def persons_in_scope(user: User) -> QuerySet[Person]:
    from jingban.registry.queries import persons_for

    return persons_for(user)


def person_in_scope(user: User, person_id: int) -> bool:
    return persons_in_scope(user).filter(pk=person_id).exists()


def region_in_scope(user: User, region: Region) -> bool:
    from jingban.core.scope import region_path_filter

    return Region.objects.filter(pk=region.pk).filter(region_path_filter(user, "path")).exists()


def visible(user: User, object_id: str) -> str | None:
    """The files app's question: the claim's region path when the user may see it."""
    if not object_id.isdigit():
        return None
    return claims_for(user).filter(pk=int(object_id)).values_list("region_path", flat=True).first()
