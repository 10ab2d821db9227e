"""``jingban calendar``: seed the working-day calendar (工作日历) and look up one date.

Usage: ``jingban calendar seed [--year 2025 --year 2026]`` and
``jingban calendar check 2025-10-01``.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jingban.core.calendar import holiday_name, is_provisional, is_working_day
from jingban.core.errors import DomainError
from jingban.core.models import Holiday
from jingban.core.services.calendar import seed_from_chinese_calendar

# Exit status for "cannot answer": the same as argparse's usage errors, so scripts test one code.
_EXIT_CANNOT_ANSWER = 2


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(value)s is not a date in the form YYYY-MM-DD.") % {"value": value}
        ) from None


def _describe(err: DomainError) -> str:
    parts = [str(err.message)]
    parts += [str(m) for messages in err.fields.values() for m in messages if str(m) not in parts]
    return " ".join(parts)


class Command(BaseCommand):
    help = "Seed the working-day calendar from chinese-calendar, or check one date."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{seed,check}")
        seed = actions.add_parser(
            "seed",
            help="Add every year chinese-calendar covers (or the years given) that the "
            "table does not cover yet. Years already covered are left unchanged.",
        )
        seed.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            metavar="YEAR",
            help="Seed only this year; repeat for several.",
        )
        check = actions.add_parser("check", help="Say whether DATE is a working day.")
        check.add_argument("date", type=_iso_date, metavar="DATE", help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seed":
            self._seed(options["years"], quiet=options["verbosity"] == 0)
        else:
            self._check(options["date"])

    def _seed(self, years: list[int] | None, *, quiet: bool = False) -> None:
        try:
            created = seed_from_chinese_calendar(years, acting_user=None)
        except DomainError as err:
            raise CommandError(_describe(err), returncode=_EXIT_CANNOT_ANSWER) from None
        if not quiet:
            self.stdout.write(
                _("Added %(count)s holidays and adjusted working days.") % {"count": created}
            )

    def _check(self, day: date) -> None:
        working = is_working_day(day)
        entry = Holiday.objects.filter(date=day).first()
        if working:
            message = _("%(date)s is a working day.") % {"date": day.isoformat()}
        else:
            message = _("%(date)s is not a working day.") % {"date": day.isoformat()}
        if entry is not None and entry.name:
            message = _("%(answer)s (%(holiday)s)") % {
                "answer": message,
                "holiday": holiday_name(entry.name),
            }
        if is_provisional(day):
            message = _(
                "%(answer)s Provisional: counted by rule until %(year)s's official arrangement "
                "is entered."
            ) % {"answer": message, "year": day.year}
        self.stdout.write(message)
