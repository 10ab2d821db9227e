"""Benchmark of the synthetic city: 1,000,000 persons generated in memory, loaded into PostgreSQL
(a scratch database ``jingban_bench`` on the embedded server, recreated each run) and written to
Parquet. Prints persons per second for each, where the load's time went (generation, each
table's COPY and index builds, commit), the rows per table and the peak memory.

    JINGBAN_VAR_DIR=./var .venv/bin/python benchmarks/synth.py [--persons N] [--seed S]

Targets of the issue: at least 100,000 persons/s into PostgreSQL end to end, peak memory under
2 GB. The figures depend on the machine and on what else runs on it: the load average is printed
before and after.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from scratch import admin_connection, drop_database

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingban.settings")

BENCH_DATABASE = "jingban_bench"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _fresh_database() -> bool:
    """Recreate the scratch database on the embedded server and migrate it. Returns whether this
    process started the server (and so must stop it)."""
    from psycopg import sql

    from jingban import devdb

    if os.environ.get("DATABASE_URL"):
        sys.exit("benchmarks/synth.py runs on the embedded server only; unset DATABASE_URL")
    started = devdb.start()
    drop_database(BENCH_DATABASE)
    with admin_connection() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = BENCH_DATABASE
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return started


TARGET = 100_000  # persons per second into PostgreSQL
PEAK_TARGET_MB = 2048


def _server_facts() -> tuple[str, int]:
    """The embedded server's settings that matter to a bulk load, and its WAL bytes so far."""
    names = ["wal_level", "max_wal_size", "fsync", "shared_buffers"]
    with admin_connection() as conn:
        values = [
            f"{name}={conn.execute('SELECT current_setting(%s)', [name]).fetchone()[0]}"  # type: ignore[index]
            for name in names
        ]
        wal = conn.execute("SELECT wal_bytes::bigint FROM pg_stat_wal").fetchone()
    return " ".join(values), int(str(wal[0])) if wal else 0


def _print_phases(phases: dict[str, float], total: float, *, overlapped: bool) -> None:
    """Where the time went. Into PostgreSQL the generation runs in a thread beside the load,
    so its time overlaps the others (the waits show how long the load waited for it)."""
    for name, seconds in phases.items():
        if seconds < 0.005:
            continue
        note = "  (in a thread, overlaps the rest)" if overlapped and name == "generate" else ""
        print(f"      {name:<28} {seconds:6.2f} s {seconds / total:6.1%}{note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--keep", action="store_true", help=f"keep the {BENCH_DATABASE} database afterwards"
    )
    args = parser.parse_args()
    persons, seed = args.persons, args.seed

    started = _fresh_database()
    try:
        from jingban.registry.synth import generate_city
        from jingban.registry.synth.digest import digests
        from jingban.registry.synth.generate import generate_frames

        load_before = os.getloadavg()
        print(f"Synthetic city: {persons:,} persons, seed {seed}")
        print(
            f"  load average         {load_before[0]:.2f} {load_before[1]:.2f} "
            f"{load_before[2]:.2f} (1, 5, 15 min) on {os.cpu_count()} CPUs, before"
        )
        clock = time.perf_counter()
        frames = generate_frames(persons, seed)
        generate_seconds = time.perf_counter() - clock
        clock = time.perf_counter()
        digest, _tables = digests(frames)
        digest_seconds = time.perf_counter() - clock
        counts = {name: frame.height for name, frame in frames.items()}
        del frames
        print(
            f"  generate in memory   {generate_seconds:7.2f} s"
            f"  {persons / generate_seconds:>10,.0f} persons/s"
        )
        print(f"  digest               {digest_seconds:7.2f} s")

        settings, wal_before = _server_facts()
        loaded = generate_city(persons, seed)
        _settings, wal_after = _server_facts()
        assert loaded.digest == digest and loaded.counts == counts
        rate = loaded.persons_per_second
        print(
            f"  into PostgreSQL      {loaded.seconds:7.2f} s  {rate:>10,.0f} persons/s"
            f"  = {rate / TARGET:.2f} × the {TARGET:,}/s target"
            " (generate + COPY + indexes + digest, one transaction)"
        )
        _print_phases(loaded.phases, loaded.seconds, overlapped=True)
        print(f"      WAL written: {(wal_after - wal_before) / 2**20:,.0f} MiB; server: {settings}")
        with tempfile.TemporaryDirectory() as directory:
            written = generate_city(persons, seed, out=Path(directory))
            size = sum(f.stat().st_size for f in Path(directory).iterdir()) / 2**20
        assert written.digest == digest
        print(
            f"  to Parquet           {written.seconds:7.2f} s  {written.persons_per_second:>10,.0f}"
            f" persons/s  ({size:,.0f} MiB)"
        )
        _print_phases(written.phases, written.seconds, overlapped=False)
        print("  rows per table:")
        for name, count in counts.items():
            print(f"    {name:<18} {count:>12,}")
        print(f"  digest               {digest}")
        peak = _peak_mb()
        print(
            f"  peak memory          {peak:,.0f} MiB (maxrss of this process; target under "
            f"{PEAK_TARGET_MB:,} MiB: {'met' if peak < PEAK_TARGET_MB else 'NOT met'})"
        )
        load_after = os.getloadavg()
        print(
            f"  load average         {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
            " (1, 5, 15 min), after"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(BENCH_DATABASE)
        if started:
            from jingban import devdb

            devdb.stop()


if __name__ == "__main__":
    main()
