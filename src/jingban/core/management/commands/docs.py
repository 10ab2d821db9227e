"""`jingban docs`: rewrite the pages of docs/ that are generated from the code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


def generated_pages() -> dict[Path, Callable[[], str]]:
    """Each generated page (relative to the repository root) and the function that renders it."""
    from jingban.docgen import capabilities, packs
    from jingban.docgen import medical as medical

    return {
        packs.PAGE: packs.render,
        medical.PAGE: medical.render,
        capabilities.PAGE: capabilities.render,
    }


class Command(BaseCommand):
    help = "Rewrite the generated pages of docs/ (pack numbers, medical settlement, capabilities)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--root", default=".", help="The repository root (default: the current directory)."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail when a committed page differs from what the code renders.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(options["root"])
        if not (root / "docs").is_dir():
            raise CommandError(_("%(root)s has no docs/ folder.") % {"root": root})
        stale = []
        for page, render in generated_pages().items():
            path = root / page
            text = render()
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current == text:
                continue
            stale.append(str(page))
            if not options["check"]:
                path.write_text(text, encoding="utf-8")
                self.stdout.write(_("Wrote %(page)s") % {"page": page})
        if options["check"] and stale:
            raise CommandError(
                _("Out of date: %(pages)s. Run `jingban docs` and commit the result.")
                % {"pages": ", ".join(stale)}
            )
