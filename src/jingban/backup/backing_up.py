"""``jingban backup``: a custom-format dump (``pg_dump -Fc``) and its manifest beside it."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

import jingban
from jingban.backup import files_archive
from jingban.backup.manifest import (
    MANIFEST_FORMAT,
    applied_migrations,
    checksums_of,
    manifest_path,
    migration_heads,
    sha256_of,
)
from jingban.backup.tools import (
    BackupError,
    Step,
    checked_tool,
    connect,
    database_name,
    error_detail,
    first_line,
    log_database_action,
    run_tool,
    server_version_number,
)
from jingban.config import env_path, env_str
from jingban.core.models import ActionLogHead


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest_path: Path
    size: int
    sha256: str
    tables: int
    files_path: Path | None = None
    files: int = 0


def backup_dir() -> Path:
    if env_str("JINGBAN_BACKUP_DIR"):
        return env_path("JINGBAN_BACKUP_DIR")
    return Path(settings.VAR_DIR) / "backups"


def _default_path() -> Path:
    directory = backup_dir()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = directory / f"jingban-{stamp}.dump"
    n = 1
    while path.exists() or manifest_path(path).exists():
        n += 1
        path = directory / f"jingban-{stamp}-{n}.dump"
    return path


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
    files_path = files_archive.archive_path(path)
    for existing in (path, manifest_file, files_path):
        if existing.exists():
            raise BackupError(
                _("%(file)s already exists; a backup never overwrites a file.") % {"file": existing}
            )
    partial = path.with_name(path.name + ".partial")
    files_partial = files_path.with_name(files_path.name + ".partial")
    dbname = database_name()
    _reserve(partial)
    try:
        with connect(dbname, autocommit=False) as conn:
            version_num = server_version_number(conn)
            conn.rollback()
            pg_dump = checked_tool("pg_dump", version_num)
            # One snapshot for the dump and everything the manifest says about it.
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot_row = conn.execute("SELECT pg_export_snapshot()").fetchone()
            assert snapshot_row is not None
            say(_("Dumping database %(db)s to %(file)s …") % {"db": dbname, "file": path})
            result = run_tool(
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
                    % {"db": dbname, "error": error_detail(result.stderr)}
                )
            say(_("Computing table checksums …"))
            tables = checksums_of(conn)
            heads = migration_heads(applied_migrations(conn))
            head = conn.execute(
                sql.SQL("SELECT seq, hash FROM {} WHERE id = 1").format(
                    sql.Identifier(ActionLogHead._meta.db_table)
                )
            ).fetchone()
            server_version = conn.execute("SHOW server_version").fetchone()
            conn.rollback()
        size = partial.stat().st_size
        digest = sha256_of(partial)
        say(_("Archiving the uploaded files of %(dir)s …") % {"dir": files_archive.files_dir()})
        _reserve(files_partial)
        files = files_archive.write_archive(files_partial, files_path.name)
        partial.replace(path)
        files_partial.replace(files_path)
    except psycopg.Error as err:
        partial.unlink(missing_ok=True)
        files_partial.unlink(missing_ok=True)
        raise BackupError(
            _("Cannot back up database %(db)s: %(error)s")
            % {"db": dbname, "error": first_line(str(err))}
        ) from err
    except BaseException:
        partial.unlink(missing_ok=True)
        files_partial.unlink(missing_ok=True)
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
        "files": files.as_dict(),
    }
    manifest_partial = manifest_file.with_name(manifest_file.name + ".partial")
    _reserve(manifest_partial)
    manifest_partial.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    manifest_partial.replace(manifest_file)
    log_database_action(
        "core.database.backed_up",
        dbname,
        {
            "file": str(path),
            "bytes": size,
            "sha256": digest,
            "tables": len(tables),
            "files": files.count,
        },
    )
    return BackupResult(path, manifest_file, size, digest, len(tables), files_path, files.count)
