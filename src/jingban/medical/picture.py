"""Medical's section of the person's whole picture (``core.picture``): the year's settlements
(date, institution, total, fund, cash), their totals, and the latest settlement's explanation
behind a link to its page.

As on medical's own pages: bureau staff with ``medical.settlement.view`` see the settlements in
their scope; the insured person (``medical.settlement.own``) their own. Medical's pages show an
agent nothing of the person they act for, so neither does the picture."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.calendar import today
from jingban.core.models import User
from jingban.core.picture import PictureSection
from jingban.medical import queries
from jingban.medical.models import Settlement, SettlementKind
from jingban.registry.models import Person

LATEST = 10


def settlements_section(person: Person, viewer: User, *, year: int | None) -> PictureSection | None:
    """医疗结算: the settlements (and reversals) of the person's year."""
    own = person.account_id is not None and person.account_id == viewer.pk
    if own and viewer.can(queries.OWN):
        detail, listing = "medical:own_settlement_detail", reverse("medical:own_settlements")
    elif viewer.can(queries.VIEW) and not own:
        # Staff: the settlement list has no filter by person; each row links to its page.
        detail, listing = "medical:settlement_detail", ""
    else:
        return None
    chosen = year or today().year
    rows = queries.settlements_for(viewer).filter(person=person, year=chosen)
    totals = rows.aggregate(
        settlements=Count("pk", filter=Q(kind=SettlementKind.SETTLEMENT)),
        medfee=Coalesce(Sum("medfee_sumamt"), 0),
        fund=Coalesce(Sum("fund_pay_sumamt"), 0),
        cash=Coalesce(Sum("psn_cash_pay"), 0),
    )
    latest: list[Settlement] = list(rows.order_by("-setl_time", "-pk")[:LATEST])
    items = [
        {
            "id": row.pk,
            "setl_id": row.setl_id,
            "day": timezone.localtime(row.setl_time).date().isoformat(),
            "institution": row.institution.name,
            "kind": row.kind,
            "status": row.status,
            "status_label": str(row.get_status_display()),
            "total": row.medfee_sumamt,
            "fund": row.fund_pay_sumamt,
            "cash": row.psn_cash_pay,
            "link": reverse(detail, args=[row.pk]),
        }
        for row in latest
    ]
    explanation = []
    first = next((row for row in latest if row.kind == SettlementKind.SETTLEMENT), None)
    if first is not None:
        english = _lang() == "en"
        explanation = [
            {
                "layer": line.layer,
                "label": line.label_en if english else line.label_zh,
                "amount": line.amount,
                "payment": line.payment,
            }
            for line in first.lines.order_by("position")
        ]
    count = rows.count()
    return PictureSection(
        key="medical.settlements",
        title=_("Medical settlements"),
        order=300,
        template="medical/picture/settlements.html",
        context={
            "rows": latest,
            "items": items,
            "totals": totals,
            "year": chosen,
            "latest": first,
            "latest_link": reverse(detail, args=[first.pk]) if first else "",
        },
        data={
            "year": chosen,
            "settlements": totals["settlements"],
            "total": totals["medfee"],
            "fund": totals["fund"],
            "cash": totals["cash"],
            "latest": items,
            "latest_explanation": explanation,
        },
        count=count,
        link=listing,
    )


def _lang() -> str:
    from django.utils.translation import get_language

    return (get_language() or "zh-hans")[:2]
