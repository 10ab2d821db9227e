"""Backups: ``jingban backup`` and ``jingban restore`` around pg_dump and pg_restore.

A backup is a custom-format dump (``pg_dump -Fc``) and a JSON manifest beside it (``FILE.json``):
the server's major version, jingban's version, the applied migrations, the action log's head, the
dump's size and SHA-256, and every table's row count and checksum, all taken in the dump's own
snapshot.

A restore never touches the current database until the new one is complete and checked: the file
is read first (``pg_restore --list``, then the manifest's SHA-256 or, without a manifest, a full
read), then restored into a new temporary database, checked against the manifest, and only then
renamed into place. The database it replaces is renamed aside first and dropped last. Any failure
before the swap drops the temporary database and leaves the current one as it was.

Only the server's own major version is supported, for the tools and for the dump (see
docs/operations.md): the embedded server brings its own pg_dump and pg_restore; with
``DATABASE_URL`` they come from ``JINGBAN_PG_BINDIR`` or ``PATH`` and must match the server.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

import jingban
from jingban import devdb
from jingban.config import env_path, env_str
from jingban.core.actionlog import anchor_restore, log_action
from jingban.core.models import ActionLogHead

MANIFEST_FORMAT = 1
# Fixed output settings, so that a row's text, and with it its checksum, does not depend on the
# session that reads it.
_SESSION_OPTIONS = (
    "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres "
    "-c extra_float_digits=1 -c bytea_output=hex"
)
_IDENTIFIER_LIMIT = 63  # PostgreSQL truncates longer names (NAMEDATALEN - 1)
_HASH_CHUNK = 1 << 20

Step = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore was refused or failed; the message is translated and names the file."""


@dataclass(frozen=True)
class TableChecksum:
    rows: int
    checksum: str


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest_path: Path
    size: int
    sha256: str
    tables: int


@dataclass
class RestoreResult:
    database: str
    tables: int
    checked_against_manifest: bool
    kept_previous: str | None = None
    pending_migrations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ArchiveInfo:
    """What ``pg_restore --list`` says about a dump."""

    format: str
    source_version: str
    source_major: int
    entries: int


# Connections and tools


def _db_settings() -> dict[str, Any]:
    return dict(connections["default"].settings_dict)


def database_name() -> str:
    """The application database's name, as Django connects to it (``test_jingban`` in tests)."""
    return str(_db_settings()["NAME"])


def _connect(dbname: str | None = None, *, autocommit: bool = True) -> psycopg.Connection[Any]:
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
    return psycopg.connect(**kwargs)


