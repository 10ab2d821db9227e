"""``jingban restore FILE [--into DBNAME] [--yes]``: restore a backup (see jingban.backup).

Without ``--into`` the restored database replaces the current one, after it has been restored in
full and checked; the current one is untouched by any failure before that.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jingban.backup import BackupError, database_name, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `jingban backup`: into a new temporary database, checked "
        "against its manifest, then swapped in place of the current database (or kept under "
        "another name with --into)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The dump file (its manifest is FILE.json).")
        parser.add_argument(
            "--into",
            metavar="DBNAME",
            help="Restore into a new database of this name and leave the current one alone.",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace the current database without asking.",
        )
        parser.add_argument(
            "--keep-previous",
            action="store_true",
            help="Keep the replaced database under a new name instead of dropping it.",
        )

    def handle(
        self,
        *args: Any,
        file: Path,
        into: str | None,
        yes: bool,
        keep_previous: bool,
        **options: Any,
    ) -> None:
        if not into and not yes:
            self._confirm(file)
        try:
            result = restore(file, into=into, keep_previous=keep_previous, step=self.stdout.write)
        except BackupError as err:
            raise CommandError(str(err)) from err
        checked = (
            _("checked against its manifest")
            if result.checked_against_manifest
            else _("no manifest found, tables not compared")
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored %(file)s into database %(db)s (%(tables)d tables, %(checked)s).")
                % {"file": file, "db": result.database, "tables": result.tables, "checked": checked}
            )
        )
        if result.files is not None and result.files_dir:
            self.stdout.write(
                _("Uploaded files: %(count)d checked and restored into %(dir)s.")
                % {"count": result.files, "dir": result.files_dir}
            )
        if result.kept_previous_files:
            self.stdout.write(
                _("The replaced files directory is kept as %(dir)s.")
                % {"dir": result.kept_previous_files}
            )
        if result.kept_previous:
            self.stdout.write(
                _("The replaced database is kept as %(db)s.") % {"db": result.kept_previous}
            )
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The backup predates %(count)d migrations of this version: run "
                        "`jingban migrate`."
                    )
                    % {"count": len(result.pending_migrations)}
                )
            )
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))

    def _confirm(self, file: Path) -> None:
        question = _(
            "This replaces database %(db)s with the contents of %(file)s. Everything written "
            "since that backup is lost. Type yes to continue: "
        ) % {"db": database_name(), "file": file}
        if not sys.stdin.isatty():
            raise CommandError(
                _("Restoring replaces database %(db)s: run again with --yes to confirm.")
                % {"db": database_name()}
            )
        if input(question).strip().lower() not in {"yes", _("yes")}:
            raise CommandError(_("Restore cancelled; nothing was changed."))
