"""`jingban i18n compile|check`: compile the .po catalogs with polib (no GNU gettext needed)
and check that the Chinese catalog is complete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def catalogs() -> list[Path]:
    return sorted(f for p in settings.LOCALE_PATHS for f in Path(p).glob("*/LC_MESSAGES/*.po"))


def problems(po_path: Path) -> list[str]:
    """Untranslated or fuzzy entries of a catalog (the source language 'en' may leave msgstr
    empty: gettext then shows the msgid)."""
    catalog = polib.pofile(str(po_path))
    issues = [f"fuzzy: {e.msgid!r}" for e in catalog.fuzzy_entries()]
    if po_path.parts[-3] != "en":
        issues += [
            f"untranslated: {e.msgid!r}" for e in catalog.untranslated_entries() if not e.obsolete
        ]
    return issues


class Command(BaseCommand):
    help = "Compile the translation catalogs, or check the Chinese one is complete."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["compile", "check"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        files = catalogs()
        if action == "compile":
            for po_path in files:
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"compiled {len(files)} catalog(s)")
            return
        found = {str(p): problems(p) for p in files}
        bad = {k: v for k, v in found.items() if v}
        for path, issues in bad.items():
            for issue in issues:
                self.stderr.write(f"{path}: {issue}")
        if bad:
            raise CommandError("translation catalogs are incomplete")
        self.stdout.write(f"{len(files)} catalog(s) complete")
