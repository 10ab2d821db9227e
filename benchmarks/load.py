"""Load benchmark of the web server: requests per second and latency (p50, p99) at 10 and 50
concurrent clients on the person list page, a person page and the person API.

    JINGBAN_VAR_DIR=./var .venv/bin/python benchmarks/load.py [--server serve runserver …]

It prepares a scratch database ``jingban_load`` on the embedded server (the demo city with
20,000 persons on its first run, kept for the next runs; ``--fresh`` rebuilds it), starts the
server under test on a free loopback port with ``DATABASE_URL`` pointing at it, signs in as the
operator ``wang`` (a session cookie) and issues him an API token, then drives the server with
HTTP/1.1 keep-alive clients written on asyncio sockets (no dependency, little CPU per request).
Each run is bounded twice: ``--seconds`` per scenario and ``--max-requests`` per scenario; the
server is stopped afterwards, whatever happens.

Servers (``--server``, several allowed; they run one after the other on the same data):

- ``serve``: ``jingban serve`` as it is (the production server, with the job worker beside it);
- ``runserver``: Django's single-process threaded server, as ``jingban serve`` ran it before
  (``runserver --noreload``, threads on) — the "before" figures;
- ``gunicorn`` (synchronous workers, 2 × cores + 1), ``gunicorn-gthread`` and ``granian`` (the
  workers and threads ``serve`` uses): the candidates compared in
  docs/adr/0005-production-server.md.

Besides requests per second and latency it prints the CPU time the server and the database
spent per request (all their processes, exited ones included): unlike the others, that figure
does not move with what else runs on the machine.

Loopback only: the server binds 127.0.0.1 and the clients connect nowhere else. The machine's
load average is printed before and after: on a shared machine the figures move with it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from scratch import admin_connection, percentile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingban.settings")
# The server under test must read the session this process writes: same key on both sides.
os.environ["JINGBAN_SECRET_KEY"] = secrets.token_urlsafe(40)
# With DATABASE_URL set and debug off the server refuses to start without a personal-data key.
os.environ["JINGBAN_PII_KEY"] = secrets.token_urlsafe(40)

LOAD_DATABASE = "jingban_load"
HOST = "127.0.0.1"  # never anything but loopback
SERVERS = ["serve", "runserver", "gunicorn", "gunicorn-gthread", "granian"]


def _prepare_database(persons: int, fresh: bool) -> bool:
    """The scratch database, migrated and holding the demo city. Returns whether this process
    started the embedded server (and so must stop it)."""
    from psycopg import sql

    from jingban import devdb

    if os.environ.get("DATABASE_URL"):
        sys.exit("benchmarks/load.py runs on the embedded server only; unset DATABASE_URL")
    started = devdb.start()
    name = sql.Identifier(LOAD_DATABASE)
    with admin_connection() as conn:
        if fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [LOAD_DATABASE]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = LOAD_DATABASE
    import django

    django.setup()
    from django.core.management import call_command

    from jingban.demo.world import build_world
    from jingban.registry.models import Person

    call_command("migrate", interactive=False, verbosity=0)
    if not Person.objects.exists():
        print(f"Building the demo city in {LOAD_DATABASE} ({persons:,} persons)…", flush=True)
    build_world(persons=persons, var_dir=None)
    return started


@dataclass(frozen=True)
class Credentials:
    session_cookie: str
    token: str
    person_id: int


def _credentials() -> Credentials:
    """A session of wang's (as a sign-in would leave it) and an API token of his."""
    from django.core.management import call_command
    from django.test import Client

    from jingban.core.models import User
    from jingban.registry.models import Person

    wang = User.objects.get(username="wang")
    client = Client()
    client.force_login(wang)
    out = io.StringIO()
    call_command("token", "create", "wang", name="load-benchmark", stdout=out)
    # A person in wang's scope (Suzhou), the same one every run.
    person = Person.objects.filter(region__code__startswith="3205").order_by("id")[100]
    return Credentials(client.cookies["sessionid"].value, out.getvalue().strip(), person.pk)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    from jingban import devdb

    socket_dir = quote(str(devdb.socket_dir()), safe="")
    return f"postgresql://{devdb.SUPERUSER}@/{LOAD_DATABASE}?host={socket_dir}&port={devdb.PORT}"


