"""The person's whole picture (contract C4, order 500): the supplementary products the person
holds, year by year, and the claims the products paid (a reversal negative)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingban.core.models import User
from jingban.core.picture import PictureSection
from jingban.engine.money import format_yuan
from jingban.registry.models import Person
from jingban.supplementary import queries, rules
from jingban.supplementary.models import Claim, Enrollment


def _title(product: str) -> str:
    pack = rules.product(product)
    if pack is None:
        return product
    return str(pack.supplementary.supplementary.label.zh)


def section(person: Person, viewer: User, *, year: int | None = None) -> PictureSection | None:
    if not (viewer.can(queries.VIEW) or viewer.can(queries.OWN)):
        return None
    enrollments = list(Enrollment.objects.filter(person=person).order_by("-year", "pk"))
    claims = list(
        Claim.objects.filter(enrollment__person=person)
        .select_related("enrollment", "settlement")
        .order_by("-day", "-pk")[:20]
    )
    held = [
        {
            "product": _title(e.product),
            "product_id": e.product,
            "year": e.year,
            "status": e.get_status_display(),
            "paid_on": e.paid_on.isoformat() if e.paid_on else None,
        }
        for e in enrollments
    ]
    paid = [
        {
            "product": _title(c.enrollment.product),
            "day": c.day.isoformat(),
            "setl_id": c.settlement.setl_id,
            "kind": c.get_kind_display(),
            "amount": c.amount,
            "amount_yuan": format_yuan(c.amount),
        }
        for c in claims
    ]
    return PictureSection(
        key="supplementary.products",
        title=gettext_lazy("Supplementary insurance"),
        order=500,
        template="supplementary/_picture.html",
        context={"held": held, "paid": paid},
        data={"enrollments": held, "claims": paid, "note": _("Amounts in fen.")},
        count=len(held),
    )
