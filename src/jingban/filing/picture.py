"""Filing's section of the person's whole picture (``core.picture``): the person's cross-region
filings valid at some time in the year (kind, status, validity), as filing's own pages show
them: staff with ``filing.filing.view`` in their scope; the person their own; an agent those of
a person they may file for (``filing.queries.filings_for`` decides all three)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.core.calendar import today
from jingban.core.models import User
from jingban.core.picture import PictureSection
from jingban.filing import queries
from jingban.registry.models import Person


def filings_section(person: Person, viewer: User, *, year: int | None) -> PictureSection | None:
    """异地就医备案: the filings whose validity meets the year, newest first."""
    staff = viewer.can(queries.VIEW)
    if not (staff or viewer.can(queries.OWN)):
        return None
    if not staff and not any(p.pk == person.pk for p in queries.principals(viewer)):
        return None
    chosen = year or today().year
    start, end = dt.date(chosen, 1, 1), dt.date(chosen, 12, 31)
    rows = list(
        queries.filings_for(viewer)
        .filter(person=person, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("-start", "-pk")
    )
    detail = "filing:detail" if staff else "filing:my_detail"
    items = [
        {
            "id": f.pk,
            "number": f.number,
            "kind": f.kind,
            "kind_label": str(f.get_kind_display()),
            "status": f.status,
            "status_label": str(f.get_status_display()),
            "destination": f.destination_name or f.destination,
            "start": f.start.isoformat(),
            "end": f.end.isoformat() if f.end else None,
            "link": reverse(detail, args=[f.pk]),
        }
        for f in rows
    ]
    return PictureSection(
        key="filing.filings",
        title=_("Cross-region filings"),
        order=400,
        template="filing/picture/filings.html",
        context={"items": items, "year": chosen},
        data={"year": chosen, "filings": items},
        count=len(items),
        link="" if staff else reverse("filing:my_list"),
    )
