"""``jingban restore``: the current database is untouched until the new one is complete.

The file is read first (``pg_restore --list``, then the manifest's SHA-256 or, without a manifest,
a full read), then restored into a new temporary database, checked against the manifest, and only
then renamed into place. The database it replaces is renamed aside first and dropped last. Any
failure before the swap drops the temporary database and leaves the current one as it was.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

from jingban.backup import files_archive
from jingban.backup.manifest import (
    TableChecksum,
    applied_migrations,
    check_file,
    checksums_of,
    inspect_dump,
    known_migrations,
    read_manifest,
)
from jingban.backup.tools import (
    IDENTIFIER_LIMIT,
    BackupError,
    Step,
    checked_tool,
    connect,
    connect_maintenance,
    database_name,
    error_detail,
    first_line,
    log_database_action,
    run_tool,
    server_version_number,
)
from jingban.core.actionlog import anchor_restore


@dataclass
class RestoreResult:
    database: str
    tables: int
    checked_against_manifest: bool
    kept_previous: str | None = None
    pending_migrations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: int | None = None  # files checked and put in place; None: the backup had no archive
    files_dir: str | None = None
    kept_previous_files: str | None = None


# Restore


def _database_exists(conn: psycopg.Connection[Any], name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
    )


def _side_name(target: str, kind: str) -> str:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    suffix = f"_{kind}_{stamp}_{secrets.token_hex(2)}"
    room = IDENTIFIER_LIMIT - len(suffix)
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
            % {"db": name, "error": first_line(str(err))}
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
    if len(target.encode()) > IDENTIFIER_LIMIT:
        raise BackupError(
            _("The database name %(db)s is longer than %(limit)d bytes.")
            % {"db": target, "limit": IDENTIFIER_LIMIT}
        )
    # Django's own session must not hold the database that is about to be renamed.
    connections["default"].close()
    try:
        with connect_maintenance() as conn:
            return _restore(conn, path, current, into, keep_previous, say)
    except psycopg.Error as err:
        raise BackupError(
            _("Restoring %(file)s failed: %(error)s")
            % {"file": path, "error": first_line(str(err))}
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
    version_num = server_version_number(conn)
    pg_restore = checked_tool("pg_restore", version_num)
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
    digest = check_file(path, manifest, pg_restore)
    files_facts = _files_facts(path, manifest)
    files_tar = files_archive.check_archive(path, files_facts) if files_facts else None
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
            % {"db": temporary, "error": first_line(str(err))}
        ) from err
    staging: Path | None = None
    try:
        result = _prepare(path, temporary, manifest, pg_restore, say)
        if files_tar is not None and not into:
            say(_("Checking the files archive %(file)s …") % {"file": files_tar})
            staging = files_archive.unpack(files_tar)
            with connect(temporary) as restored:
                result.files = files_archive.check_rows(restored, staging)
        if into:
            _rename(conn, temporary, into)
        else:
            say(_("Replacing database %(db)s …") % {"db": target})
            result.kept_previous = _swap_in(conn, temporary, target)
    except BaseException:
        files_archive.discard(staging)
        with suppress(psycopg.Error):
            _drop(conn, temporary)
        raise
    if staging is not None:
        _swap_files(result, staging, keep_previous)
    elif files_facts is not None and files_facts.count and into:
        result.warnings.append(
            _(
                "The %(count)d uploaded files were not restored with --into; they stay in "
                "%(file)s, which was checked against the manifest."
            )
            % {"count": files_facts.count, "file": files_tar}
        )

    source = {"file": str(path), "sha256": digest}
    if into:
        # The name may have been used on this server before: start its anchors afresh.
        with using_database(into):
            _after_swap(result, source, into, marker_only=True)
        log_database_action("core.database.restored", current, {**source, "into": into})
        return result
    _after_swap(result, source, target)
    if result.kept_previous and not keep_previous:
        try:
            _drop(conn, result.kept_previous)
            result.kept_previous = None
        except psycopg.Error as err:
            result.warnings.append(
                _("The replaced database %(db)s could not be dropped: %(error)s")
                % {"db": result.kept_previous, "error": first_line(str(err))}
            )
    return result


def _files_facts(path: Path, manifest: dict[str, Any] | None) -> files_archive.FilesFacts | None:
    """The files archive the manifest lists; None for backups made before files existed."""
    if manifest is None or "files" not in manifest:
        return None
    try:
        return files_archive.FilesFacts.from_dict(manifest["files"])
    except (KeyError, TypeError, ValueError) as err:
        raise BackupError(
            _("The manifest of %(file)s cannot be read: %(error)s") % {"file": path, "error": err}
        ) from err


def _swap_files(result: RestoreResult, staging: Path, keep_previous: bool) -> None:
    """The files directory follows the database, which is already in place: a failure here
    is reported, with the checked files left in the staging directory."""
    try:
        kept = files_archive.swap_in(staging, keep_previous=keep_previous)
    except OSError as err:
        result.warnings.append(
            _(
                "The database was restored but the files directory could not be replaced "
                "(%(error)s); the restored files are in %(dir)s."
            )
            % {"error": err, "dir": staging}
        )
        return
    result.files_dir = str(files_archive.files_dir())
    result.kept_previous_files = str(kept) if kept else None


def _prepare(
    path: Path,
    temporary: str,
    manifest: dict[str, Any] | None,
    pg_restore: Path,
    say: Step,
) -> RestoreResult:
    """Restore into the temporary database and check it; raise when anything is off."""
    result = run_tool(
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
            % {"file": path, "error": error_detail(result.stderr)}
        )
    say(_("Checking the restored tables …"))
    with connect(temporary) as conn:
        applied = applied_migrations(conn)
        checksums = checksums_of(conn)
    if not applied:
        raise BackupError(
            _("%(file)s does not hold a jingban database (it has no migration table).")
            % {"file": path}
        )
    unknown = sorted(f"{app}.{name}" for app, name in applied - known_migrations())
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
    pending = sorted(f"{app}.{name}" for app, name in known_migrations() - applied)
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
        log_database_action("core.database.restored", name, source)
    except Exception as err:  # reported: the restore itself is complete
        result.warnings.append(
            _("The restore could not be written to the action log (%(error)s)")
            % {"error": first_line(str(err))}
        )
