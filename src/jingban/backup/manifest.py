"""What a backup says about itself, and checking a dump against it.

The manifest (``FILE.json`` beside the dump) holds the server's major version, jingban's version,
the applied migrations, the action log's head, the dump's size and SHA-256, and every table's row
count and checksum, all taken in the dump's own snapshot.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _
from psycopg import sql

from jingban.backup.tools import BackupError, connect, error_detail, run_tool

MANIFEST_FORMAT = 1
_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class TableChecksum:
    rows: int
    checksum: str


@dataclass(frozen=True)
class ArchiveInfo:
    """What ``pg_restore --list`` says about a dump."""

    format: str
    source_version: str
    source_major: int
    entries: int


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


def checksums_of(conn: psycopg.Connection[Any]) -> dict[str, TableChecksum]:
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
    with connect(dbname) as conn:
        return checksums_of(conn)


def applied_migrations(conn: psycopg.Connection[Any]) -> set[tuple[str, str]]:
    exists = conn.execute("SELECT to_regclass('public.django_migrations')").fetchone()
    if not exists or exists[0] is None:
        return set()
    return {(app, name) for app, name in conn.execute("SELECT app, name FROM django_migrations")}


def migration_heads(applied: set[tuple[str, str]]) -> dict[str, list[str]]:
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


def known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + ".json")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# Reading a dump


def _archive_problem(path: Path, stderr: str) -> str:
    detail = error_detail(stderr)
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
    result = run_tool([pg_restore, "--list", path])
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


def check_file(path: Path, manifest: dict[str, Any] | None, pg_restore: Path) -> str:
    """The whole file is what pg_dump wrote: by its manifest, or by reading every block."""
    digest = sha256_of(path)
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
    result = run_tool([pg_restore, "--file", os.devnull, path])
    if result.returncode != 0:
        raise BackupError(_archive_problem(path, result.stderr))
    return digest