def _connect_maintenance() -> psycopg.Connection[Any]:
    """A connection to the server outside the application database (renaming needs that)."""
    error: psycopg.Error | None = None
    for dbname in ("postgres", "template1"):
        try:
            return _connect(dbname)
        except psycopg.Error as err:
            error = err
    raise BackupError(
        _("Cannot connect to the database server outside database %(db)s: %(error)s")
        % {"db": database_name(), "error": _first_line(str(error))}
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


def _run(
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


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def _error_detail(stderr: str) -> str:
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
            % {"program": program, "output": _first_line(version_output)}
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


def _checked_tool(name: str, server_version_num: int) -> Path:
    path = _tool(name)
    try:
        result = _run([path, "--version"], timeout=30)
    except OSError as err:
        raise BackupError(
            _("Cannot run %(program)s: %(error)s") % {"program": path, "error": err}
        ) from err
    check_same_major(name, result.stdout or result.stderr, server_version_num)
    return path


def _server_version_num(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0])


# Checksums


_TABLES = """
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY c.relname
"""
# Each row's text is hashed with md5; the two 64-bit halves of every hash are summed as exact
# numerics. The sum does not depend on the order of the rows, so it needs no sort and no memory
# that grows with the table (an ordered string_agg stops at 1 GB), and tables without a primary
# key are covered the same way. The alias is unusual so that it never names a column.
_CHECKSUM = """
    SELECT count(*),
           coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0),
           coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)
    FROM (SELECT md5(jingban_checksum_row::text) AS h FROM {} AS jingban_checksum_row) AS hashed
"""


def _checksums(conn: psycopg.Connection[Any]) -> dict[str, TableChecksum]:
    result: dict[str, TableChecksum] = {}
    for (table,) in conn.execute(_TABLES).fetchall():
        row = conn.execute(sql.SQL(_CHECKSUM).format(sql.Identifier("public", table))).fetchone()
        assert row is not None
        count, high, low = row
        digest = hashlib.md5(f"{count}:{high}:{low}".encode(), usedforsecurity=False).hexdigest()
        result[table] = TableChecksum(int(count), digest)
    return result


def table_checksums(dbname: str | None = None) -> dict[str, TableChecksum]:
    """Row count and checksum of every table in the public schema of a database on the server."""
    with _connect(dbname) as conn:
        return _checksums(conn)


def _applied_migrations(conn: psycopg.Connection[Any]) -> set[tuple[str, str]]:
    exists = conn.execute("SELECT to_regclass('public.django_migrations')").fetchone()
    if not exists or exists[0] is None:
        return set()
    return {(app, name) for app, name in conn.execute("SELECT app, name FROM django_migrations")}


def _migration_heads(applied: set[tuple[str, str]]) -> dict[str, list[str]]:
    """Per app, the applied migrations that no other applied migration follows."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    heads: dict[str, list[str]] = {}
    for key in sorted(applied):
        node = graph.node_map.get(key)
        if node is not None and any(
            child.key in applied and child.key[0] == key[0] for child in node.children
        ):
            continue
        heads.setdefault(key[0], []).append(key[1])
    return heads


def _known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


# Backup


def backup_dir() -> Path:
    if env_str("JINGBAN_BACKUP_DIR"):
        return env_path("JINGBAN_BACKUP_DIR")
    return Path(settings.VAR_DIR) / "backups"


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + ".json")


def _default_path() -> Path:
    directory = backup_dir()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = directory / f"jingban-{stamp}.dump"
    n = 1
    while path.exists() or manifest_path(path).exists():
        n += 1
        path = directory / f"jingban-{stamp}-{n}.dump"
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _reserve(path: Path) -> None:
    """Create an empty file readable by its owner only; refuse one that exists."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise BackupError(
            _("%(file)s already exists; a backup never overwrites a file.") % {"file": path}
        ) from None
    except OSError as err:
        raise BackupError(
            _("Cannot write %(file)s: %(error)s") % {"file": path, "error": err.strerror}
        ) from err


