"""The synthetic volume at the seed's rates (seed 001): about 63 % of people aged 60 and over
enrolled, about 1.3 % of the insured with a claim per year of cover, about 1,800 yuan a claim
with a wide spread; premiums are count × premium; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
import statistics

from jingban.accident import synth
from jingban.accident.models import Claim, ClaimStatus, Enrollment, Payment
from jingban.core.calendar import today as local_today
from jingban.core.models import Region
from jingban.core.plugins import SynthContext
from jingban.demo.world import resident_id
from jingban.engine.accident import compute
from jingban.engine.money import Rounding
from jingban.engine.policy.registry import shipped_registry
from jingban.registry.models import Person
from tests.personas import Personas

PERSONS = 12_000


def _population(today: dt.date) -> set[int]:
    regions = list(
        Region.objects.filter(path__contains="320500/").exclude(level="province").order_by("code")
    )
    rng = random.Random(5)
    rows, numbers = [], set()
    while len(rows) < PERSONS:
        region = regions[len(rows) % len(regions)]
        old = len(rows) % 10 < 8  # 80 % aged 60 and over, 20 % younger
        born = today - dt.timedelta(
            days=rng.randint(61 * 366, 95 * 365) if old else rng.randint(30 * 365, 59 * 365)
        )
        number = resident_id("320599", born, rng.randint(5, 499), male=rng.random() < 0.5)
        if number in numbers:
            continue
        numbers.add(number)
        rows.append(
            Person(
                document_type="resident_id",
                document_number=number,
                name="合成老人",
                sex="M",
                birth_date=born,
                region=region,
            )
        )
    created = Person.objects.bulk_create(rows, batch_size=5000)
    cutoff = dt.date(today.year - 60, today.month, min(today.day, 28))
    return {p.pk for p in created if p.birth_date <= cutoff - dt.timedelta(days=366)}


def test_the_synthetic_rates_follow_the_seed(personas: Personas) -> None:
    today = local_today()
    eligible = _population(today)
    counts, _digest = synth.load(11, today)
    enrolled = Enrollment.objects.filter(person_id__in=eligible)
    share = enrolled.count() / len(eligible)
    assert 0.61 <= share <= 0.655, share
    young = Enrollment.objects.filter(person__birth_date__gt=today.replace(year=today.year - 60))
    assert not young.filter(person__name="合成老人").exists()
    # Premiums: each payment is its count × the premium, and holds exactly its enrollments.
    for payment in Payment.objects.filter(organisation__endswith="（合成数据）")[:50]:
        assert payment.amount == payment.count * 3000 == payment.enrollments.count() * 3000
    assert Payment.objects.filter(
        payer="government", organisation__endswith="（合成数据）"
    ).exists()
    # Claims per person-year of cover.
    years = sum(
        min((today - e.start).days + 1, (e.end - e.start).days + 1) / 365
        for e in enrolled.only("start", "end")
    )
    claims = Claim.objects.filter(person_id__in=eligible)
    rate = claims.count() / years
    assert 0.0075 <= rate <= 0.019, (claims.count(), years, rate)
    for claim in claims:
        assert claim.enrollment.start <= claim.accident_date <= min(today, claim.enrollment.end)
    paid = list(claims.filter(status=ClaimStatus.PAID).values_list("amount", flat=True))
    assert paid and len(set(paid)) > len(paid) // 2  # a spread, not a constant
    again = synth.generate(SynthContext(persons=PERSONS, seed=11))
    assert again.counts == {"payments": 0, "enrollments": 0, "claims": 0}
    assert counts["enrollments"] >= enrolled.count()


def test_the_drawn_claims_average_about_1800_yuan() -> None:
    product = shipped_registry().get("jiangsu-ankang-2026", 1).rules.accident
    rng = random.Random(3)
    amounts = [
        compute(product, synth.draw_claim(rng), Rounding.HALF_UP).total for _ in range(50_000)
    ]
    mean = statistics.mean(amounts) / 100
    assert 1_700 <= mean <= 1_900, mean
    assert statistics.pstdev(amounts) / 100 > 1_000
    assert min(amounts) < 20_000 and max(amounts) >= 2_000_000  # small claims and deaths
