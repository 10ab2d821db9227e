"""Benchmark of LTC grading: N assessments graded by the national standard's pack through the
reference engine (``jingban.engine.ltc.scoring.grade``), one at a time, as ``jingban ltc
level`` does.

    .venv/bin/python benchmarks/ltc_level.py [--assessments N] [--seed S]

The assessments are generated in this process, one at a time (never all at once), with a
realistic spread: most applicants are severely limited in daily living, some are not. Reported:
assessments per second and the peak resident memory of the process (``ru_maxrss``), and how
many came out at each level. The vector engine of step 11 will be held against these figures.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections import Counter
from collections.abc import Iterator

from jingban.engine.ltc import grade
from jingban.engine.policy import shipped_registry

PACK = "national-ltc-assessment-2021"


def make_forms(count: int, seed: int) -> Iterator[dict[str, int]]:
    """``count`` scoring forms: each person has a frailty; each item's score falls with it."""
    rules = shipped_registry().get(PACK).ltc_assessment
    items = [
        (code, sorted(item.points))
        for dimension in rules.dimensions.values()
        for code, item in dimension.items.items()
    ]
    rng = random.Random(seed)
    for _ in range(count):
        frailty = rng.betavariate(2.5, 1.5)  # applicants: mostly frail
        form = {}
        for code, points in items:
            step = min(
                len(points) - 1,
                max(0, round((1 - frailty) * (len(points) - 1) + rng.gauss(0, 0.7))),
            )
            form[code] = points[step]
        yield form


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rules = shipped_registry().get(PACK).ltc_assessment
    levels: Counter[int] = Counter()
    started = time.perf_counter()
    for form in make_forms(args.assessments, args.seed):
        levels[int(grade(rules, form).level)] += 1
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.assessments:,} assessments graded in {seconds:.1f} s (generation included)")
    print(f"  {args.assessments / seconds:,.0f} assessments per second")
    print(f"  peak resident memory {peak_mb:,.0f} MB")
    print("  levels: " + ", ".join(f"{level}: {levels[level]:,}" for level in sorted(levels)))


if __name__ == "__main__":
    main()