def backup(out: Path | None = None, *, step: Step | None = None) -> BackupResult:
    """Dump the application database to ``out`` (default: a new file in the backup directory)."""
    say = step or (lambda message: None)
    path = Path(out).expanduser().resolve() if out else _default_path()
    manifest_file = manifest_path(path)
    for existing in (path, manifest_file):
        if existing.exists():
            raise BackupError(
                _("%(file)s already exists; a backup never overwrites a file.") % {"file": existing}
            )
    partial = path.with_name(path.name + ".partial")
    dbname = database_name()
    _reserve(partial)
    try:
        with _connect(dbname, autocommit=False) as conn:
            version_num = _server_version_num(conn)
            conn.rollback()
            pg_dump = _checked_tool("pg_dump", version_num)
            # One snapshot for the dump and everything the manifest says about it.
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot_row = conn.execute("SELECT pg_export_snapshot()").fetchone()
            assert snapshot_row is not None
            say(_("Dumping database %(db)s to %(file)s …") % {"db": dbname, "file": path})
            result = _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot_row[0]}",
                    "--file",
                    partial,
                    "--dbname",
                    dbname,
                ]
            )
            if result.returncode != 0:
                raise BackupError(
                    _("pg_dump could not dump database %(db)s: %(error)s")
                    % {"db": dbname, "error": _error_detail(result.stderr)}
                )
            say(_("Computing table checksums …"))
            tables = _checksums(conn)
            heads = _migration_heads(_applied_migrations(conn))
            head = conn.execute(
                sql.SQL("SELECT seq, hash FROM {} WHERE id = 1").format(
                    sql.Identifier(ActionLogHead._meta.db_table)
                )
            ).fetchone()
            server_version = conn.execute("SHOW server_version").fetchone()
            conn.rollback()
        size = partial.stat().st_size
        digest = _sha256(partial)
        partial.replace(path)
    except psycopg.Error as err:
        partial.unlink(missing_ok=True)
        raise BackupError(
            _("Cannot back up database %(db)s: %(error)s")
            % {"db": dbname, "error": _first_line(str(err))}
        ) from err
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    manifest = {
        "format": MANIFEST_FORMAT,
        "file": path.name,
        "bytes": size,
        "sha256": digest,
        "created_at": timezone.localtime().isoformat(),
        "jingban_version": jingban.__version__,
        "database": dbname,
        "server_version": server_version[0] if server_version else "",
        "server_major": version_num // 10000,
        "migrations": heads,
        "action_log_head": {"seq": head[0], "hash": head[1]} if head else None,
        "tables": {
            name: {"rows": value.rows, "checksum": value.checksum} for name, value in tables.items()
        },
    }
    manifest_partial = manifest_file.with_name(manifest_file.name + ".partial")
    _reserve(manifest_partial)
    manifest_partial.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    manifest_partial.replace(manifest_file)
    _log(
        "core.database.backed_up",
        dbname,
        {"file": str(path), "bytes": size, "sha256": digest, "tables": len(tables)},
    )
    return BackupResult(path, manifest_file, size, digest, len(tables))


def _log(action: str, dbname: str, after: dict[str, Any]) -> None:
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


# Reading a dump


def _archive_problem(path: Path, stderr: str) -> str:
    detail = _error_detail(stderr)
    text = stderr.lower()
    if "unsupported version" in text:
        return _(
            "%(file)s was written by a newer pg_dump than this pg_restore can read (%(detail)s). "
            "Restore it with the PostgreSQL version that made it."
        ) % {"file": path, "detail": detail}
    if any(
        marker in text
        for marker in (
            "too short",
            "not appear to be a valid",
            "unrecognized file format",
            "text format dump",
            "is not a directory",
        )
    ):
        return _("%(file)s is not a PostgreSQL custom-format dump (%(detail)s).") % {
            "file": path,
            "detail": detail,
        }
    if any(marker in text for marker in ("end of file", "could not read", "unexpected end")):
        return _("%(file)s is truncated or damaged: it ends before the dump does (%(detail)s).") % {
            "file": path,
            "detail": detail,
        }
    return _("pg_restore cannot read %(file)s: %(detail)s") % {"file": path, "detail": detail}


_HEADER = {
    "format": re.compile(r"^;\s+Format:\s+(\S+)", re.M),
    "source": re.compile(r"^;\s+Dumped from database version:\s+((\d+)\S*)", re.M),
    "entries": re.compile(r"^;\s+TOC Entries:\s+(\d+)", re.M),
}


def inspect_dump(path: Path, pg_restore: Path) -> ArchiveInfo:
    """Read a dump's table of contents; refuse what is not a readable dump."""
    if not path.is_file():
        raise BackupError(_("%(file)s does not exist or is not a file.") % {"file": path})
    result = _run([pg_restore, "--list", path])
    if result.returncode != 0:
        raise BackupError(_archive_problem(path, result.stderr))
    found = {key: pattern.search(result.stdout) for key, pattern in _HEADER.items()}
    if not found["format"] or not found["source"]:
        raise BackupError(
            _("%(file)s is not a PostgreSQL custom-format dump (no archive header).")
            % {"file": path}
        )
    source = found["source"].group(1)
    entries = found["entries"]
    return ArchiveInfo(
        format=found["format"].group(1),
        source_version=source,
        source_major=int(found["source"].group(2)),
        entries=int(entries.group(1)) if entries else 0,
    )


