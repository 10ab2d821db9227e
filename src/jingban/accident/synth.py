"""Elderly accident insurance's part of the synthetic city, at the seed's rates (seed 001: by
Q3 2021 63.27 % of people aged 60 and over insured; 152,700 claims paid for 276 million yuan,
about 1,800 yuan a claim, about 1.3 % of the insured claiming in a year).

- Each region (a community) enrolls its people aged 60 and over (without an account, alive,
  not enrolled yet) with probability ``ENROLLED_SHARE``, as a group: one payment by the community,
  and one by the government for the special groups among them (``GOVERNMENT_SHARE``), each of
  count × premium. The region's cover starts on a day of the last year.
- A covered person has an accident with probability ``CLAIM_RATE`` × the share of a year of cover
  already passed (1.3 % per person-year of cover); the facts are drawn (medical expenses around
  1,200 yuan, a hospital stay for a third, a disability for one in twelve, mostly light grades,
  a death for one in fifty) and priced by the engine with the cover's pack, so the mean claim
  comes out near 1,800 yuan with a wide spread. A claim decided in the future is still waiting.

The generator runs once per database (``loaded``): a second run adds nothing, so the people aged
60 and over it left out stay out, as the 37 % who do not join. Rows are written straight (bulk
inserts, no services, no action log: synthetic history). The same persons, seed and day give the
same rows."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from jingban.accident.models import (
    Channel,
    Claim,
    ClaimStatus,
    Enrollment,
    Outcome,
    Payer,
    Payment,
)
from jingban.accident.rules import cover_end, product_of, product_pack
from jingban.core.models import Region
from jingban.core.plugins import SynthContext, SynthOutcome
from jingban.engine.accident import AccidentClaimInput, compute
from jingban.engine.accident import Outcome as EngineOutcome
from jingban.engine.money import Rounding
from jingban.registry.display import age_on
from jingban.registry.models import Person

NAME = "accident"
MARK = "（合成数据）"
COUNTED = ("payments", "enrollments", "claims")
SUFFIXES = {Payer.COMMUNITY.value: "居民委员会", Payer.GOVERNMENT.value: "民政部门"}
ENROLLED_SHARE = 0.6327
GOVERNMENT_SHARE = 0.08
CLAIM_RATE = 0.013
DEATH_SHARE = 0.02
DISABILITY_SHARE = 0.08
HOSPITAL_SHARE = 0.35
# Disability grades drawn (10 the lightest), and their weights.
GRADES = (10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
GRADE_WEIGHTS = (50, 25, 12, 7, 2, 1.5, 1, 0.7, 0.5, 0.3)
DESCRIPTIONS = (
    "在家中滑倒，手腕骨折（合成数据）",
    "过马路时被电动车撞伤（合成数据）",
    "下楼梯时踏空摔伤（合成数据）",
    "浴室地滑跌倒，髋部受伤（合成数据）",
    "做饭时烫伤（合成数据）",
)


def generate(ctx: SynthContext) -> SynthOutcome:
    started = time.perf_counter()
    if ctx.out is not None:  # the Parquet city holds the registry only
        return SynthOutcome(NAME, {}, hashlib.sha256(b"").hexdigest(), 0.0)
    if loaded():  # a city loads once: the persons left out the first time stay out
        return SynthOutcome(NAME, dict.fromkeys(COUNTED, 0), hashlib.sha256(b"").hexdigest(), 0.0)
    with transaction.atomic():
        counts, digest = load(ctx.seed)
    return SynthOutcome(NAME, counts, digest, time.perf_counter() - started)


def loaded() -> bool:
    """Whether this app's part of a city is in the database already."""
    return Payment.objects.filter(organisation__endswith=MARK).exists()


def draw_claim(rng: random.Random) -> AccidentClaimInput:
    """The facts of one synthetic accident."""
    u = rng.random()
    expenses = int(rng.lognormvariate(6.68, 0.9) * 100)  # fen; median about 800 yuan
    days = rng.randint(3, 20) if rng.random() < HOSPITAL_SHARE else 0
    if u < DEATH_SHARE:
        return AccidentClaimInput(expenses, days, EngineOutcome.DEATH)
    if u < DEATH_SHARE + DISABILITY_SHARE:
        grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
        return AccidentClaimInput(expenses, days, EngineOutcome.DISABILITY, grade)
    return AccidentClaimInput(expenses, days, EngineOutcome.NONE)


