"""What the benchmarks share: a scratch database on the embedded server, dropped after the run,
and percentiles of timings. Each benchmark is run as a script (``python benchmarks/x.py``), so
this module is imported by its bare name."""

from __future__ import annotations

import statistics

import psycopg


def admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    """The embedded server's maintenance database, as its superuser, in autocommit."""
    from jingban import devdb

    return psycopg.connect(
        host=str(devdb.socket_dir()),
        port=devdb.PORT,
        user=devdb.SUPERUSER,
        dbname="postgres",
        autocommit=True,
    )


def drop_database(name: str) -> None:
    """Drop a scratch database, connections and all; nothing when it is absent."""
    from psycopg import sql

    with admin_connection() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0.5, 0.95, 0.99 …) percentile, inclusive; one value is its own."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]
