"""The filings' daily job: a filing in effect whose end has passed becomes expired."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingban.filing import services
from jingban.jobs.kinds import JobContext, job_kind


@job_kind(
    "filing.filing.expire",
    label=_("Mark ended cross-region filings as expired"),
    capability="filing.filing.decide",
    labels={"expired": _("Filings expired")},
)
def expire(ctx: JobContext) -> dict[str, object]:
    return {"expired": services.expire_due()}
