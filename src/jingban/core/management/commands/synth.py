"""`jingban synth --persons N --seed S [--out DIR]`: generate a synthetic city with every installed
app's generator (declared in its plugin) and load it into the database, or write it to Parquet
files under DIR. Prints the rows per table, the content digest and the speed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from jingban.core import synthetic
from jingban.core.errors import DomainError

USAGE_ERROR = 2  # like argparse's own errors


class Command(BaseCommand):
    help = "Generate a synthetic city and load it into the database, or write it to Parquet files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons",
            type=int,
            default=20_000,
            help="How many persons (at least 1).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2025,
            help="Seed of the generator (0 or more).",
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help="Write Parquet files into this directory instead of loading the registry.",
        )

    def handle(self, *args: Any, persons: int, seed: int, out: Path | None, **options: Any) -> None:
        if persons < 1:
            raise CommandError(
                _("--persons must be at least 1 (got %(value)s).") % {"value": persons},
                returncode=USAGE_ERROR,
            )
        if seed < 0:
            raise CommandError(
                _("--seed must be 0 or more (got %(value)s).") % {"value": seed},
                returncode=USAGE_ERROR,
            )
        if out is not None and out.exists() and not out.is_dir():
            raise CommandError(
                _("--out must name a directory: %(path)s is a file.") % {"path": out},
                returncode=USAGE_ERROR,
            )
        console = Console(file=cast(IO[str], self.stdout._out), highlight=False)
        columns = (*Progress.get_default_columns()[:-1], MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
            task = bar.add_task(_("Synthetic city"), total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            try:
                result = synthetic.generate(persons, seed, out=out, progress=progress)
            except DomainError as err:
                raise CommandError(str(err.message)) from err

        console.print(
            _("Synthetic city: %(persons)s persons, seed %(seed)s")
            % {"persons": f"{persons:,}", "seed": seed}
        )
        table = Table()
        table.add_column(_("Table"))
        table.add_column(_("Rows"), justify="right")
        for name, count in result.counts.items():
            table.add_row(name, f"{count:,}")
        console.print(table)
        where = str(result.out) if result.out else _("the database (PostgreSQL)")
        console.print(_("Written to: %(where)s") % {"where": where})
        console.print(_("Digest: %(digest)s") % {"digest": result.digest})
        console.print(
            _("%(seconds).1f s, %(rate)s persons per second")
            % {"seconds": result.seconds, "rate": f"{result.persons_per_second:,.0f}"}
        )
