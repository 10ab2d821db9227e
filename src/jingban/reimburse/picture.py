"""The person's reimbursements in their whole picture (contract C4, order 350): each application
with its state and amounts (yuan on the page, fen in the API), newest first, and a link to it.
Staff who may view reimbursements and the person or their agent see it; nobody else."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.core.models import User
from jingban.core.picture import PictureSection
from jingban.registry.models import Person
from jingban.reimburse import services
from jingban.reimburse.models import Reimbursement, Status

LATEST = 10


def section(person: Person, viewer: User, *, year: int | None = None) -> PictureSection | None:
    staff = viewer.can(services.VIEW)
    if not staff and not viewer.can(services.OWN):
        return None
    rows = Reimbursement.objects.filter(person=person).select_related("institution", "settlement")
    if year is not None:
        rows = rows.filter(admitted_on__year=year)
    count = rows.count()
    items = list(rows.order_by("-received_on", "-pk")[:LATEST])
    url_name = "reimburse:detail" if staff else "reimburse:my_detail"
    shown: list[dict[str, Any]] = [
        {
            "id": item.pk,
            "number": item.number,
            "hospital": item.institution.name,
            "admitted_on": item.admitted_on.isoformat(),
            "status": item.status,
            "status_label": str(Status(item.status).label),
            "total": item.total,
            "payable": item.payable if item.settlement_id else None,
            "paid_on": item.paid_on.isoformat() if item.paid_on else None,
            "url": reverse(url_name, args=[item.pk]),
        }
        for item in items
    ]
    link = reverse("reimburse:list") + f"?person={person.pk}" if staff else ""
    return PictureSection(
        key="reimburse.reimbursements",
        title=_("Manual reimbursements"),
        order=350,
        template="reimburse/_picture.html",
        context={"rows": shown},
        data={"reimbursements": shown},
        count=count,
        link=link if count > LATEST else "",
    )
