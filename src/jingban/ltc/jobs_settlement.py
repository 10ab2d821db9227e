"""The settlement part's job kinds (imported by ``jobs``).

``ltc.settlement.month`` settles one region's month in the background: a prefecture with tens
of thousands of beneficiaries takes longer than a page should wait. It is the same service as
the page's button (``services_settlement.run_month``), run as the user who queued it, with the
same checks (a month not begun or already paid is refused), so a job and a click never differ
in what they store; a second run before 拨付 replaces the batch, as a second click does.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from jingban.core.calendar import today as local_today
from jingban.core.errors import ValidationFailed
from jingban.core.models import Region
from jingban.jobs.kinds import JobContext, job_kind
from jingban.ltc import services_settlement as services
from jingban.ltc.texts_settlement import yuan


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise ValidationFailed(
            fields={"month": [_t("Give the month as YYYY-MM, for example 2026-03.")]}
        ) from None


@job_kind(
    "ltc.settlement.month",
    label=_("Settle a month of long-term care"),
    capability=services.Cap.CLAIM,
    labels={
        "month": _("Month"),
        "region": _("Region"),
        "statements": _("Statements"),
        "fund": _("Paid by the fund (yuan)"),
        "self_pay": _("Paid by the person (yuan)"),
        "batch": _("Settlement batch"),
    },
)
def settle_month(ctx: JobContext, month: str, region: str) -> dict[str, object]:
    first = _month(month)
    place = Region.objects.filter(code=region.strip()).first()
    if place is None:
        raise ValidationFailed(fields={"region": [_t("No region has this code.")]})
    ctx.progress(0, 1, message=_("Settling"))
    batch = services.run_month(place, first, by=ctx.user, today=local_today())
    ctx.progress(1, 1, message=_("Settling"))
    return {
        "batch": batch.pk,
        "statements": batch.statement_count,
        # Yuan as text with two decimals, as the run's page shows them; the batch keeps fen.
        "fund": yuan(batch.fund_fen),
        "self_pay": yuan(batch.self_pay_fen),
    }