def read_manifest(dump: Path) -> dict[str, Any] | None:
    """The manifest beside a dump, or None when there is none."""
    path = manifest_path(dump)
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
            raise ValueError(_("unknown manifest format"))
        manifest["bytes"] = int(manifest["bytes"])
        manifest["sha256"] = str(manifest["sha256"])
        manifest["tables"] = {
            str(name): TableChecksum(int(value["rows"]), str(value["checksum"]))
            for name, value in manifest["tables"].items()
        }
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise BackupError(
            _("The manifest %(manifest)s of %(file)s cannot be read: %(error)s")
            % {"manifest": path, "file": dump, "error": err}
        ) from err
    return manifest


def _check_file(path: Path, manifest: dict[str, Any] | None, pg_restore: Path) -> str:
    """The whole file is what pg_dump wrote: by its manifest, or by reading every block."""
    digest = _sha256(path)
    if manifest is not None:
        size = path.stat().st_size
        if size != manifest["bytes"]:
            raise BackupError(
                _(
                    "%(file)s does not match its manifest: it has %(size)d bytes instead of "
                    "%(expected)d (truncated or changed)."
                )
                % {"file": path, "size": size, "expected": manifest["bytes"]}
            )
        if digest != manifest["sha256"]:
            raise BackupError(
                _(
                    "%(file)s does not match its manifest: its SHA-256 differs (the file was "
                    "changed or damaged)."
                )
                % {"file": path}
            )
        return digest
    result = _run([pg_restore, "--file", os.devnull, path])
    if result.returncode != 0:
        raise BackupError(_archive_problem(path, result.stderr))
    return digest


# Restore


def _database_exists(conn: psycopg.Connection[Any], name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
    )


def _side_name(target: str, kind: str) -> str:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    suffix = f"_{kind}_{stamp}_{secrets.token_hex(2)}"
    room = _IDENTIFIER_LIMIT - len(suffix)
    return target.encode()[:room].decode(errors="ignore") + suffix


def _create_like(conn: psycopg.Connection[Any], name: str, like: str | None) -> None:
    """Create an empty database with the encoding and locale of ``like`` (when it exists)."""
    options: list[sql.Composable] = [sql.SQL("TEMPLATE template0")]
    row = None
    if like is not None:
        row = conn.execute(
            "SELECT pg_encoding_to_char(encoding), to_jsonb(d) FROM pg_database d "
            "WHERE datname = %s",
            [like],
        ).fetchone()
    if row is not None:
        encoding, info = row
        options.append(sql.SQL("ENCODING {}").format(sql.Literal(encoding)))
        for option, column in (("LC_COLLATE", "datcollate"), ("LC_CTYPE", "datctype")):
            if info.get(column):
                options.append(sql.SQL(option + " {}").format(sql.Literal(info[column])))
        provider = info.get("datlocprovider", "c")
        locale = info.get("datlocale") or info.get("daticulocale")
        if provider == "i" and locale:
            options.append(sql.SQL("LOCALE_PROVIDER icu ICU_LOCALE {}").format(sql.Literal(locale)))
        elif provider == "b" and locale:
            options.append(
                sql.SQL("LOCALE_PROVIDER builtin BUILTIN_LOCALE {}").format(sql.Literal(locale))
            )
    conn.execute(
        sql.SQL("CREATE DATABASE {} ").format(sql.Identifier(name)) + sql.SQL(" ").join(options)
    )


def _drop(conn: psycopg.Connection[Any], name: str) -> None:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _rename(conn: psycopg.Connection[Any], old: str, new: str) -> None:
    conn.execute(
        sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(old), sql.Identifier(new))
    )


