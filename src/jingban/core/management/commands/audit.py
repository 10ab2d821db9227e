"""``jingban audit``: check and seal the action log's hash chain (see jingban.core.actionlog).

``verify`` only reads; it exits with status 1 when it finds a problem, so it can run from cron or
a monitoring check. ``seal`` seals rows whose after-commit sealer did not run (a crash, a failure
that was logged); it refuses rows without a valid row MAC (not written by the application, or
changed before sealing) and exits with status 1 when it refused any.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jingban.core.actionlog import Report, verify
from jingban.core.actionlog.writing import seal


class Command(BaseCommand):
    help = "Verify or seal the action log's hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="audit_action", required=True, metavar="ACTION")
        check = actions.add_parser(
            "verify", help="Check the chain against its head and the anchor file (read only)."
        )
        check.add_argument("--json", action="store_true", help="Print the report as JSON.")
        actions.add_parser("seal", help="Seal every committed, unsealed row now.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["audit_action"] == "seal":
            self._seal()
        else:
            self._verify(as_json=options["json"])

    def _seal(self) -> None:
        result = seal()
        count = result.sealed
        self.stdout.write(
            ngettext("Sealed %(count)d row.", "Sealed %(count)d rows.", count) % {"count": count}
        )
        if result.refused:
            for row_id, kind in result.refused:
                self.stderr.write(_("Refused row %(id)s: %(kind)s") % {"id": row_id, "kind": kind})
            refused = len(result.refused)
            raise CommandError(
                ngettext(
                    "Refused to seal %(count)d row without a valid row MAC; "
                    "run `jingban audit verify`.",
                    "Refused to seal %(count)d rows without a valid row MAC; "
                    "run `jingban audit verify`.",
                    refused,
                )
                % {"count": refused},
                returncode=1,
            )

    def _verify(self, *, as_json: bool) -> None:
        report = verify()
        if as_json:
            self.stdout.write(json.dumps(_as_dict(report), ensure_ascii=False, indent=2))
        else:
            self._print_summary(report)
        if not report.ok:
            count = len(report.problems)
            raise CommandError(
                ngettext(
                    "The action log failed verification: %(count)d problem.",
                    "The action log failed verification: %(count)d problems.",
                    count,
                )
                % {"count": count},
                returncode=1,
            )

    def _print_summary(self, report: Report) -> None:
        self.stdout.write(_("Rows checked: %(count)d") % {"count": report.checked})
        self.stdout.write(_("Last position: %(seq)d") % {"seq": report.last_seq})
        self.stdout.write(_("Unsealed rows: %(count)d") % {"count": report.unsealed})
        if report.ok:
            self.stdout.write(self.style.SUCCESS(_("The action log chain is intact.")))
            return
        for problem in report.problems:
            position = "-" if problem.seq is None else str(problem.seq)
            self.stderr.write(
                _("%(kind)s at position %(seq)s: %(detail)s")
                % {"kind": problem.kind, "seq": position, "detail": problem.detail}
            )


def _as_dict(report: Report) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "checked": report.checked,
        "last_seq": report.last_seq,
        "unsealed": report.unsealed,
        "problems": [
            {"kind": problem.kind, "seq": problem.seq, "detail": problem.detail}
            for problem in report.problems
        ],
    }
