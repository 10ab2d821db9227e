"""The catalogue's section of the person's whole picture (``core.picture``): the person's
chronic and special disease registrations (门诊慢特病认定), as the catalogue's pages show them:
staff with ``catalogue.chronic.view`` in their scope; the person their own
(``catalogue.chronic.own``). A disease is health data: an agent sees nothing of it here, as
on the catalogue's pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.catalogue import queries
from jingban.catalogue.plugin import CHRONIC_OWN, CHRONIC_VIEW
from jingban.core.models import User
from jingban.core.picture import PictureSection
from jingban.registry.models import Person


def chronic_section(person: Person, viewer: User, *, year: int | None) -> PictureSection | None:
    """门诊慢特病: every registration, in force first, with its validity."""
    own = person.account_id is not None and person.account_id == viewer.pk
    if own and viewer.can(CHRONIC_OWN):
        rows = queries.own_registrations(viewer)
        link = reverse("catalogue:chronic_own")
    elif not own and viewer.can(CHRONIC_VIEW):
        rows = queries.registrations_for(viewer)
        link = ""
    else:
        return None
    found = list(rows.filter(person=person).order_by("status", "-valid_from", "-pk"))
    items = [
        {
            "id": r.pk,
            "disease": r.disease.name,
            "disease_code": r.disease.code,
            "status": r.status,
            "status_label": str(r.get_status_display()),
            "valid_from": r.valid_from.isoformat(),
            "valid_to": r.valid_to.isoformat() if r.valid_to else None,
            "hospital": r.hospital,
            "link": reverse("catalogue:chronic_detail", args=[r.pk]) if not own else "",
        }
        for r in found
    ]
    return PictureSection(
        key="catalogue.chronic",
        title=_("Chronic and special diseases"),
        order=450,
        template="catalogue/picture/chronic.html",
        context={"items": items},
        data={"registrations": items},
        count=len(items),
        link=link,
    )
