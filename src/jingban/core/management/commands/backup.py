"""``jingban backup [--out FILE]``: dump the database with a manifest (see jingban.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jingban.backup import BackupError, backup, backup_dir


class Command(BaseCommand):
    help = (
        "Dump the database (pg_dump, custom format) with a JSON manifest beside it: server "
        "version, migrations, and every table's row count and checksum; the uploaded files go "
        "into a tar beside the dump, listed in the manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            help="The dump file to write (never overwritten). Default: a new "
            "jingban-<timestamp>.dump in JINGBAN_BACKUP_DIR.",
        )

    def handle(self, *args: Any, out: Path | None, **options: Any) -> None:
        try:
            result = backup(out, step=self.stdout.write)
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written: %(file)s (%(size)s, %(tables)d tables)")
                % {"file": result.path, "size": _size(result.size), "tables": result.tables}
            )
        )
        self.stdout.write(_("Manifest: %(file)s") % {"file": result.manifest_path})
        self.stdout.write(_("SHA-256: %(digest)s") % {"digest": result.sha256})
        if result.files_path is not None:
            self.stdout.write(
                _("Uploaded files: %(count)d, in %(file)s")
                % {"count": result.files, "file": result.files_path}
            )
        if out is None:
            self.stdout.write(
                _("Backups are kept in %(dir)s; copy them off this host.") % {"dir": backup_dir()}
            )


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
