"""Load benchmark of direct settlement over the national hospital interface, through the
production server (``jingban serve``: Granian, PostgreSQL), on loopback only.

    JINGBAN_VAR_DIR=./var .venv/bin/python benchmarks/settlement_load.py [--clients 50]

It prepares a scratch database ``jingban_settlement_load`` on the embedded server (the demo city,
``--persons`` on its first run, kept for the next runs; ``--fresh`` rebuilds it), gives the demo
hospital SZ-HOSP-1 a staff account with a bearer token, starts ``jingban serve`` on a free
loopback port and drives it with ``--clients`` HTTP/1.1 keep-alive clients (asyncio sockets),
each settling for persons of its own (one person's settlements serialise on their
accumulators, by design). Three phases, each bounded by ``--seconds`` and ``--max-flows``:

1. **prepare**: 2201 registration then 2204 fee details (two lines), timed apart, for as many
   visits as phase 2 will settle;
2. **settle**: 2207 alone on the prepared visits: settlements per second, p50, p99;
3. **flows**: whole outpatient flows (2201 → 2204 → 2207) per second, and each call's latency.

It prints where the time goes: CPU milliseconds per request of the server's processes, of
PostgreSQL's, and of this load generator (they share the machine's cores), and the machine's
load average before and after. ``--stand-ins`` replaces the other parts' contracts (coverage,
catalogue, filing) in the server by the test suite's fakes, for a branch where they are not
merged (``benchmarks/settlement_standins.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import json
import os
import secrets
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

# load.py (beside this file) sets the keys the server needs and holds the HTTP plumbing.
from load import (
    HOST,
    _cpu_seconds,
    _free_port,
    _postmaster,
    _read_response,
    _running,
    _wait_until_up,
)
from scratch import admin_connection, percentile

DATABASE = "jingban_settlement_load"
ROOT = Path(__file__).resolve().parents[1]
URL_PATH = "/fsi/api/rsfComIfsService/callService"
# Two catalogue items (the sample catalogue's amoxicillin, 甲类, and vitamin C, 丙类); the
# stand-ins classify codes they do not know as fully self-paid.
FEES = [
    ("XJ01CAA381A0010100000", "20.00", "2", "40.00"),
    ("XA11GAA115A0010100108", "12.50", "1", "12.50"),
]
TOTAL = "52.50"


def _prepare(persons: int, fresh: bool) -> bool:
    from psycopg import sql

    from jingban import devdb

    if os.environ.get("DATABASE_URL"):
        sys.exit("benchmarks/settlement_load.py runs on the embedded server only")
    started = devdb.start()
    name = sql.Identifier(DATABASE)
    with admin_connection() as conn:
        if fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = DATABASE
    import django

    django.setup()
    from django.core.management import call_command

    from jingban.demo.world import build_world

    call_command("migrate", interactive=False, verbosity=0)
    build_world(persons=persons, var_dir=None)
    return started


@dataclass(frozen=True)
class Setup:
    token: str
    psn_nos: list[str]
    cert_nos: list[str]


def _setup(count: int) -> Setup:
    from django.core.management import call_command
    from django.utils import timezone

    from jingban.core.models import Organisation, User
    from jingban.core.roles import Role
    from jingban.core.services.accounts import create_account
    from jingban.medical.services import psn_no_of
    from jingban.registry.models import Person

    hospital = Organisation.objects.get(code="SZ-HOSP-1")
    user = User.objects.filter(username="load-his").first() or create_account(
        username="load-his",
        password=secrets.token_urlsafe(16),
        role=Role.INSTITUTION_STAFF,
        region=hospital.region,
        organisation=hospital,
        acting_user=None,
    )
    out = io.StringIO()
    call_command("token", "create", user.username, name="settlement-load", stdout=out)
    # Persons enrolled in resident medical insurance this year (the others would be refused;
    # the report counts refusals by their message).
    people = list(
        Person.objects.filter(
            region__path__contains="320500/",
            death_date__isnull=True,
            enrollments__scheme__code="resident_medical",
            enrollments__year=timezone.localdate().year,
            enrollments__status="active",
        ).order_by("id")[:count]
    )
    return Setup(
        out.getvalue().strip(),
        [psn_no_of(p) for p in people],
        [p.document_number for p in people],
    )


_msg = itertools.count(1)


def _envelope(infno: str, payload: dict) -> bytes:
    return json.dumps(
        {
            "infno": infno,
            "msgid": f"SZHOSP1{time.strftime('%Y%m%d%H%M%S')}{next(_msg):09d}",
            "mdtrtarea_admvs": "320505",
            "insuplc_admdvs": "320500",
            "opter": "0001",
            "opter_name": "load",
            "opter_type": "1",
            "fixmedins_code": "SZ-HOSP-1",
            "input": payload,
        },
        ensure_ascii=False,
    ).encode()


def _http(body: bytes, token: str) -> bytes:
    head = (
        f"POST {URL_PATH} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


@dataclass
class Timings:
    by_infno: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    flows: int = 0


class Client:
    def __init__(self, port: int, token: str, timings: Timings) -> None:
        self.port, self.token, self.timings = port, token, timings

    async def __aenter__(self) -> Client:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.writer.close()

    async def call(self, infno: str, payload: dict) -> dict | None:
        sent = time.perf_counter()
        self.writer.write(_http(_envelope(infno, payload), self.token))
        status, close, body = await asyncio.wait_for(_read_response(self.reader), 60)
        self.timings.by_infno.setdefault(infno, []).append(time.perf_counter() - sent)
        if close:
            self.writer.close()
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        answer = json.loads(body) if status == 200 else None
        if answer is None or answer.get("infcode") != 0:
            key = f"{infno}: {answer.get('err_msg') if answer else status}"[:120]
            self.timings.failures[key] = self.timings.failures.get(key, 0) + 1
            return None
        return answer

    async def prepare(self, psn_no: str, cert_no: str, number: str) -> str | None:
        day = time.strftime("%Y-%m-%d")
        registered = await self.call(
            "2201",
            {
                "data": {
                    "psn_no": psn_no,
                    "insutype": "390",
                    "begntime": f"{day} 09:00:00",
                    "mdtrt_cert_type": "02",
                    "mdtrt_cert_no": cert_no,
                    "ipt_otp_no": number,
                    "med_type": "11",
                }
            },
        )
        if registered is None:
            return None
        mdtrt_id = registered["output"]["data"]["mdtrt_id"]
        lines = [
            {
                "feedetl_sn": str(n),
                "mdtrt_id": mdtrt_id,
                "psn_no": psn_no,
                "chrg_bchno": "B1",
                "fee_ocur_time": f"{day} 09:30:00",
                "med_list_codg": code,
                "medins_list_codg": f"H-{code}",
                "det_item_fee_sumamt": amount,
                "cnt": cnt,
                "pric": price,
            }
            for n, (code, price, cnt, amount) in enumerate(FEES, 1)
        ]
        uploaded = await self.call("2204", {"feedetail": lines})
        return mdtrt_id if uploaded is not None else None

    async def settle(self, psn_no: str, cert_no: str, mdtrt_id: str) -> bool:
        data = {
            "psn_no": psn_no,
            "mdtrt_cert_type": "02",
            "mdtrt_cert_no": cert_no,
            "med_type": "11",
            "medfee_sumamt": TOTAL,
            "psn_setlway": "01",
            "mdtrt_id": mdtrt_id,
            "chrg_bchno": "B1",
            "insutype": "390",
            "acct_used_flag": "0",
        }
        return await self.call("2207", {"data": data}) is not None


async def _phase(
    port: int,
    setup: Setup,
    clients: int,
    seconds: float,
    max_flows: int,
    work: str,
    ready: list[list[tuple[str, str, str]]] | None = None,
) -> tuple[Timings, float, list[list[tuple[str, str, str]]]]:
    """Run ``work`` (prepare, settle, flow) on ``clients`` connections; client i works for
    persons i, i + clients, … ."""
    timings = Timings()
    prepared: list[list[tuple[str, str, str]]] = [[] for _ in range(clients)]
    budget = [max_flows]
    start = time.perf_counter()
    deadline = start + seconds
    run = f"{int(time.time())}"

    async def one(index: int) -> None:
        persons = list(zip(setup.psn_nos, setup.cert_nos, strict=True))[index::clients]
        queue = list(ready[index]) if ready is not None else []
        async with Client(port, setup.token, timings) as client:
            turn = 0
            while time.perf_counter() < deadline and budget[0] > 0:
                if work == "settle":
                    if not queue:
                        return
                    psn_no, cert_no, mdtrt_id = queue.pop()
                    budget[0] -= 1
                    if await client.settle(psn_no, cert_no, mdtrt_id):
                        timings.flows += 1
                    continue
                psn_no, cert_no = persons[turn % len(persons)]
                turn += 1
                budget[0] -= 1
                mdtrt_id = await client.prepare(psn_no, cert_no, f"L{run}{index}-{turn}-{work}")
                if mdtrt_id is None:
                    continue
                if work == "prepare":
                    prepared[index].append((psn_no, cert_no, mdtrt_id))
                    timings.flows += 1
                elif await client.settle(psn_no, cert_no, mdtrt_id):
                    timings.flows += 1

    await asyncio.gather(*(one(i) for i in range(clients)))
    return timings, time.perf_counter() - start, prepared


def _report(label: str, timings: Timings, seconds: float, cpu: tuple[float, float, float]) -> None:
    calls = sum(len(v) for v in timings.by_infno.values())
    server, database, generator = (c * 1000 / max(calls, 1) for c in cpu)
    print(f"\n{label}: {timings.flows:,} in {seconds:.1f} s = {timings.flows / seconds:,.1f}/s")
    for infno, values in sorted(timings.by_infno.items()):
        print(
            f"  {infno}: {len(values):,} calls, p50 {percentile(values, 0.5) * 1000:,.1f} ms, "
            f"p99 {percentile(values, 0.99) * 1000:,.1f} ms"
        )
    print(
        f"  CPU per call: server {server:.1f} ms, PostgreSQL {database:.1f} ms, "
        f"load generator {generator:.1f} ms"
    )
    for reason, count in sorted(timings.failures.items()):
        print(f"  not settled: {count:,} × {reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--persons", type=int, default=2_000)
    parser.add_argument("--seconds", type=float, default=20.0, help="per phase")
    parser.add_argument("--max-flows", type=int, default=6_000, help="per phase")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of flows first")
    parser.add_argument("--workers", type=int, default=0, help="JINGBAN_WEB_WORKERS")
    parser.add_argument("--threads", type=int, default=0, help="JINGBAN_WEB_THREADS")
    parser.add_argument("--stand-ins", action="store_true", help="fake coverage/catalogue/filing")
    parser.add_argument("--fresh", action="store_true", help=f"rebuild {DATABASE}")
    args = parser.parse_args()
    if args.clients > 200 or args.seconds > 120 or args.max_flows > 50_000:
        sys.exit("bounded: at most 200 clients, 120 s and 50,000 flows per phase")
    started = _prepare(args.persons, args.fresh)
    try:
        setup = _setup(args.persons)
        from django.db import connections

        connections.close_all()
        from jingban import devdb
        from jingban.config import env_path

        socket_dir = quote(str(devdb.socket_dir()), safe="")
        env = {
            **os.environ,
            "DATABASE_URL": f"postgresql://{devdb.SUPERUSER}@/{DATABASE}?host={socket_dir}"
            f"&port={devdb.PORT}",
            "JINGBAN_DEBUG": "false",
            "JINGBAN_ALLOWED_HOSTS": HOST,
            "DJANGO_SETTINGS_MODULE": "jingban.settings",
        }
        if args.workers:
            env["JINGBAN_WEB_WORKERS"] = str(args.workers)
        if args.threads:
            env["JINGBAN_WEB_THREADS"] = str(args.threads)
        if args.stand_ins:
            env["JINGBAN_EXTRA_APPS"] = "settlement_standins.StandinsConfig"
            paths = [str(ROOT / "benchmarks"), str(ROOT), env.get("PYTHONPATH", "")]
            env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        logs = env_path("JINGBAN_VAR_DIR") / "load-benchmark"
        logs.mkdir(parents=True, exist_ok=True)
        load = os.getloadavg()
        print(
            f"Settlement load: {args.clients} clients, {args.seconds:g} s or {args.max_flows:,} "
            f"per phase, {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} "
            f"{load[2]:.2f} before" + (", stand-ins for the other parts" if args.stand_ins else "")
        )
        port = _free_port()
        argv = [sys.executable, "-m", "jingban.cli", "serve", "--host", HOST, "--port", str(port)]
        with _running(argv, env, logs / "settlement-serve.log") as server_pid:
            asyncio.run(_wait_until_up(port, 90))
            postmaster = _postmaster()
            # Warm-up, not reported: each server process loads the packs and the catalogue.
            asyncio.run(_phase(port, setup, args.clients, args.warmup, args.max_flows, "flow"))
            ready: list[list[tuple[str, str, str]]] | None = None
            for work, label in (
                ("prepare", "prepared visits (2201 + 2204)"),
                ("settle", "2207 settlements"),
                ("flow", "whole outpatient flows (2201 → 2204 → 2207)"),
            ):
                before = (
                    _cpu_seconds({server_pid}),
                    _cpu_seconds({postmaster}),
                    time.process_time(),
                )
                timings, seconds, prepared = asyncio.run(
                    _phase(port, setup, args.clients, args.seconds, args.max_flows, work, ready)
                )
                after = (
                    _cpu_seconds({server_pid}),
                    _cpu_seconds({postmaster}),
                    time.process_time(),
                )
                cpu = (after[0] - before[0], after[1] - before[1], after[2] - before[2])
                _report(label, timings, seconds, cpu)
                if work == "prepare":
                    ready = prepared
        load = os.getloadavg()
        print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} after; logs in {logs}")
    finally:
        from django.db import connections

        connections.close_all()
        if started:
            from jingban import devdb

            devdb.stop()


if __name__ == "__main__":
    main()
