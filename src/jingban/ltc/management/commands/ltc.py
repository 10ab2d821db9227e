"""``jingban ltc``: the long-term care batch files.

``jingban ltc level --policy PACK --in assessments.csv --out levels.csv [--errors errors.csv]``
grades each assessment by the assessment standard's pack (``national-ltc-assessment-2021``);
``jingban ltc settle --policy PACK --month YYYY-MM --in services.csv --out statements.csv
[--errors errors.csv]`` settles a month of services by a city's LTC pack: given as an id, the
version of that pack in force in the month is used; ``ID@VERSION`` or a ``.yaml`` file is used
as given.

A bad row is reported with its line and reason (on stderr, and all of them in the errors file)
and never stops the others. Exit status as ``jingban adjudicate``: 0 when every row went
through, 1 when some were refused (the good rows are still written), 2 for a problem with the
options, a file or a pack (nothing is written). Works without a database: packs come from the
shipped files unless one is configured (``--policy-source``).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jingban.engine.csvfiles import AtomicFiles
from jingban.engine.ltc.files import (
    FileProblem,
    RowError,
    grade_file,
    parse_month,
    settle_file,
)
from jingban.engine.ltc.settle import month_days
from jingban.engine.money import format_yuan
from jingban.engine.policy import PolicyPack, parse_spec
from jingban.engine.policy.schema import Family
from jingban.ltc.reasons import describe_code
from jingban.packs.command_options import (
    USAGE_ERROR,
    check_outputs,
    resolve_packs,
    usage_error,
)
from jingban.packs.resolution import PackSource

SOME_ROWS_REJECTED = 1
SHOWN_ERRORS = 20


def describe_row(error: RowError) -> str:
    """Why a row was refused, in the active language."""
    params = {**error.params, "field": error.field, "item": error.field}
    return describe_code(error.code, error.message, params)


class Command(BaseCommand):
    help = "Grade assessments or settle a month of long-term care services from CSV files."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{level,settle}")
        level = commands.add_parser(
            "level", help=_("Grade a file of assessments by an assessment standard.")
        )
        settle = commands.add_parser(
            "settle", help=_("Settle a month of care services by a city's LTC policy.")
        )
        for sub in (level, settle):
            sub.add_argument(
                "--policy",
                required=True,
                metavar="PACK",
                help="A pack: ID, ID@VERSION or a .yaml file.",
            )
            sub.add_argument("--in", dest="input", type=Path, required=True)
            sub.add_argument("--out", type=Path, required=True)
            sub.add_argument("--errors", type=Path, help="Write the refused rows here.")
            sub.add_argument(
                "--policy-source",
                choices=[source.value for source in PackSource],
                default=PackSource.AUTO.value,
            )
            sub.add_argument("--language", choices=[code for code, _n in settings.LANGUAGES])
        settle.add_argument("--month", required=True, metavar="YYYY-MM")

    def handle(self, *args: Any, language: str | None = None, **options: Any) -> None:
        with translation.override(language or settings.LANGUAGE_CODE):
            if options["action"] == "level":
                self._level(**options)
            else:
                self._settle(**options)

    def _level(
        self,
        *,
        policy: str,
        input: Path,
        out: Path,
        errors: Path | None,
        policy_source: str,
        **options: Any,
    ) -> None:
        started = time.perf_counter()
        check_outputs([input], [p for p in (out, errors) if p is not None])
        [pack] = resolve_packs([policy], PackSource(policy_source))
        _family(pack, Family.LTC_ASSESSMENT)
        try:
            with AtomicFiles() as files:
                summary = grade_file(
                    input,
                    pack.ltc_assessment,
                    files.open(out),
                    files.open(errors) if errors else None,
                    describe_row,
                    shown_errors=SHOWN_ERRORS,
                )
                files.commit()
        except FileProblem as err:
            raise usage_error(err.code, str(err), err.params) from err
        self._errors(summary.first_errors, summary.refused, errors is not None)
        self.stdout.write(
            _("Rows read: %(read)s; graded: %(graded)s; rejected: %(rejected)s.")
            % {"read": summary.rows, "graded": summary.graded, "rejected": summary.refused}
        )
        self.stdout.write(
            pgettext("ltc batch", "Pack: %(pack)s") % {"pack": f"{pack.ref} ({pack.hash[:12]})"}
        )
        for level in sorted(summary.by_level):
            self.stdout.write(
                "  "
                + _("Level %(level)s: %(count)s")
                % {"level": level, "count": summary.by_level[level]}
            )
        self._rate(summary.rows, started)
        if summary.refused:
            raise SystemExit(SOME_ROWS_REJECTED)

    def _settle(
        self,
        *,
        policy: str,
        month: str,
        input: Path,
        out: Path,
        errors: Path | None,
        policy_source: str,
        **options: Any,
    ) -> None:
        started = time.perf_counter()
        try:
            first = parse_month(month)
        except ValueError:
            raise CommandError(
                _("--month: “%(value)s” is not a month written YYYY-MM.") % {"value": month},
                returncode=USAGE_ERROR,
            ) from None
        check_outputs([input], [p for p in (out, errors) if p is not None])
        pack = _pack_for_month(policy, first, PackSource(policy_source))
        try:
            with AtomicFiles() as files:
                summary = settle_file(
                    input,
                    pack.ltc,
                    first,
                    files.open(out),
                    files.open(errors) if errors else None,
                    describe_row,
                    ref=pack.ref,
                    workdir=out.resolve().parent,
                    shown_errors=SHOWN_ERRORS,
                )
                files.commit()
        except FileProblem as err:
            raise usage_error(err.code, str(err), err.params) from err
        self._errors(summary.first_errors, summary.refused, errors is not None)
        self.stdout.write(
            _(
                "Rows read: %(read)s; people: %(people)s; unreadable rows: %(unreadable)s; "
                "rows not paid: %(rejected)s."
            )
            % {
                "read": summary.rows,
                "people": summary.people,
                "unreadable": summary.unreadable,
                "rejected": summary.rejected,
            }
        )
        self.stdout.write(
            pgettext("ltc batch", "Pack: %(pack)s") % {"pack": f"{pack.ref} ({pack.hash[:12]})"}
        )
        for label, amount in (
            (pgettext("ltc settlement total", "Billed"), summary.billed_fen),
            (pgettext("ltc settlement total", "Fund pays"), summary.fund_fen),
            (pgettext("ltc settlement total", "Self-pay"), summary.self_pay_fen),
        ):
            self.stdout.write(
                "  " + _("%(label)s: %(amount)s") % {"label": label, "amount": format_yuan(amount)}
            )
        self._rate(summary.rows, started)
        if summary.refused:
            raise SystemExit(SOME_ROWS_REJECTED)

    def _errors(self, first: list[RowError], count: int, has_errors_file: bool) -> None:
        for error in first:
            self.stderr.write(
                _("Line %(line)s (%(id)s): %(message)s")
                % {"line": error.line, "id": error.id or "-", "message": describe_row(error)}
            )
        hidden = count - len(first)
        if hidden > 0:
            more = (
                _("… and %(count)s more rejected rows: see the errors file.")
                if has_errors_file
                else _("… and %(count)s more rejected rows: give --errors FILE to list them all.")
            )
            self.stderr.write(more % {"count": hidden})

    def _rate(self, rows: int, started: float) -> None:
        seconds = time.perf_counter() - started
        rate = rows / seconds if seconds > 0 else 0.0
        self.stdout.write(
            _("%(seconds).2f s, %(rate)s rows per second")
            % {"seconds": seconds, "rate": f"{rate:,.0f}"}
        )


def _family(pack: PolicyPack, family: Family) -> None:
    if pack.family is not family:
        raise CommandError(
            _("%(pack)s is not a pack of the family %(family)s.")
            % {"pack": str(pack.ref), "family": family.value},
            returncode=USAGE_ERROR,
        )


def _pack_for_month(spec: str, month: dt.date, source: PackSource) -> PolicyPack:
    """The pack of ``spec`` for ``month``: a file or ``ID@VERSION`` as given; an id, the
    version in force in the month (of several, the latest start, then the latest version)."""
    [latest] = resolve_packs([spec], source)
    _family(latest, Family.LTC)
    if spec.endswith((".yaml", ".yml")) or parse_spec(spec)[1] is not None:
        return latest
    try:
        versions = resolve_packs([f"{latest.id}@{v}" for v in range(1, latest.version + 1)], source)
    except CommandError:
        versions = [latest]
    last = month.replace(day=month_days(month))
    in_force = [
        pack
        for pack in versions
        if pack.rules.effective.start <= last and pack.rules.effective.end >= month
    ]
    if not in_force:
        raise CommandError(
            _("No version of %(pack)s is in force in %(month)s.")
            % {"pack": latest.id, "month": month.strftime("%Y-%m")},
            returncode=USAGE_ERROR,
        )
    return max(in_force, key=lambda p: (p.rules.effective.start, p.version))


__all__ = ["Command", "describe_row"]
