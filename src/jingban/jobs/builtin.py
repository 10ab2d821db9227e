"""Job kinds of the platform itself."""

from __future__ import annotations

import threading

from django.db import connection
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import Report, verify
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


@job_kind("core.audit.verify", label=_("Verify the action log"), capability=Cap.AUDIT_VERIFY)
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
