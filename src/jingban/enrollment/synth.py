"""The enrollment app's part of the synthetic city: one contribution payment for each active
resident enrollment of a year that has contribution rules, the first tier's amount, paid through
the tax authority in the concentrated period before the year. Written inside PostgreSQL in one
``INSERT … SELECT`` per year (no row crosses the wire, faster than COPY), without log entries:
synthetic history, not acts of anyone. Running it again adds nothing (the vouchers are unique)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time

from django.db import connection, transaction

from jingban.core.plugins import SynthContext, SynthOutcome
from jingban.engine.policy import Family, PolicyPack, UnknownPack, shipped_registry
from jingban.engine.policy.errors import PackError
from jingban.packs import queries as pack_queries

SCHEME = "resident_medical"


def _pack(year: int) -> PolicyPack | None:
    for registry in (pack_queries.current_registry(), shipped_registry()):
        try:
            return registry.in_force("000000", SCHEME, dt.date(year, 1, 1), Family.CONTRIBUTION)
        except (PackError, UnknownPack):
            continue
    return None


_INSERT = """
INSERT INTO enrollment_contributionpayment
    (person_id, scheme_id, year, amount, expected, reconciliation, paid_at, channel, voucher,
     recorded_at)
SELECT e.person_id, e.scheme_id, e.year, %(amount)s, %(amount)s, 'matched',
       %(start)s::timestamptz + make_interval(days => (e.id %% %(days)s)::int,
                                              mins => (e.id %% 600)::int),
       CASE WHEN e.id %% 10 < 8 THEN 'tax' WHEN e.id %% 10 = 8 THEN 'bank' ELSE 'online' END,
       'SY' || e.year || lpad(e.id::text, 14, '0'),
       now()
FROM registry_enrollment AS e
JOIN core_scheme AS s ON s.id = e.scheme_id
WHERE s.code = %(scheme)s AND e.year = %(year)s AND e.status = 'active'
ON CONFLICT (voucher) DO NOTHING
"""


def generate(ctx: SynthContext) -> SynthOutcome:
    started = time.monotonic()
    if ctx.out is not None:
        return SynthOutcome("enrollment", {"payments": 0}, "", 0.0)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT e.year FROM registry_enrollment e JOIN core_scheme s "
            "ON s.id = e.scheme_id WHERE s.code = %s ORDER BY 1",
            [SCHEME],
        )
        years = [row[0] for row in cursor.fetchall()]
    written = 0
    digest = hashlib.sha256()
    with transaction.atomic(), connection.cursor() as cursor:
        for year in years:
            pack = _pack(year)
            if pack is None:
                continue
            rules = pack.contribution
            amount = rules.tiers[rules.base_tier].amount
            if rules.concentrated_period is not None:
                first, last = rules.concentrated_period.days(year)
            else:
                first, last = dt.date(year, 1, 1), dt.date(year, 3, 31)
            cursor.execute(
                _INSERT,
                {
                    "amount": amount,
                    "start": f"{first.isoformat()} 09:00:00+08:00",
                    "days": (last - first).days + 1,
                    "scheme": SCHEME,
                    "year": year,
                },
            )
            written += cursor.rowcount
            digest.update(f"{year}:{amount}:{cursor.rowcount}\n".encode())
    return SynthOutcome(
        "enrollment", {"payments": written}, digest.hexdigest(), time.monotonic() - started
    )
