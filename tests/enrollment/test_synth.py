"""The synthetic city's payments: one per active resident enrollment of a year with contribution
rules, of the first tier, in the concentrated period; running the generator again adds none."""

from __future__ import annotations

import datetime as dt

from jingban.core.plugins import SynthContext
from jingban.enrollment import synth
from jingban.enrollment.models import ContributionPayment
from jingban.registry.models import Enrollment
from tests.personas import Personas

AMOUNTS = {2025: 40_000, 2026: 42_000}


def test_each_active_resident_enrollment_has_a_payment(personas: Personas) -> None:
    for year, amount in AMOUNTS.items():
        active = set(
            Enrollment.objects.filter(
                scheme__code="resident_medical", year=year, status="active"
            ).values_list("person_id", flat=True)
        )
        generated = ContributionPayment.objects.filter(
            scheme__code="resident_medical", year=year, voucher__startswith="SY"
        )
        assert active and set(generated.values_list("person_id", flat=True)) == active
        assert set(generated.values_list("amount", flat=True)) == {amount}
        days = {p.paid_at.date() for p in generated}
        assert min(days) >= dt.date(year - 1, 9, 1) and max(days) <= dt.date(year, 1, 1)
    again = synth.generate(SynthContext(persons=24, seed=7))
    assert again.counts == {"payments": 0}
