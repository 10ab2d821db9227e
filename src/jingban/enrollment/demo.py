"""The demo's contributions. The synthetic city's generator (``synth.py``) gives every active
resident enrollment of a year with contribution rules a tax payment, 陈秀英's and the walk-ins'
included; this builder makes 陈秀英 and the persons she acts for (陆美芳) complete whatever the
size of the demo: the first tier on their resident enrollments of last year and this year, and
a payment of what they owe where the year has none. Idempotent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Q

from jingban.core.calendar import SHANGHAI
from jingban.core.calendar import today as local_today
from jingban.core.models import User
from jingban.enrollment import rules
from jingban.enrollment.models import Channel, ContributionPayment, Reconciliation
from jingban.registry.models import Enrollment

SCHEME = "resident_medical"
TIER = "tier_1"


def build(admin: User, users: Mapping[str, User]) -> None:
    chen = users.get("chen")
    if chen is None:
        return
    this_year = local_today().year
    enrollments = Enrollment.objects.select_related("person__region", "scheme").filter(
        Q(person__account=chen) | Q(person__agent_authorisations__agent=chen),
        scheme__code=SCHEME,
        year__in=(this_year - 1, this_year),
    )
    with transaction.atomic():
        for enrollment in enrollments.distinct():
            _complete(enrollment)


def _complete(enrollment: Enrollment) -> None:
    person = enrollment.person
    pack = rules.year_pack(person, SCHEME, enrollment.year)
    if pack is None:
        return
    paid = dt.datetime(enrollment.year - 1, 10, 15, 10, 30, tzinfo=SHANGHAI)
    if not enrollment.tier:
        Enrollment.objects.filter(pk=enrollment.pk).update(tier=TIER, enrolled_on=paid.date())
    if ContributionPayment.objects.filter(
        person=person, scheme=enrollment.scheme, year=enrollment.year
    ).exists():
        return
    due = rules.amount_due(pack.contribution, TIER, person, paid.date())
    ContributionPayment.objects.create(
        person=person,
        scheme=enrollment.scheme,
        year=enrollment.year,
        amount=due,
        expected=due,
        reconciliation=Reconciliation.MATCHED,
        paid_at=paid,
        channel=Channel.TAX,
        voucher=f"DEMO{enrollment.year}{person.pk:010d}",
    )
