"""The decision part's daily jobs: close the notices that ended (their cases are then ready
for a decision), and the dynamic re-assessment (entitlements past their validity expire; those
reaching their ``reassess_on`` get a re-assessment case)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingban.core.calendar import today as local_today
from jingban.jobs.kinds import JobContext, job_kind
from jingban.ltc import services_decision as services


@job_kind(
    "ltc.notice.close_ended",
    label=_("Close the long-term care notices that ended"),
    capability="ltc.notice.manage",
    labels={"closed": _("Notices closed")},
)
def close_ended(ctx: JobContext) -> dict[str, object]:
    return {"closed": services.close_ended_notices(local_today())}


@job_kind(
    "ltc.entitlement.reassess_due",
    label=_("Open the re-assessments of entitlements reaching their date"),
    capability="ltc.entitlement.change",
    labels={"opened": _("Re-assessments opened")},
)
def reassess_due(ctx: JobContext) -> dict[str, object]:
    return {"opened": services.open_due_reassessments(local_today())}
