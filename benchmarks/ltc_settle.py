"""Benchmark of LTC monthly settlement: N beneficiaries' month of service records settled by a
city's pack through the reference engine (``jingban.engine.ltc.settle.settle_month``).

    .venv/bin/python benchmarks/ltc_settle.py [--people N] [--pack suzhou-ltc] [--seed S]

The service records of one month (May 2026, 31 days) are generated in this process, person by
person in id order, and streamed into ``settle_month(..., sorted_by_person=True)``, the path
the batch file takes after its on-disk grouping: memory is one person's month. The mix: 45% in
an institution every day (some with days in hospital), 40% home visits (up to a few over the
quota), 10% a change from institution to home visits mid-month, 5% family caregivers; a tenth
are relief people. Reported: people and service rows per second, peak resident memory
(``ru_maxrss``), the totals and a conservation check on every person.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import time
from collections.abc import Iterator
from fractions import Fraction
from functools import partial

from jingban.engine.ltc import ServiceRow, settle_month
from jingban.engine.policy import shipped_registry

MONTH = dt.date(2026, 5, 1)
DAYS = 31
TWO = Fraction(2)
ZERO = Fraction(0)


CHECK_IN = dt.time(9, 0)


def _row(
    person: str, level: int, category: str, day: int, form: str, hours: Fraction = ZERO
) -> ServiceRow:
    date = MONTH.replace(day=day)
    start = dt.datetime.combine(date, CHECK_IN)
    timed = form == "home_visit"
    return ServiceRow(
        person,
        level,
        category,
        form,
        None,
        date,
        hours,
        "C1",
        "I1",
        start if timed else None,
        start + dt.timedelta(hours=2) if timed else None,
        31.3 if timed else None,
        120.6 if timed else None,
    )


def make_rows(people: int, seed: int) -> Iterator[ServiceRow]:
    rng = random.Random(seed)
    for number in range(people):
        person = f"P{number:08d}"
        level = rng.choice((2, 3, 3, 4, 5))
        category = "relief" if rng.random() < 0.1 else "general"
        kind = rng.random()

        row = partial(_row, person, level, category)

        if kind < 0.45:
            hospital = set(rng.sample(range(1, DAYS + 1), 3)) if rng.random() < 0.2 else set()
            for day in range(1, DAYS + 1):
                yield row(day, "hospital_stay" if day in hospital else "institution")
        elif kind < 0.85:
            for day in sorted(rng.sample(range(1, DAYS + 1), rng.randint(8, 17))):
                yield row(day, "home_visit", TWO)
        elif kind < 0.95:
            for day in range(1, 16):
                yield row(day, "institution")
            for day in range(16, DAYS + 1, 2):
                yield row(day, "home_visit", TWO)
        else:
            for day in range(1, DAYS + 1):
                yield row(day, "family_caregiver")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--pack", default="suzhou-ltc")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rules = shipped_registry().get(args.pack).ltc
    counted = {"rows": 0}

    def counting(rows: Iterator[ServiceRow]) -> Iterator[ServiceRow]:
        for item in rows:
            counted["rows"] += 1
            yield item

    people = billed = fund = own = rejected = 0
    started = time.perf_counter()
    rows = counting(make_rows(args.people, args.seed))
    for person in settle_month(rules, MONTH, rows, sorted_by_person=True):
        assert person.billed_fen == person.fund_fen + person.self_pay_fen
        people += 1
        billed += person.billed_fen
        fund += person.fund_fen
        own += person.self_pay_fen
        rejected += len(person.rejected)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{people:,} people, {counted['rows']:,} service rows settled in {seconds:.1f} s "
        f"(generation included) by {args.pack}"
    )
    print(
        f"  {people / seconds:,.0f} people per second, "
        f"{counted['rows'] / seconds:,.0f} rows per second"
    )
    print(f"  peak resident memory {peak_mb:,.0f} MB")
    print(
        f"  billed ¥{billed / 100:,.2f} = fund ¥{fund / 100:,.2f} + self-pay ¥{own / 100:,.2f}; "
        f"{rejected:,} rows not paid"
    )


if __name__ == "__main__":
    main()
