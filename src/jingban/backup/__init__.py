"""Backups: ``jingban backup`` and ``jingban restore`` around pg_dump and pg_restore.

- ``tools``: connections, and finding pg_dump and pg_restore of the server's major version;
- ``manifest``: what a backup says about itself (checksums, migrations) and checking a dump;
- ``backing_up``: making a backup;
- ``restoring``: restoring one into a new database and swapping it in.

The modules are not named ``backup`` and ``restore`` so that the functions of those names, which
callers import from here, never hide a module.
"""

from jingban.backup.backing_up import BackupResult, backup, backup_dir
from jingban.backup.manifest import (
    ArchiveInfo,
    TableChecksum,
    inspect_dump,
    manifest_path,
    read_manifest,
    table_checksums,
)
from jingban.backup.restoring import RestoreResult, restore, using_database
from jingban.backup.tools import BackupError, check_same_major, database_name, major_version

__all__ = [
    "ArchiveInfo",
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "TableChecksum",
    "backup",
    "backup_dir",
    "check_same_major",
    "database_name",
    "inspect_dump",
    "major_version",
    "manifest_path",
    "read_manifest",
    "restore",
    "table_checksums",
    "using_database",
]
