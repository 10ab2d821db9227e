"""Connections and client programs for backups: which pg_dump and pg_restore, of which version.

Only the server's own major version is supported, for the tools and for the dump (see
docs/operations.md): the embedded server brings its own pg_dump and pg_restore; with
``DATABASE_URL`` they come from ``JINGBAN_PG_BINDIR`` or ``PATH`` and must match the server.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connections, transaction
from django.utils.translation import gettext as _

from jingban import devdb
from jingban.config import env_path, env_str
from jingban.core.actionlog import log_action

Step = Callable[[str], None]

# Fixed output settings, so that a row's text, and with it its checksum, does not depend on the
# session that reads it.
_SESSION_OPTIONS = (
    "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres "
    "-c extra_float_digits=1 -c bytea_output=hex"
)
IDENTIFIER_LIMIT = 63  # PostgreSQL truncates longer names (NAMEDATALEN - 1)


class BackupError(Exception):
    """A backup or restore was refused or failed; the message is translated and names the file."""


def _db_settings() -> dict[str, Any]:
    return dict(connections["default"].settings_dict)


def database_name() -> str:
    """The application database's name, as Django connects to it (``test_jingban`` in tests)."""
    return str(_db_settings()["NAME"])


def connect(dbname: str | None = None, *, autocommit: bool = True) -> psycopg.Connection[Any]:
    params = _db_settings()
    kwargs: dict[str, Any] = {
        "dbname": dbname or params["NAME"],
        "autocommit": autocommit,
        "options": _SESSION_OPTIONS,
        "application_name": "jingban-backup",
    }
    for key, name in (
        ("HOST", "host"),
        ("PORT", "port"),
        ("USER", "user"),
        ("PASSWORD", "password"),
    ):
        if params.get(key):
            kwargs[name] = str(params[key])
    # DATABASE_URL's options (sslmode=verify-full, sslrootcert …) hold here as for Django's own
    # connection: a backup never reaches a server that requires verified TLS without it.
    for name, value in _libpq_options(params).items():
        if name == "options":
            kwargs["options"] = f"{value} {_SESSION_OPTIONS}"
        elif name != "application_name":
            kwargs[name] = value
    return psycopg.connect(**kwargs)


def _libpq_options(params: dict[str, Any]) -> dict[str, str]:
    options = params.get("OPTIONS") or {}
    return {str(k): str(v) for k, v in options.items() if v is not None and v != ""}


# The libpq parameters pg_dump and pg_restore read from the environment (libpq's PG* variables).
_ENVIRONMENT_OF = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "sslcrldir": "PGSSLCRLDIR",
    "sslcertmode": "PGSSLCERTMODE",
    "sslnegotiation": "PGSSLNEGOTIATION",
    "ssl_min_protocol_version": "PGSSLMINPROTOCOLVERSION",
    "ssl_max_protocol_version": "PGSSLMAXPROTOCOLVERSION",
    "channel_binding": "PGCHANNELBINDING",
    "gssencmode": "PGGSSENCMODE",
    "requirepeer": "PGREQUIREPEER",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "load_balance_hosts": "PGLOADBALANCEHOSTS",
    "hostaddr": "PGHOSTADDR",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "krbsrvname": "PGKRBSRVNAME",
    "options": "PGOPTIONS",
}


def connect_maintenance() -> psycopg.Connection[Any]:
    """A connection to the server outside the application database (renaming needs that)."""
    error: psycopg.Error | None = None
    for dbname in ("postgres", "template1"):
        try:
            return connect(dbname)
        except psycopg.Error as err:
            error = err
    raise BackupError(
        _("Cannot connect to the database server outside database %(db)s: %(error)s")
        % {"db": database_name(), "error": first_line(str(error))}
    )


def _tool_env() -> dict[str, str]:
    """The environment of pg_dump and pg_restore: the connection, never on the command line."""
    params = _db_settings()
    # The rest of the environment (PGSSLMODE …) applies as it does to Django's own connection.
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if params.get(key):
            env[name] = str(params[key])
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    for name, value in _libpq_options(params).items():
        variable = _ENVIRONMENT_OF.get(name)
        if variable is not None:
            env[variable] = value
    env["PGAPPNAME"] = "jingban-backup"
    env["LC_ALL"] = "C"  # messages in English, so that they can be recognised
    return env


def _tool(name: str) -> Path:
    """The pg_dump or pg_restore to use: the embedded server's own, or the configured one."""
    if settings.EMBEDDED_DATABASE:
        return devdb.bin_path(name)
    if env_str("JINGBAN_PG_BINDIR"):
        path = env_path("JINGBAN_PG_BINDIR") / name
        if not path.is_file():
            raise BackupError(
                _("%(program)s is not in JINGBAN_PG_BINDIR (%(dir)s).")
                % {"program": name, "dir": path.parent}
            )
        return path
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _(
                "%(program)s was not found on PATH. Install the PostgreSQL client programs of the "
                "server's major version, or set JINGBAN_PG_BINDIR to their directory."
            )
            % {"program": name}
        )
    return Path(found)


def run_tool(
    args: list[str | Path], *, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args],
        capture_output=True,
        text=True,
        errors="replace",
        env=_tool_env(),
        timeout=timeout,
        check=False,
    )


def first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def error_detail(stderr: str) -> str:
    """pg_dump's or pg_restore's first error, without its program prefix."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line] or lines
    if not errors:
        return ""
    return re.sub(r"^pg_\w+: (error: )?", "", errors[0])


_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")


def major_version(version_output: str) -> int:
    """The major version in ``pg_dump --version`` output: 18 for ``pg_dump (PostgreSQL) 18.6``."""
    match = _VERSION.search(version_output)
    if not match:
        raise ValueError(version_output)
    return int(match.group(1))


def check_same_major(program: str, version_output: str, server_version_num: int) -> int:
    """Refuse a client program whose major version differs from the server's; return the major.

    ``server_version_num`` is ``SHOW server_version_num`` (180006 for 18.6).
    """
    server_major = server_version_num // 10000
    try:
        tool_major = major_version(version_output)
    except ValueError:
        raise BackupError(
            _("Cannot tell the version of %(program)s from its output: %(output)s")
            % {"program": program, "output": first_line(version_output)}
        ) from None
    if tool_major != server_major:
        raise BackupError(
            _(
                "%(program)s is from PostgreSQL %(tool)s but the server runs PostgreSQL "
                "%(server)s. Only the server's own major version is supported: set "
                "JINGBAN_PG_BINDIR to the client programs of PostgreSQL %(server)s."
            )
            % {"program": program, "tool": tool_major, "server": server_major}
        )
    return tool_major


def checked_tool(name: str, server_version_num: int) -> Path:
    path = _tool(name)
    try:
        result = run_tool([path, "--version"], timeout=30)
    except OSError as err:
        raise BackupError(
            _("Cannot run %(program)s: %(error)s") % {"program": path, "error": err}
        ) from err
    check_same_major(name, result.stdout or result.stderr, server_version_num)
    return path


def server_version_number(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0])


def log_database_action(action: str, dbname: str, after: dict[str, Any]) -> None:
    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):
        os_user = ""
    with transaction.atomic():
        log_action(
            acting_user=None,
            action=action,
            object_type="core.database",
            object_id=dbname,
            after={**after, "os_user": os_user},
        )