def _end_sessions(conn: psycopg.Connection[Any], name: str) -> int:
    """End every other session on database ``name``; returns how many there were."""
    try:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchone()
    except psycopg.Error as err:
        raise BackupError(
            _(
                "Database %(db)s is in use by sessions this account cannot end (%(error)s). "
                "Stop the web server and the workers, then restore again."
            )
            % {"db": name, "error": _first_line(str(err))}
        ) from err
    return int(row[0]) if row else 0


def _swap_in(conn: psycopg.Connection[Any], temporary: str, target: str) -> str | None:
    """Put the restored database in the place of ``target``. Returns the name it was moved to.

    Renaming needs the database free of sessions: every other session is ended, and the rename is
    retried a few times in case a client reconnected in between. If the second rename fails, the
    first is undone, so ``target`` is again the database it was.
    """
    if not _database_exists(conn, target):
        _rename(conn, temporary, target)
        return None
    aside = _side_name(target, "replaced")
    moved = False
    try:
        for attempt in range(5):
            _end_sessions(conn, target)
            try:
                _rename(conn, target, aside)
                moved = True
                break
            except psycopg.errors.ObjectInUse as err:
                if attempt == 4:
                    raise BackupError(
                        _(
                            "Database %(db)s is still in use after its sessions were ended: stop "
                            "the web server and the workers, then restore again."
                        )
                        % {"db": target}
                    ) from err
                time.sleep(0.2)
        _rename(conn, temporary, target)
    except BaseException:
        if moved:
            _rename(conn, aside, target)
        raise
    return aside


@contextmanager
def using_database(name: str) -> Iterator[None]:
    """Point Django's default connection at database ``name`` for a while (same server)."""
    connection = connections["default"]
    previous = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous


def restore(
    path: Path,
    *,
    into: str | None = None,
    keep_previous: bool = False,
    step: Step | None = None,
) -> RestoreResult:
    """Restore a dump into a new database, check it, then put it in place of the current one.

    With ``into``, the dump goes to a new database of that name and the current one is left
    alone. Nothing is changed when any check fails.
    """
    say = step or (lambda message: None)
    path = Path(path).expanduser().resolve()
    current = database_name()
    target = into or current
    if len(target.encode()) > _IDENTIFIER_LIMIT:
        raise BackupError(
            _("The database name %(db)s is longer than %(limit)d bytes.")
            % {"db": target, "limit": _IDENTIFIER_LIMIT}
        )
    # Django's own session must not hold the database that is about to be renamed.
    connections["default"].close()
    try:
        with _connect_maintenance() as conn:
            return _restore(conn, path, current, into, keep_previous, say)
    except psycopg.Error as err:
        raise BackupError(
            _("Restoring %(file)s failed: %(error)s")
            % {"file": path, "error": _first_line(str(err))}
        ) from err


