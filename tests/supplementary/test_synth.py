"""The synthetic volume: about 10% of the resident scheme's insured enrolled with their premium
paid, and claims derived from their synthetic settlements that obey the deductible and limits."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.utils import timezone

from jingban.core.plugins import SynthContext
from jingban.medical import synth as medical_synth
from jingban.medical.models import PersonYearTotals
from jingban.registry.models import Enrollment as BasicEnrollment
from jingban.supplementary import rules, synth
from jingban.supplementary.models import Claim, Enrollment, Premium, Status

pytestmark = pytest.mark.django_db

PRODUCT = "jiangsu-yihuibao-2021"


@pytest.fixture
def settled_city(personas):
    medical_synth.generate(SynthContext(persons=24, seed=7))


def _eligible(year: int) -> int:
    held = set(
        Enrollment.objects.filter(year=year)
        .exclude(status=Status.CANCELLED)
        .values_list("person_id", flat=True)
    )
    return len(
        {
            pk
            for pk in BasicEnrollment.objects.filter(
                scheme__code="resident_medical",
                status="active",
                year=year,
                person__account__isnull=True,
                person__region__code__startswith="32",
            ).values_list("person_id", flat=True)
            if pk not in held
        }
    )


def test_a_tenth_of_the_insured_enroll_with_their_premium_paid(settled_city):
    year = timezone.localdate().year
    expected = round(_eligible(year) * synth.RATE)
    before = Enrollment.objects.filter(year=year).count()
    # The tests' world is too small for the generator's own run: it writes nothing there.
    assert synth.generate(SynthContext(persons=24, seed=7)).counts == {}
    counts, _ = synth.load(seed=7)
    made = Enrollment.objects.filter(year=year).count() - before
    assert made == expected
    assert counts["supplementary.Enrollment"] >= made
    rows = Enrollment.objects.filter(year=year, created_by__isnull=True, premiums__isnull=False)
    for row in rows.distinct():
        assert row.status == Status.IN_FORCE and row.paid_on is not None
        window = rules.window_for(year)
        assert window.opens <= row.enrolled_on <= window.closes
        assert [p.amount for p in row.premiums.all()] == [15_800]
    assert Premium.objects.count() >= counts["supplementary.Premium"]


def test_claims_obey_the_deductible_and_the_limits(settled_city):
    before = set(Claim.objects.values_list("pk", flat=True))
    counts, _ = synth.load(seed=7, rate=1.0)
    assert counts["supplementary.Enrollment"] > 0
    claims = Claim.objects.exclude(pk__in=before).select_related("settlement", "enrollment")
    assert counts["supplementary.Claim"] == claims.count() > 0
    product = rules.product(PRODUCT).supplementary.supplementary  # type: ignore[union-attr]
    per: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims.order_by("settlement__setl_time", "settlement__pk"):
        per[claim.enrollment_id].append(claim)
    paid_any = False
    for rows in per.values():
        met = 0
        in_total = out_total = 0
        for claim in rows:
            assert claim.amount == claim.in_catalogue + claim.out_of_catalogue >= 0
            # Nothing is paid until the whole deductible is met.
            met += claim.deductible
            assert met <= product.deductible
            if claim.amount:
                paid_any = True
                assert met == product.deductible
            in_total += claim.in_catalogue
            out_total += claim.out_of_catalogue
            # The claim is at most the remainder the person paid.
            assert claim.amount + claim.deductible <= claim.settlement.psn_cash_pay
        assert in_total <= product.in_catalogue.annual_limit
        assert out_total <= product.out_of_catalogue.annual_limit
        enrollment = rows[0].enrollment
        totals = PersonYearTotals.objects.get(person=enrollment.person_id, year=enrollment.year)
        assert totals.counters[f"supplementary:{PRODUCT}:deductible"] == met
    assert paid_any or all(
        sum(c.deductible for c in rows) < product.deductible for rows in per.values()
    )
