"""Scoped reads of enrollment and payments. Staff see persons of their region subtree, in the
schemes they work on; an insured person sees their own; an agent the persons they may act for
(checked and logged by the registry's ``authorise_agent_act``)."""

from __future__ import annotations

from django.db.models import QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.scope import region_filter, region_path_filter, scheme_codes
from jingban.enrollment import caps
from jingban.enrollment.models import ContributionPayment, PaymentImport
from jingban.registry import queries as registry_queries
from jingban.registry.models import Enrollment, Person


def enrollments_for(user: User) -> QuerySet[Enrollment]:
    """Enrollment rows of persons in the user's region subtree, in the user's schemes."""
    if not user.can(caps.VIEW):
        return Enrollment.objects.none()
    qs = Enrollment.objects.select_related("scheme", "person__region").filter(
        region_filter(user, "person__region")
    )
    codes = scheme_codes(user)
    if codes is not None:
        qs = qs.filter(scheme__code__in=codes)
    return qs


def enrollment_for(user: User, pk: int) -> Enrollment:
    found = enrollments_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def person_for(user: User, pk: int) -> Person:
    """A person staff may enroll (in scope), or NotFound."""
    return registry_queries.person_for(user, pk)


def payments_for(user: User) -> QuerySet[ContributionPayment]:
    if not user.can(caps.VIEW):
        return ContributionPayment.objects.none()
    qs = ContributionPayment.objects.select_related("scheme", "person").filter(
        region_filter(user, "person__region")
    )
    codes = scheme_codes(user)
    if codes is not None:
        qs = qs.filter(scheme__code__in=codes)
    return qs


def person_payments(person: Person) -> QuerySet[ContributionPayment]:
    """One person's payments (the caller has checked the person is theirs to see)."""
    return ContributionPayment.objects.select_related("scheme").filter(person=person)


def person_enrollments(person: Person) -> QuerySet[Enrollment]:
    return Enrollment.objects.select_related("scheme").filter(person=person)


def imports_for(user: User) -> QuerySet[PaymentImport]:
    if not user.can(caps.PAYMENT_IMPORT):
        return PaymentImport.objects.none()
    return PaymentImport.objects.filter(region_path_filter(user))


def import_for(user: User, pk: int) -> PaymentImport:
    found = imports_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found
