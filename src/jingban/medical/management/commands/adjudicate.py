"""``jingban adjudicate --policy PACK … --in claims.csv --out results.csv``: settle a claims file.

The file is grouped by person-year on disk (beside ``--out``, removed at the end), then each
person-year is settled in date order with the accumulators carried and written at once, so the
memory used does not grow with the file. Results are therefore in person-year order, each row
with its input line. A bad row is reported with its line and reason and never stops the
others. Exit status: 0 when every row was
settled, 1 when some were rejected (the good rows are still settled and written), 2 for a problem
with the options, a file or a pack (nothing is written). Works without a database: packs come
from the shipped files unless one is configured (``--policy-source``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from jingban.core.engine_messages import (
    AMOUNT_LABELS,
    describe,
)
from jingban.engine.csvfiles import AtomicFiles, FileProblem
from jingban.engine.medical.batch import AMOUNTS, PackSetError, PersonYear
from jingban.engine.medical.claim import YearToDate
from jingban.engine.medical.files import read_accumulators
from jingban.engine.medical.stream import FileSummary, Outputs, settle_file
from jingban.engine.money import format_yuan
from jingban.engine.policy import PolicyPack
from jingban.packs.command_options import (
    check_outputs,
    resolve_packs,
    usage_error,
)
from jingban.packs.resolution import PackSource

SOME_ROWS_REJECTED = 1
SHOWN_REFUSALS = 20  # on stderr, the first by line; the errors file lists them all


class Command(BaseCommand):
    help = (
        "Settle a CSV file of medical claims with one or more policy packs: results, "
        "explanation lines, errors and year-to-date accumulators as CSV files."
    )
    # Runs without a database; the system checks have nothing to say about a claims file.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--policy",
            dest="policies",
            action="append",
            required=True,
            metavar="PACK",
            help="A pack: ID, ID@VERSION or a .yaml file. Repeat to stack a supplementary pack "
            "on the public one, or to give public packs for different periods.",
        )
        parser.add_argument(
            "--in", dest="input", type=Path, required=True, help="The claims CSV file."
        )
        parser.add_argument(
            "--out", type=Path, required=True, help="The results CSV file to write."
        )
        parser.add_argument("--explain", type=Path, help="Write the explanation lines here.")
        parser.add_argument("--errors", type=Path, help="Write the rejected rows here.")
        parser.add_argument(
            "--accumulators-in",
            type=Path,
            help="Year-to-date accumulators before these claims (from --accumulators-out of an "
            "earlier file of the same year).",
        )
        parser.add_argument(
            "--accumulators-out", type=Path, help="Write the accumulators after these claims."
        )
        parser.add_argument(
            "--policy-source",
            choices=[source.value for source in PackSource],
            default=PackSource.AUTO.value,
            help="Where pack ids are looked up: the database when configured (auto), only the "
            "shipped files, or only the database.",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of messages and explanation lines (default: JINGBAN_LANGUAGE).",
        )

    def handle(self, *args: Any, language: str | None, **options: Any) -> None:
        with translation.override(language or settings.LANGUAGE_CODE):
            self._adjudicate(**options)

    def _adjudicate(
        self,
        *,
        policies: list[str],
        input: Path,
        out: Path,
        explain: Path | None,
        errors: Path | None,
        accumulators_in: Path | None,
        accumulators_out: Path | None,
        policy_source: str,
        **options: Any,
    ) -> None:
        started = time.perf_counter()
        inputs = [p for p in (input, accumulators_in) if p is not None]
        outputs = [p for p in (out, explain, errors, accumulators_out) if p is not None]
        check_outputs(inputs, outputs)
        packs = resolve_packs(policies, PackSource(policy_source))
        try:
            carried = read_accumulators(accumulators_in) if accumulators_in else None
            summary = _settle_and_write(
                input, packs, carried, out, explain, errors, accumulators_out
            )
        except (FileProblem, PackSetError) as err:
            raise usage_error(err.code, str(err), err.params) from err
        seconds = time.perf_counter() - started
        self._report(summary, packs, seconds, has_errors_file=errors is not None)
        if summary.refused:
            raise SystemExit(SOME_ROWS_REJECTED)

    def _report(
        self,
        summary: FileSummary,
        packs: Sequence[PolicyPack],
        seconds: float,
        *,
        has_errors_file: bool,
    ) -> None:
        for refusal in summary.first_refusals:
            self.stderr.write(
                _("Line %(line)s (claim %(claim_id)s): %(message)s")
                % {
                    "line": refusal.line,
                    "claim_id": refusal.claim_id or "-",
                    "message": describe(refusal),
                }
            )
        hidden = summary.refused - len(summary.first_refusals)
        if hidden > 0:
            more = (
                _("… and %(count)s more rejected rows: see the errors file.")
                if has_errors_file
                else _("… and %(count)s more rejected rows: give --errors FILE to list them all.")
            )
            self.stderr.write(more % {"count": hidden})

        self.stdout.write(
            _("Rows read: %(read)s; settled: %(settled)s; rejected: %(rejected)s.")
            % {"read": summary.rows, "settled": summary.settled, "rejected": summary.refused}
        )
        self.stdout.write(
            _("Packs: %(packs)s") % {"packs": ", ".join(f"{p.ref} ({p.hash[:12]})" for p in packs)}
        )
        totals = summary.totals
        for name in ("total", *AMOUNTS):
            self.stdout.write(
                "  "
                + _("%(label)s: %(amount)s")
                % {"label": AMOUNT_LABELS[name], "amount": format_yuan(totals[name])}
            )
        rate = summary.rows / seconds if seconds > 0 else 0.0
        self.stdout.write(
            _("%(seconds).2f s, %(rate)s rows per second")
            % {"seconds": seconds, "rate": f"{rate:,.0f}"}
        )


def _settle_and_write(
    claims: Path,
    packs: Sequence[PolicyPack],
    carried: Mapping[PersonYear, YearToDate] | None,
    out: Path,
    explain: Path | None,
    errors: Path | None,
    accumulators_out: Path | None,
) -> FileSummary:
    """Settle the claims and write every file, all or none: each is written under a temporary
    name as the person-years are settled, and renamed into place only when all are done."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    with AtomicFiles() as files:
        outputs = Outputs(
            results=files.open(out),
            explanation=files.open(explain) if explain else None,
            errors=files.open(errors) if errors else None,
            accumulators=files.open(accumulators_out) if accumulators_out else None,
            describe=describe,
            language=language,
        )
        summary = settle_file(
            claims,
            packs,
            carried,
            outputs,
            # Beside the results, where there is room for them, rather than in a /tmp that
            # may be memory.
            workdir=out.resolve().parent,
            shown_refusals=SHOWN_REFUSALS,
        )
        files.commit()
    return summary
