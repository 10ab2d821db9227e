"""Benchmark of the reference medical engine: one claim at a time (online settlement) and a
batch of claims (a claims file), with the shipped packs stacked (public + 惠民保).

    .venv/bin/python benchmarks/adjudicate.py [--claims N] [--persons N] [--seed S]

Prints, for online settlement, the latency of ``adjudicate`` per claim with its explanation
written out in Chinese (median, 95th and 99th percentile); for the batch, claims per second
through ``settle_claims`` (figures only), then with the files as ``jingban adjudicate`` writes
them (explanation lines written while settling, then the results), and the peak memory. No
database is used.

The architecture's target for online settlement is milliseconds; the national platform answers
an inpatient settlement in about 0.8 s end to end. Batch work over millions of rows belongs to
the vector engine of step 8: this reference engine is the yardstick it is checked against.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from jingban.engine.codes import PERSON_CATEGORIES, Condition, CrossRegion, VisitType
from jingban.engine.medical import Claim, YearToDate, adjudicate
from jingban.engine.medical.batch import settle_claims
from jingban.engine.medical.files import ExplanationWriter, write_results
from jingban.engine.policy import shipped_registry

# Rough shares of visit types in a year of resident claims (outpatient dominates).
VISIT_WEIGHTS = {
    VisitType.OUTPATIENT_GENERAL: 50,
    VisitType.OUTPATIENT_TWO_DISEASES: 15,
    VisitType.OUTPATIENT_CHRONIC: 12,
    VisitType.INPATIENT: 12,
    VisitType.OUTPATIENT_DIALYSIS: 3,
    VisitType.ACCIDENT_OUTPATIENT: 5,
    VisitType.MATERNITY_NATURAL: 2,
    VisitType.MATERNITY_CESAREAN: 1,
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_claims(count: int, persons: int, seed: int) -> list[tuple[int, Claim]]:
    rng = random.Random(seed)
    visits = list(VISIT_WEIGHTS)
    weights = list(VISIT_WEIGHTS.values())
    start = dt.date(2025, 1, 1)
    rows = []
    for index in range(count):
        visit = rng.choices(visits, weights)[0]
        inpatient = visit in (
            VisitType.INPATIENT,
            VisitType.MATERNITY_NATURAL,
            VisitType.MATERNITY_CESAREAN,
        )
        total = rng.randint(300_000, 8_000_000) if inpatient else rng.randint(2_000, 300_000)
        out_of_scope = rng.randint(0, total // 5)
        class_b = rng.randint(0, (total - out_of_scope) // 3)
        served = start + dt.timedelta(days=rng.randint(0, 340))
        condition = (
            rng.choice(list(Condition)) if visit is VisitType.OUTPATIENT_TWO_DISEASES else None
        )
        category = "general" if rng.random() < 0.95 else rng.choice(PERSON_CATEGORIES[1:])
        rows.append(
            (
                index + 2,
                Claim(
                    claim_id=f"C{index:09d}",
                    person_id=f"P{rng.randrange(persons):08d}",
                    visit_type=visit,
                    hospital_level=rng.choice((1, 2, 3)),
                    service_date=served,
                    discharge_date=served + dt.timedelta(days=rng.randint(2, 20))
                    if inpatient
                    else None,
                    total=total,
                    out_of_scope=out_of_scope,
                    class_b=class_b,
                    condition=condition,
                    person_category=category,
                    cross_region=CrossRegion.LOCAL
                    if rng.random() < 0.9
                    else rng.choice(list(CrossRegion)),
                ),
            )
        )
    return rows


def online(rows: list[tuple[int, Claim]], packs: list, samples: int) -> None:
    latencies = []
    for _, claim in rows[:samples]:
        began = time.perf_counter()
        result = adjudicate(claim, packs, YearToDate.empty(claim))
        for line in result.lines:
            line.texts.rule("zh-hans")
        latencies.append(time.perf_counter() - began)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    print(
        f"online: {samples:,} claims one by one, with the explanation in Chinese: "
        f"median {statistics.median(latencies) * 1e6:.0f} µs, p95 {q[94] * 1e6:.0f} µs, "
        f"p99 {q[98] * 1e6:.0f} µs"
    )


def batch(rows: list[tuple[int, Claim]], packs: list) -> None:
    """As ``jingban adjudicate`` does it: explanation lines written while settling, results kept
    without their lines, then the results file."""
    count = len(rows)
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        result = settle_claims(rows, packs, keep_lines=False)
        settled = time.perf_counter() - began
        print(
            f"batch, figures only: {count:,} claims in {settled:.2f} s = "
            f"{count / settled:,.0f} claims/s ({len(result.refusals)} refused); "
            f"peak memory {_peak_mb():,.0f} MiB"
        )
        del result
        began = time.perf_counter()
        with open(Path(folder) / "lines.csv", "w", encoding="utf-8", newline="") as stream:
            writer = ExplanationWriter(stream, "zh-hans")
            result = settle_claims(rows, packs, on_settled=writer.write, keep_lines=False)
        with open(Path(folder) / "results.csv", "w", encoding="utf-8", newline="") as stream:
            write_results(stream, result, lambda refusal: refusal.message)
        total = time.perf_counter() - began
        with open(Path(folder) / "lines.csv", encoding="utf-8") as stream:
            lines = sum(1 for _ in stream) - 1
    print(
        f"batch with files (results and {lines:,} explanation lines in Chinese): {total:.2f} s = "
        f"{count / total:,.0f} claims/s; peak memory {_peak_mb():,.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--online-samples", type=int, default=20_000)
    args = parser.parse_args()
    registry = shipped_registry()
    packs = [registry.get("sample-resident-2025"), registry.get("jiangsu-yihuibao-2021")]
    print(f"packs: {', '.join(f'{p.ref} ({p.hash[:12]})' for p in packs)}")
    began = time.perf_counter()
    rows = make_claims(args.claims, args.persons, args.seed)
    took = time.perf_counter() - began
    print(f"generated {len(rows):,} claims for {args.persons:,} persons in {took:.2f} s")
    online(rows, packs, min(args.online_samples, len(rows)))
    batch(rows, packs)


if __name__ == "__main__":
    main()