def load(seed: int, today: dt.date | None = None) -> tuple[dict[str, int], str]:
    today = today or timezone.localdate()
    rng = random.Random(f"accident-{seed}")  # noqa: S311 - synthetic data, not secrets
    taken = set(Enrollment.objects.values_list("person_id", flat=True))
    oldest_birth = dt.date(today.year - 60, today.month, min(today.day, 28))
    persons = list(
        Person.objects.filter(
            account__isnull=True, death_date__isnull=True, birth_date__lte=oldest_birth
        )
        .exclude(pk__in=taken)
        .select_related("region")
        .order_by("region__code", "document_number")
    )
    by_region: dict[int, list[Person]] = defaultdict(list)
    for person in persons:
        by_region[person.region_id].append(person)
    regions = Region.objects.in_bulk(list(by_region))
    digest = hashlib.sha256()
    counts = {"payments": 0, "enrollments": 0, "claims": 0}
    claims: list[Claim] = []
    for region_id in sorted(by_region):
        region = regions[region_id]
        start = today - dt.timedelta(days=rng.randrange(365))
        pack = product_pack(region.code, start)
        if pack is None:
            continue
        product = product_of(pack)
        end = cover_end(start, product)
        spec = f"{pack.id}@{pack.version}"
        groups: dict[str, list[Person]] = {Payer.COMMUNITY.value: [], Payer.GOVERNMENT.value: []}
        for person in by_region[region_id]:
            if rng.random() >= ENROLLED_SHARE:
                continue
            if age_on(person.birth_date, start) < product.min_age:
                continue
            paid_by = Payer.GOVERNMENT if rng.random() < GOVERNMENT_SHARE else Payer.COMMUNITY
            groups[paid_by.value].append(person)
        elapsed = min((today - start).days + 1, (end - start).days + 1) / 365
        for payer, members in groups.items():
            if not members:
                continue
            payment = Payment.objects.create(
                product=pack.id,
                payer=payer,
                organisation=f"{region.name}{SUFFIXES[payer]}{MARK}",
                region=region,
                region_path=region.path,
                count=len(members),
                premium_each=product.premium,
                amount=product.premium * len(members),
                paid_on=start,
                file_name="",
            )
            counts["payments"] += 1
            enrollments = Enrollment.objects.bulk_create(
                [
                    Enrollment(
                        person=person,
                        product=pack.id,
                        pack=spec,
                        start=start,
                        end=end,
                        premium=product.premium,
                        payment=payment,
                        channel=Channel.GROUP,
                        enrolled_on=start,
                        region_path=person.region.path,
                    )
                    for person in members
                ],
                batch_size=5000,
            )
            counts["enrollments"] += len(enrollments)
            digest.update(f"{payment.pk}:{len(members)}:{start}".encode())
            for enrollment in enrollments:
                if rng.random() >= CLAIM_RATE * elapsed:
                    continue
                claims.append(_claim(rng, enrollment, product, pack, today))
    for claim in claims:
        digest.update(f"{claim.enrollment_id}:{claim.accident_date}:{claim.amount}".encode())
    Claim.objects.bulk_create(claims, batch_size=5000)
    counts["claims"] = len(claims)
    return counts, digest.hexdigest()


def _claim(
    rng: random.Random, enrollment: Enrollment, product: Any, pack: Any, today: dt.date
) -> Claim:
    last = min(today, enrollment.end)
    day = enrollment.start + dt.timedelta(days=rng.randrange((last - enrollment.start).days + 1))
    reported = min(today, day + dt.timedelta(days=rng.randint(0, 10)))
    decided = reported + dt.timedelta(days=rng.randint(5, 30))
    facts = draw_claim(rng)
    result = compute(product, facts, Rounding(pack.rules.rounding))
    paid = decided <= today
    return Claim(
        person_id=enrollment.person_id,
        enrollment=enrollment,
        accident_date=day,
        description=rng.choice(DESCRIPTIONS),
        medical_expenses=facts.medical_expenses,
        hospital_days=facts.hospital_days,
        outcome=Outcome(facts.outcome.value),
        disability_grade=facts.disability_grade,
        status=ClaimStatus.PAID if paid else ClaimStatus.REPORTED,
        reported_on=reported,
        amount=result.total if paid else 0,
        explanation=result.as_json() if paid else [],
        decided_on=decided if paid else None,
        region_path=enrollment.region_path,
        pack=enrollment.pack,
    )