def _restore(
    conn: psycopg.Connection[Any],
    path: Path,
    current: str,
    into: str | None,
    keep_previous: bool,
    say: Step,
) -> RestoreResult:
    target = into or current
    version_num = _server_version_num(conn)
    pg_restore = _checked_tool("pg_restore", version_num)
    say(_("Checking %(file)s …") % {"file": path})
    archive = inspect_dump(path, pg_restore)
    if archive.source_major != version_num // 10000:
        raise BackupError(
            _(
                "%(file)s was dumped from PostgreSQL %(source)s, but this server runs "
                "PostgreSQL %(server)s. Only the same major version can be restored; see "
                "docs/operations.md for moving between major versions."
            )
            % {"file": path, "source": archive.source_version, "server": version_num // 10000}
        )
    manifest = read_manifest(path)
    digest = _check_file(path, manifest, pg_restore)
    if into and _database_exists(conn, into):
        raise BackupError(
            _("Database %(db)s already exists; restore into a new name.") % {"db": into}
        )

    temporary = _side_name(target, "restoring")
    say(_("Restoring into the temporary database %(db)s …") % {"db": temporary})
    try:
        _create_like(conn, temporary, current if _database_exists(conn, current) else None)
    except psycopg.Error as err:
        raise BackupError(
            _("Cannot create the temporary database %(db)s: %(error)s")
            % {"db": temporary, "error": _first_line(str(err))}
        ) from err
    try:
        result = _prepare(path, temporary, manifest, pg_restore, say)
        if into:
            _rename(conn, temporary, into)
        else:
            say(_("Replacing database %(db)s …") % {"db": target})
            result.kept_previous = _swap_in(conn, temporary, target)
    except BaseException:
        with suppress(psycopg.Error):
            _drop(conn, temporary)
        raise

    source = {"file": str(path), "sha256": digest}
    if into:
        # The name may have been used on this server before: start its anchors afresh.
        with using_database(into):
            _after_swap(result, source, into, marker_only=True)
        _log("core.database.restored", current, {**source, "into": into})
        return result
    _after_swap(result, source, target)
    if result.kept_previous and not keep_previous:
        try:
            _drop(conn, result.kept_previous)
            result.kept_previous = None
        except psycopg.Error as err:
            result.warnings.append(
                _("The replaced database %(db)s could not be dropped: %(error)s")
                % {"db": result.kept_previous, "error": _first_line(str(err))}
            )
    return result


def _prepare(
    path: Path,
    temporary: str,
    manifest: dict[str, Any] | None,
    pg_restore: Path,
    say: Step,
) -> RestoreResult:
    """Restore into the temporary database and check it; raise when anything is off."""
    result = _run(
        [
            pg_restore,
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--dbname",
            temporary,
            path,
        ]
    )
    if result.returncode != 0:
        raise BackupError(
            _("Restoring %(file)s failed; the current database was not changed: %(error)s")
            % {"file": path, "error": _error_detail(result.stderr)}
        )
    say(_("Checking the restored tables …"))
    with _connect(temporary) as conn:
        applied = _applied_migrations(conn)
        checksums = _checksums(conn)
    if not applied:
        raise BackupError(
            _("%(file)s does not hold a jingban database (it has no migration table).")
            % {"file": path}
        )
    unknown = sorted(f"{app}.{name}" for app, name in applied - _known_migrations())
    if unknown:
        raise BackupError(
            _(
                "%(file)s comes from a newer version of jingban (migrations this version does not "
                "know: %(names)s). Restore it with that version."
            )
            % {"file": path, "names": ", ".join(unknown[:5])}
        )
    if manifest is not None:
        expected: dict[str, TableChecksum] = manifest["tables"]
        differ = sorted(
            name
            for name in set(expected) | set(checksums)
            if expected.get(name) != checksums.get(name)
        )
        if differ:
            raise BackupError(
                _(
                    "The tables restored from %(file)s do not match its manifest: %(tables)s. The "
                    "current database was not changed."
                )
                % {"file": path, "tables": ", ".join(differ[:10])}
            )
    pending = sorted(f"{app}.{name}" for app, name in _known_migrations() - applied)
    return RestoreResult(
        database=temporary,
        tables=len(checksums),
        checked_against_manifest=manifest is not None,
        pending_migrations=pending,
    )


def _after_swap(
    result: RestoreResult, source: dict[str, str], name: str, *, marker_only: bool = False
) -> None:
    """Start the action log's anchors afresh and record the restore in the restored database.

    The database is already in place: a failure here is reported as a warning, not undone.
    """
    result.database = name
    try:
        anchor_restore(f"{source['file']} sha256:{source['sha256']}")
    except Exception as err:  # reported: the restore itself is complete
        result.warnings.append(
            _("The restore could not be recorded in the audit anchor file: %(error)s")
            % {"error": err}
        )
    if marker_only:
        return
    try:
        _log("core.database.restored", name, source)
    except Exception as err:  # reported: the restore itself is complete
        result.warnings.append(
            _("The restore could not be written to the action log (%(error)s)")
            % {"error": _first_line(str(err))}
        )
