"""C4: the accident section of a person's whole picture (order 550): the person's covers and
claims, for staff who see accident insurance and for the person or their agent."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.accident.models import Claim, Enrollment
from jingban.core.models import User
from jingban.core.picture import PictureSection
from jingban.registry.models import Person

LATEST = 5


def section(person: Person, viewer: User, *, year: int | None = None) -> PictureSection | None:
    if not (viewer.can("accident.view") or viewer.can("accident.own")):
        return None
    enrollments = list(Enrollment.objects.filter(person=person).order_by("-start", "-pk"))
    claims = list(Claim.objects.filter(person=person).order_by("-reported_on", "-pk"))
    if year is not None:
        enrollments = [e for e in enrollments if e.start.year <= year <= e.end.year]
        claims = [c for c in claims if c.accident_date.year == year]
    data = {
        "enrollments": [
            {
                "number": e.number,
                "product": e.product,
                "start": e.start.isoformat(),
                "end": e.end.isoformat(),
                "premium": e.premium,
                "channel": str(e.get_channel_display()),
            }
            for e in enrollments[:LATEST]
        ],
        "claims": [
            {
                "number": c.number,
                "accident_date": c.accident_date.isoformat(),
                "status": str(c.get_status_display()),
                "amount": c.amount,
            }
            for c in claims[:LATEST]
        ],
    }
    link = (
        reverse("accident:claim_list") + f"?person={person.pk}"
        if viewer.can("accident.view")
        else reverse("accident:my")
    )
    return PictureSection(
        key="accident.cover",
        title=_("Elderly accident insurance"),
        order=550,
        template="accident/_picture.html",
        context={"enrollments": enrollments[:LATEST], "claims": claims[:LATEST]},
        data=data,
        count=len(enrollments) + len(claims),
        link=link,
    )