def _server_argv(server: str, port: int, workers: int, threads: int) -> list[str]:
    python = sys.executable
    if server == "serve":
        return [python, "-m", "jingban.cli", "serve", "--host", HOST, "--port", str(port)]
    if server == "runserver":
        # What `jingban serve` ran before: Django's server, threaded, without auto-reload.
        return [python, "-m", "jingban.cli", "runserver", "--noreload", f"{HOST}:{port}"]
    if server == "gunicorn":
        # Synchronous workers serve one request each: gunicorn's advice is 2 × cores + 1.
        sync_workers = str(2 * (os.cpu_count() or 1) + 1)
        return [
            *[python, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", sync_workers],
            "jingban.wsgi:application",
        ]
    if server == "gunicorn-gthread":
        argv = [python, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
        argv += ["--worker-class", "gthread", "--threads", str(threads)]
        return [*argv, "jingban.wsgi:application"]
    if server == "granian":
        return [
            python,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--no-ws",
            "jingban.wsgi:application",
        ]
    raise ValueError(server)


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(roots: set[int]) -> float:
    """CPU time so far of the processes ``roots`` and all their descendants (the server with its
    workers and the job worker; the postmaster with its backends), exited children included
    (cutime, cstime). A figure that moves much less with what else runs on the machine than
    requests per second do."""
    processes: dict[int, tuple[int, int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone meanwhile
        fields = text[text.rindex(")") + 2 :].split()
        ticks = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
        processes[int(stat.parent.name)] = (int(fields[1]), ticks)
    total = 0
    tree = {pid for pid in roots if pid in processes}
    while tree:
        total += sum(processes[pid][1] for pid in tree)
        tree = {pid for pid, (ppid, _) in processes.items() if ppid in tree}
    return total / _TICKS


def _postmaster() -> int:
    from jingban import devdb

    return int((devdb.data_dir() / "postmaster.pid").read_text().split()[0])


@contextlib.contextmanager
def _running(argv: list[str], env: dict[str, str], log: Path) -> Iterator[int]:
    with log.open("wb") as out:
        child = subprocess.Popen(
            argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield child.pid
        finally:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()


async def _wait_until_up(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _ = await _one_request(port, f"GET /login/ HTTP/1.1\r\nHost: {HOST}\r\n\r\n")
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.3)
    raise RuntimeError(f"the server did not answer on port {port} within {seconds:.0f} s")


async def _one_request(port: int, request: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(request.encode())
        status, _close, body = await asyncio.wait_for(_read_response(reader), 30)
        return status, body
    finally:
        writer.close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """One HTTP/1.1 response: status, whether the server closes the connection, body."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    close = headers.get("connection", "").lower() == "close"
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await reader.readexactly(size + 2))
            if size == 0:
                break
        body = b"".join(parts)
    else:
        body = await reader.read()
        close = True
    return status, close, body


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    errors: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0


async def _drive(
    port: int, request: bytes, clients: int, seconds: float, max_requests: int
) -> Outcome:
    outcome = Outcome()
    budget = [max_requests]
    start = time.perf_counter()
    deadline = start + seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while time.perf_counter() < deadline and budget[0] > 0:
                budget[0] -= 1
                sent = time.perf_counter()
                writer.write(request)
                status, close, _body = await asyncio.wait_for(_read_response(reader), 60)
                outcome.latencies.append(time.perf_counter() - sent)
                if status != 200:
                    outcome.errors[status] = outcome.errors.get(status, 0) + 1
                if close:
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, port)
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    outcome.seconds = time.perf_counter() - start
    return outcome


def _request(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}", "Accept-Language: zh-hans"]
    lines += [f"{key}: {value}" for key, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", nargs="+", choices=SERVERS, default=["serve"])
    parser.add_argument(
        "--target", nargs="+", choices=["list", "page", "api"], default=["list", "page", "api"]
    )
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--seconds", type=float, default=10.0, help="per scenario")
    parser.add_argument("--max-requests", type=int, default=20_000, help="per scenario")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds, per scenario")
    parser.add_argument(
        "--workers", type=int, default=0, help="JINGBAN_WEB_WORKERS (0: the default)"
    )
    parser.add_argument("--threads", type=int, default=0, help="JINGBAN_WEB_THREADS (0: default)")
    parser.add_argument(
        "--conn-max-age", type=int, help="JINGBAN_DB_CONN_MAX_AGE of the production servers"
    )
    parser.add_argument("--fresh", action="store_true", help=f"rebuild {LOAD_DATABASE}")
    args = parser.parse_args()
    if max(args.clients) > 200 or args.seconds > 120 or args.max_requests > 200_000:
        sys.exit("bounded: at most 200 clients, 120 s and 200,000 requests per scenario")

    if any(server.startswith("gunicorn") for server in args.server):
        import importlib.util

        if importlib.util.find_spec("gunicorn") is None:
            sys.exit("gunicorn is not a dependency of jingban: pip install gunicorn==27.0.1")
    started = _prepare_database(args.persons, args.fresh)
    try:
        credentials = _credentials()
        from django.db import connections

        connections.close_all()
        from jingban.config import env_path

        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "JINGBAN_DEBUG": "false",
            "JINGBAN_ALLOWED_HOSTS": HOST,
            "DJANGO_SETTINGS_MODULE": "jingban.settings",
        }
        # The candidates run as `jingban serve` would run Granian (see jingban.webserver).
        from jingban.webserver import web_threads, web_workers

        workers = args.workers or web_workers()
        threads = args.threads or web_threads()
        if args.workers:
            env["JINGBAN_WEB_WORKERS"] = str(args.workers)
        if args.threads:
            env["JINGBAN_WEB_THREADS"] = str(args.threads)
        cookie = {"Cookie": f"sessionid={credentials.session_cookie}"}
        bearer = {"Authorization": f"Bearer {credentials.token}"}
        targets = [
            (label, request)
            for key, label, request in [
                ("list", "person list", _request("/persons/", cookie)),
                ("page", "person page", _request(f"/persons/{credentials.person_id}/", cookie)),
                ("api", "person API", _request("/api/v1/persons", bearer)),
            ]
            if key in args.target
        ]
        load = os.getloadavg()
        print(
            f"Load benchmark: {args.seconds:g} s or {args.max_requests:,} requests per scenario, "
            f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} before"
        )
        rows: list[tuple[str, ...]] = []
        logs = env_path("JINGBAN_VAR_DIR") / "load-benchmark"
        logs.mkdir(parents=True, exist_ok=True)
        postmaster = _postmaster()
        for server in args.server:
            port = _free_port()
            argv = _server_argv(server, port, workers, threads)
            server_env = dict(env)
            if server == "runserver":
                # As before: a new database connection for every request.
                server_env["JINGBAN_DB_CONN_MAX_AGE"] = "0"
            elif args.conn_max_age is not None:
                server_env["JINGBAN_DB_CONN_MAX_AGE"] = str(args.conn_max_age)
            with _running(argv, server_env, logs / f"{server}.log") as server_pid:
                asyncio.run(_wait_until_up(port, 90))
                for label, request in targets:
                    for clients in args.clients:
                        if args.warmup:
                            asyncio.run(_drive(port, request, clients, args.warmup, 10_000))
                        cpu = _cpu_seconds({server_pid, postmaster})
                        out = asyncio.run(
                            _drive(port, request, clients, args.seconds, args.max_requests)
                        )
                        cpu = _cpu_seconds({server_pid, postmaster}) - cpu
                        count = len(out.latencies)
                        errors = ", ".join(f"{n}×{s}" for s, n in sorted(out.errors.items()))
                        rows.append(
                            (
                                server,
                                label,
                                str(clients),
                                f"{count:,}",
                                f"{count / out.seconds:,.1f}",
                                f"{percentile(out.latencies, 0.50) * 1000:,.0f}",
                                f"{percentile(out.latencies, 0.99) * 1000:,.0f}",
                                f"{cpu * 1000 / max(count, 1):,.1f}",
                                errors or "-",
                            )
                        )
                        print("  " + "  ".join(rows[-1]), flush=True)
        header = (
            "server",
            "target",
            "clients",
            "requests",
            "req/s",
            "p50 ms",
            "p99 ms",
            "CPU ms/req",
            "not 200",
        )
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        print()
        for row in [header, *rows]:
            print(
                "  ".join(
                    cell.ljust(w) if i < 2 else cell.rjust(w)
                    for i, (cell, w) in enumerate(zip(row, widths, strict=True))
                )
            )
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} after; logs in {logs}")
    finally:
        from django.db import connections

        connections.close_all()
        if started:
            from jingban import devdb

            devdb.stop()


if __name__ == "__main__":
    main()
