"""Benchmark of the reference medical engine: one claim at a time (online settlement) and a
claims file through ``jingban adjudicate`` (the files path), with the shipped packs stacked
(public + 惠民保).

    .venv/bin/python benchmarks/adjudicate.py [--claims N [N …]] [--persons-per-claim F] [--seed S]

Online settlement: the latency of ``adjudicate`` per claim with its explanation written out in
Chinese (median, 95th and 99th percentile), in this process.

Files path: for each size, a claims file in random order (not grouped by person-year) is written
to a temporary folder, then ``jingban adjudicate`` settles it in a child process with results,
explanation lines in Chinese, errors and accumulators. Reported: claims per second over the
whole command, and the child's peak resident memory (``ru_maxrss`` from ``wait4``: the real
process, interpreter and Django included). No database is used (``--policy-source files``).

The target is a peak that stays about flat as the file grows, under 1 GB at 2 million claims.
Run a large size with ``nice``: it takes minutes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from jingban.engine.codes import PERSON_CATEGORIES, Condition, CrossRegion, VisitType
from jingban.engine.medical import Claim, YearToDate, adjudicate
from jingban.engine.medical.files import CLAIM_COLUMNS
from jingban.engine.money import fen_to_yuan_text
from jingban.engine.policy import shipped_registry

PACK_IDS = ("sample-resident-2025", "jiangsu-yihuibao-2021")

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
STAYS = (VisitType.INPATIENT, VisitType.MATERNITY_NATURAL, VisitType.MATERNITY_CESAREAN)


def make_claims(count: int, persons: int, seed: int) -> Iterator[Claim]:
    """``count`` claims of ``persons`` people over 2025, in random order."""
    rng = random.Random(seed)
    visits = list(VISIT_WEIGHTS)
    weights = list(VISIT_WEIGHTS.values())
    start = dt.date(2025, 1, 1)
    for index in range(count):
        visit = rng.choices(visits, weights)[0]
        stay = visit in STAYS
        total = rng.randint(300_000, 8_000_000) if stay else rng.randint(2_000, 300_000)
        out_of_scope = rng.randint(0, total // 5)
        class_b = rng.randint(0, (total - out_of_scope) // 3)
        served = start + dt.timedelta(days=rng.randint(0, 340))
        condition = (
            rng.choice(list(Condition)) if visit is VisitType.OUTPATIENT_TWO_DISEASES else None
        )
        category = "general" if rng.random() < 0.95 else rng.choice(PERSON_CATEGORIES[1:])
        cross = CrossRegion.LOCAL if rng.random() < 0.9 else rng.choice(list(CrossRegion))
        yield Claim(
            claim_id=f"C{index}",
            person_id=f"P{rng.randrange(persons):08d}",
            visit_type=visit,
            hospital_level=rng.choice((1, 2, 3)),
            service_date=served,
            discharge_date=served + dt.timedelta(days=rng.randint(2, 20)) if stay else None,
            total=total,
            out_of_scope=out_of_scope,
            class_b=class_b,
            condition=condition,
            person_category=category,
            cross_region=cross,
        )


def write_claims_file(path: Path, claims: Iterator[Claim]) -> None:
    """The claims as ``jingban adjudicate`` reads them, written as they are made."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(CLAIM_COLUMNS)
        for c in claims:
            writer.writerow(
                (
                    c.claim_id,
                    c.person_id,
                    c.visit_type.value,
                    c.condition.value if c.condition else "",
                    c.hospital_level,
                    c.service_date.isoformat(),
                    c.discharge_date.isoformat() if c.discharge_date else "",
                    fen_to_yuan_text(c.total),
                    fen_to_yuan_text(c.out_of_scope),
                    fen_to_yuan_text(c.class_b),
                    c.person_category,
                    c.cross_region.value,
                )
            )


def online(samples: int, seed: int) -> None:
    registry = shipped_registry()
    packs = [registry.get(pack_id) for pack_id in PACK_IDS]
    print(f"packs: {', '.join(f'{p.ref} ({p.hash[:12]})' for p in packs)}")
    latencies = []
    for claim in make_claims(samples, max(samples // 4, 1), seed):
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


def files_path(count: int, persons: int, seed: int) -> None:
    """``jingban adjudicate`` on a file of ``count`` claims in a child process: its rate and
    peak resident memory."""
    with tempfile.TemporaryDirectory(prefix="jingban-bench-", dir=os.environ.get("BENCH_DIR")) as d:
        folder = Path(d)
        claims = folder / "claims.csv"
        began = time.perf_counter()
        write_claims_file(claims, make_claims(count, persons, seed))
        size = claims.stat().st_size / 2**20
        print(
            f"files path, {count:,} claims of {persons:,} persons: claims file written "
            f"({size:,.0f} MiB) in {time.perf_counter() - began:.1f} s"
        )
        command = [sys.executable, "-c", "from jingban.cli import main; main()", "adjudicate"]
        for pack_id in PACK_IDS:
            command += ["--policy", pack_id]
        command += ["--policy-source", "files", "--language", "zh-hans", "--in", str(claims)]
        for option, name in (
            ("--out", "results.csv"),
            ("--explain", "lines.csv"),
            ("--errors", "errors.csv"),
            ("--accumulators-out", "accumulators.csv"),
        ):
            command += [option, str(folder / name)]
        began = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # wait4 gives this child's own resource usage, not the maximum of every child so far.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        assert child.stdout is not None and child.stderr is not None
        output, errors = child.stdout.read().decode(), child.stderr.read().decode()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in (0, 1):
            raise SystemExit(f"jingban adjudicate failed ({child.returncode}):\n{errors}")
        with (folder / "lines.csv").open(encoding="utf-8") as stream:
            lines = sum(1 for _ in stream) - 1
        summary = next((s for s in output.splitlines() if s.startswith(("Rows", "读取"))), "")
        print(f"  {summary}")
        print(
            f"  jingban adjudicate: {seconds:.1f} s = {count / seconds:,.0f} claims/s "
            f"(results, {lines:,} explanation lines in Chinese, errors, accumulators); "
            f"peak memory {usage.ru_maxrss / 1024:,.0f} MiB (ru_maxrss of the child)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[200_000])
    parser.add_argument(
        "--persons-per-claim",
        type=float,
        default=0.25,
        help="persons as a share of the claims (0.25: four claims a person on average)",
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--online-samples", type=int, default=20_000)
    args = parser.parse_args()
    if args.online_samples:
        online(args.online_samples, args.seed)
    for count in args.claims:
        files_path(count, max(int(count * args.persons_per_claim), 1), args.seed)


if __name__ == "__main__":
    main()
