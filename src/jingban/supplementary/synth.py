"""Supplementary insurance's part of the synthetic city (after medical's): about 10% of the
resident scheme's insured enrolled in each product on sale in their province, their premium paid
in the window, and the product's claims derived from their synthetic settlements.

SAMPLE: the 10% take-up is a sample figure (no source gives the take-up in the synthetic city).
Persons are drawn with a seeded ``random.sample`` of exactly round(10% x eligible) per cover
year, so the same city, seed and day give the same rows. A person's claims are the app's claim
rule (``services._layer``: the product's layer on each settlement's remainders, in date order,
the annual deductible first, then the ratios up to the annual limits), written as claims made
afterwards (the synthetic settlements were settled without the product), and their accumulators
are added to the person-year counters under the engine's keys, as ``claim_settlement`` does.
Rows are written with ``bulk_create``; no action log (synthetic history). Persons with an account
or already enrolled (the demo's) are left out."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from jingban.core.plugins import SynthContext, SynthOutcome
from jingban.medical.models import PersonYearTotals, Settlement, SettlementKind
from jingban.registry.models import Enrollment as BasicEnrollment
from jingban.supplementary import rules
from jingban.supplementary.models import (
    Channel,
    Claim,
    ClaimKind,
    Enrollment,
    PaymentMethod,
    Premium,
    Status,
)
from jingban.supplementary.services import _layer

NAME = "supplementary"
SCHEME = "resident_medical"
RATE = 0.10  # SAMPLE: the share of the resident scheme's insured who buy the product
BATCH = 5000
# A world smaller than this (the tests' world of 24 persons) gets no supplementary volume: its
# persons are the fixed cases other tests enroll and settle by hand.
MIN_PERSONS = 100


def generate(ctx: SynthContext) -> SynthOutcome:
    started = time.perf_counter()
    if ctx.out is not None or ctx.persons < MIN_PERSONS:  # Parquet: the registry only
        return SynthOutcome(NAME, {}, hashlib.sha256(b"").hexdigest(), 0.0)
    with transaction.atomic():
        counts, digest = load(ctx.seed)
    return SynthOutcome(NAME, counts, digest, time.perf_counter() - started)


def _region_prefix(code: str) -> str:
    return code.rstrip("0") if code != "000000" else ""


def load(seed: int, rate: float = RATE) -> tuple[dict[str, int], str]:
    today = timezone.localdate()
    rng = random.Random(f"supplementary-{seed}")  # noqa: S311 - synthetic data, not secrets
    digest = hashlib.sha256()
    years = sorted({today.year - 1, today.year})
    held = set(Enrollment.objects.values_list("person_id", "product", "year"))
    enrollments: list[Enrollment] = []
    for year in years:
        for pack in sorted(rules.products(), key=lambda p: p.id):
            if rules.product(pack.id, dt.date(year, 1, 1)) is None:
                continue
            prefix = _region_prefix(pack.rules.region)
            eligible = sorted(
                (pk, path)
                for pk, path in BasicEnrollment.objects.filter(
                    scheme__code=SCHEME,
                    status="active",
                    year=year,
                    person__account__isnull=True,
                    person__region__code__startswith=prefix,
                ).values_list("person_id", "person__region__path")
                if (pk, pack.id, year) not in held
            )
            chosen = rng.sample(eligible, round(len(eligible) * rate))
            window = rules.window_for(year)
            span = (window.closes - window.opens).days + 1
            for pk, path in sorted(chosen):
                day = window.opens + dt.timedelta(days=rng.randrange(span))
                enrollments.append(
                    Enrollment(
                        person_id=pk,
                        product=pack.id,
                        year=year,
                        channel=rng.choice((Channel.ONLINE, Channel.WINDOW, Channel.ONLINE)),
                        status=Status.IN_FORCE,
                        enrolled_on=day,
                        paid_on=day,
                        region_path=path,
                    )
                )
    Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)
    premiums = []
    fees = {
        (p, y): rules.product(p, dt.date(y, 1, 1))
        for p, y in {(e.product, e.year) for e in enrollments}
    }
    for row in enrollments:
        product = fees[(row.product, row.year)]
        assert product is not None and row.paid_on is not None
        method = PaymentMethod.ONLINE if row.channel == Channel.ONLINE else PaymentMethod.WINDOW
        premiums.append(
            Premium(
                enrollment=row, amount=rules.premium_fen(product), method=method, day=row.paid_on
            )
        )
        digest.update(f"E{row.person_id}|{row.product}|{row.year}|{row.paid_on}".encode())
    Premium.objects.bulk_create(premiums, batch_size=BATCH)
    claims, counters = _claims(enrollments, digest)
    Claim.objects.bulk_create(claims, batch_size=BATCH)
    _add_counters(counters)
    return (
        {
            "supplementary.Enrollment": len(enrollments),
            "supplementary.Premium": len(premiums),
            "supplementary.Claim": len(claims),
        },
        digest.hexdigest(),
    )


def _claims(
    enrollments: list[Enrollment], digest: hashlib._Hash
) -> tuple[list[Claim], dict[tuple[int, int], dict[str, int]]]:
    """The product's claims on every settlement of the enrolled persons' cover years."""
    by_person: dict[tuple[int, int], list[Enrollment]] = defaultdict(list)
    for row in enrollments:
        by_person[(row.person_id, row.year)].append(row)
    settlements = (
        Settlement.objects.filter(
            person_id__in={p for p, _ in by_person},
            year__in={y for _, y in by_person},
            kind=SettlementKind.SETTLEMENT,
            status="settled",
        )
        .only(
            "pk",
            "person_id",
            "year",
            "visit_type",
            "setl_time",
            "psn_cash_pay",
            "fulamt_ownpay_amt",
            "overlmt_selfpay",
            "packs",
        )
        .order_by("person_id", "setl_time", "pk")
    )
    packs = {
        (row.product, row.year): rules.product(row.product, dt.date(row.year, 1, 1))
        for row in enrollments
    }
    used: dict[int, dict[str, int]] = defaultdict(dict)
    counters: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    claims: list[Claim] = []
    for settlement in settlements.iterator(chunk_size=BATCH):
        for row in by_person.get((settlement.person_id, settlement.year), ()):
            if any(str(p.get("ref", "")).startswith(f"{row.product}@") for p in settlement.packs):
                continue
            pack = packs[(row.product, row.year)]
            assert pack is not None
            outside = settlement.fulamt_ownpay_amt + settlement.overlmt_selfpay
            inside = settlement.psn_cash_pay - outside
            mine = used[id(row)]
            pay_in, pay_out, deductible = _layer(pack, settlement, inside, outside, mine)
            if not (pay_in or pay_out or deductible):
                continue
            key = f"supplementary:{row.product}"
            for name, value in (
                ("in_catalogue", pay_in),
                ("out_of_catalogue", pay_out),
                ("deductible", deductible),
            ):
                mine[f"{key}:{name}"] = mine.get(f"{key}:{name}", 0) + value
                bucket = counters[(settlement.person_id, settlement.year)]
                bucket[f"{key}:{name}"] = bucket.get(f"{key}:{name}", 0) + value
            day = max(timezone.localdate(settlement.setl_time), row.paid_on or row.enrolled_on)
            claims.append(
                Claim(
                    enrollment=row,
                    settlement_id=settlement.pk,
                    kind=ClaimKind.REQUESTED,
                    amount=pay_in + pay_out,
                    in_catalogue=pay_in,
                    out_of_catalogue=pay_out,
                    deductible=deductible,
                    day=day,
                    region_path=row.region_path,
                )
            )
            digest.update(f"C{settlement.pk}|{pay_in}|{pay_out}|{deductible}".encode())
    return claims, counters


def _add_counters(counters: dict[tuple[int, int], dict[str, int]]) -> None:
    """The claims' accumulators in the person-year counters (under the engine's keys)."""
    if not counters:
        return
    rows = PersonYearTotals.objects.filter(
        person_id__in={p for p, _ in counters}, year__in={y for _, y in counters}
    )
    changed = []
    for totals in rows:
        extra = counters.get((totals.person_id, totals.year))
        if not extra:
            continue
        merged = dict(totals.counters)
        for key, value in extra.items():
            if value:
                merged[key] = merged.get(key, 0) + value
        totals.counters = merged
        changed.append(totals)
    PersonYearTotals.objects.bulk_update(changed, ["counters"], batch_size=BATCH)
