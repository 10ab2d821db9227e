"""What every settlement service shares: who may act for which institution, the errors, the
person's number, the visit lookup, the person-year accumulators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingban.core.errors import DomainError, Forbidden, ValidationFailed
from jingban.core.models import Organisation, User
from jingban.core.roles import Role
from jingban.engine.codes import PERSON_CATEGORIES, SPECIAL_GROUPS, Tier
from jingban.medical import ports
from jingban.medical.models import PersonYearTotals, Visit
from jingban.registry.models import GroupMembership, Person

SETTLE = "medical.settle"
PSN_NO_DIGITS = 10


class SettlementRefused(DomainError):
    """A settlement request that cannot be carried out; ``fields`` names the interface field."""

    code = "medical.invalid"
    default_message = gettext_lazy("The settlement request is not valid.")


def refuse(code: str, field: str, message: str) -> SettlementRefused:
    return SettlementRefused(message, code=code, fields={field: [message]})


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, code="medical.invalid", fields={field: [message]})


def check_actor(actor: User, institution: Organisation) -> None:
    """The actor may settle, and for this institution: hospital staff for their own only, a
    bureau account for institutions in its region subtree."""
    if not actor.can(SETTLE):
        raise Forbidden(code="medical.forbidden")
    if actor.role == Role.INSTITUTION_STAFF:
        if actor.organisation_id != institution.pk:
            raise Forbidden(
                _("The account does not belong to institution %(code)s.")
                % {"code": institution.code},
                code="medical.wrong_institution",
                fields={"fixmedins_code": [_("Not the account's institution.")]},
            )
        return
    if actor.region_id is not None and not institution.region.path.startswith(
        actor.region.path  # type: ignore[union-attr]
    ):
        raise Forbidden(
            _("Institution %(code)s is outside your region.") % {"code": institution.code},
            code="medical.wrong_institution",
            fields={"fixmedins_code": [_("Outside your region.")]},
        )


def psn_no(person_id: int) -> str:
    return f"{person_id:0{PSN_NO_DIGITS}d}"


def person_id_of(psn: str) -> int | None:
    text = (psn or "").strip()
    if not text.isdigit() or len(text) > 18:
        return None
    return int(text)


def person_unknown(field: str = "psn_no") -> SettlementRefused:
    return refuse("medical.person_unknown", field, _("No insured person has this number."))


def get_person(psn: str) -> Person:
    pid = person_id_of(psn)
    person = (
        Person.objects.select_related("region").filter(pk=pid).first() if pid is not None else None
    )
    if person is None:
        raise person_unknown()
    return person


def get_visit(institution: Organisation, mdtrt_id: str, psn: str, *, lock: bool = False) -> Visit:
    """The institution's visit ``mdtrt_id`` of person ``psn``; another institution's answers as
    a missing one."""
    rows = Visit.objects.select_related("person", "person__region")
    if lock:
        rows = rows.select_for_update(of=("self",))
    visit = rows.filter(mdtrt_id=(mdtrt_id or "").strip(), institution=institution).first()
    if visit is None:
        raise refuse(
            "medical.visit_not_found",
            "mdtrt_id",
            _("No visit of your institution has this number."),
        )
    if psn_no(visit.person_id) != (psn or "").strip() and str(visit.person_id) != (psn or ""):
        raise refuse("medical.person_mismatch", "psn_no", _("The visit is another person's."))
    return visit


def local_day(moment: dt.datetime) -> dt.date:
    if timezone.is_naive(moment):
        return moment.date()
    return timezone.localtime(moment).date()


def aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


_TIER_ORDER = {Tier.CORE.value: 0, Tier.LOW_INCOME.value: 1, Tier.ILLNESS.value: 2}
_TIER_OF = {g.code: g.tier.value for g in SPECIAL_GROUPS if g.tier is not None}


def person_category(person_id: int, day: dt.date) -> str:
    """The claim's person category: the person's relief group in force on ``day`` with the
    strongest tier (core before low income before illness), else ``general``."""
    codes = GroupMembership.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        person_id=person_id,
        valid_from__lte=day,
    ).values_list("group__code", flat=True)
    found = [c for c in codes if c in PERSON_CATEGORIES and c in _TIER_OF]
    if not found:
        return "general"
    return min(found, key=lambda c: (_TIER_ORDER.get(_TIER_OF[c], 9), c))


def history(person_id: int, year: int) -> Mapping[int, Any]:
    """The person's past years (``YearUse``) from the accumulators, for ``coverage``."""
    rows = PersonYearTotals.objects.filter(person_id=person_id, year__lt=year).values_list(
        "year", "fund_paid_amount", "ci_paid_amount"
    )
    return {y: ports.year_use(fund > 0, ci > 0) for y, fund, ci in rows}


def lock_totals(person_id: int, year: int) -> PersonYearTotals:
    """The person-year accumulators, created race-free (INSERT … ON CONFLICT DO NOTHING) and
    locked (SELECT … FOR UPDATE) until the transaction ends."""
    PersonYearTotals.objects.bulk_create(
        [PersonYearTotals(person_id=person_id, year=year)], ignore_conflicts=True
    )
    return PersonYearTotals.objects.select_for_update().get(person_id=person_id, year=year)


def read_totals(person_id: int, year: int) -> PersonYearTotals:
    """The accumulators as they are, unlocked and unsaved when none exist (pre-settlement)."""
    row = PersonYearTotals.objects.filter(person_id=person_id, year=year).first()
    return row if row is not None else PersonYearTotals(person_id=person_id, year=year)
