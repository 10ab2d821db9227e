"""Job kinds of the platform itself."""

from __future__ import annotations

import threading

from django.db import connection
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jingban.core import synthetic
from jingban.core.actionlog import Report, verify
from jingban.core.errors import Message, ValidationFailed
from jingban.core.roles import Cap
from jingban.jobs.kinds import JobContext, job_kind


class _Verification(threading.Thread):
    """``verify`` on a connection of its own.

    A job runs inside a transaction that has already read (its lock, its run), so it cannot take
    the one read-only snapshot ``verify`` needs for a whole walk; on its own connection, outside
    any transaction, ``verify`` takes it. A sealer committing during the walk then cannot show up
    as a false head mismatch.
    """

    def __init__(self) -> None:
        super().__init__(name="verify-action-log", daemon=True)
        self.checked = 0
        self.total = 0
        self.report: Report | None = None
        self.error: BaseException | None = None
        self.language = translation.get_language()

    def run(self) -> None:
        try:
            with translation.override(self.language):
                self.report = verify(progress=self._progress)
        except BaseException as exc:  # handed to the job's thread
            self.error = exc
        finally:
            connection.close()

    def _progress(self, checked: int, total: int) -> None:
        self.checked, self.total = checked, total


@job_kind(
    "core.audit.verify",
    label=_("Verify the action log"),
    capability=Cap.AUDIT_VERIFY,
    labels={
        "ok": _("Chain intact"),
        "checked": _("Entries checked"),
        "last_seq": _("Last entry number"),
        "unsealed": _("Entries not yet sealed"),
        "problem_count": _("Problems found"),
        "problems": _("Problems"),
    },
)
def verify_action_log(ctx: JobContext) -> dict[str, object]:
    """Check the action log's hash chain, like ``jingban audit verify``, and report its figures.

    Read only. A chain that fails verification is a result, not a failure of the job: the
    figures and the problems found are what the job returns.
    """
    ctx.progress(0, None, _("Checking the chain"))
    walk = _Verification()
    walk.start()
    while walk.is_alive():
        walk.join(timeout=0.2)
        if walk.total:
            ctx.progress(walk.checked, walk.total, _("Checking the chain"))
    if walk.error is not None:
        raise walk.error
    report = walk.report
    assert report is not None
    ctx.progress(report.checked, report.checked, _("Checked"))
    return {
        "ok": report.ok,
        "checked": report.checked,
        "last_seq": report.last_seq,
        "unsealed": report.unsealed,
        "problem_count": len(report.problems),
        "problems": [
            {"kind": problem.kind, "seq": problem.seq, "detail": problem.detail}
            for problem in report.problems[:100]
        ],
    }


#: The largest city one job generates: a province is loaded city by city.
MAX_SYNTH_PERSONS = 5_000_000


def _city_unavailable() -> Message | None:
    if synthetic.loaded():
        return _(
            "This registry already holds a synthetic city; a city is loaded once. Start from an "
            "empty database to generate another."
        )
    return None


@job_kind(
    "core.synth.city",
    label=_("Generate a synthetic city"),
    capability=Cap.SYNTH_RUN,
    labels={
        "persons": _("Persons"),
        "seed": _("Seed"),
        "digest": _("Content digest"),
        "rows": _("Rows written"),
        "persons_per_second": _("Persons per second"),
        # The tables of "rows", as the registry's generator names them.
        "regions": _("Regions"),
        "households": _("Households"),
        "household_members": _("Household members"),
        "enrollments": _("Enrollments"),
        "memberships": _("Special-group memberships"),
    },
    unavailable=_city_unavailable,
)
def synth_city(ctx: JobContext, persons: int = 20_000, seed: int = 2025) -> dict[str, object]:
    """Generate a synthetic city with every installed app's generator, progress in rows.

    Administrators only: it writes hundreds of thousands of made-up persons into the registry.
    """
    if not 1 <= persons <= MAX_SYNTH_PERSONS:
        raise ValidationFailed(
            fields={
                "persons": [
                    _("Give a number of persons from 1 to %(max)s.") % {"max": MAX_SYNTH_PERSONS}
                ]
            }
        )
    if seed < 0:
        raise ValidationFailed(fields={"seed": [_("The seed must be zero or more.")]})
    run = synthetic.generate(
        persons, seed, progress=lambda done, total: ctx.progress(done, total), acting_user=ctx.user
    )
    return {
        "persons": run.persons,
        "seed": run.seed,
        "digest": run.digest,
        "rows": run.counts,
        "persons_per_second": round(run.persons_per_second),
    }
