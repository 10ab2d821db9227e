"""Enrollment's sections of the person's whole picture (``core.picture``): coverage by scheme
for the year (status, dates, the waiting period before benefits), and contributions paid and due
by year.

Who sees what follows the enrollment and registry pages: staff see the rows of the schemes they
work on (the coverage as the person's page shows it; the payments with
``enrollment.enrollment.view``); the person sees all their own; an agent authorised to view the
record sees the person's rows, as on the agent's payment history page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.calendar import today
from jingban.core.models import User
from jingban.core.picture import PictureSection
from jingban.core.scope import scheme_codes
from jingban.enrollment import caps
from jingban.enrollment.queries import person_enrollments, person_payments
from jingban.registry import queries as registry_queries
from jingban.registry.models import Person
from jingban.registry.picture import relation

VIEW_RECORD = "view_record"


def coverage_section(person: Person, viewer: User, *, year: int | None) -> PictureSection | None:
    """参保: the person's enrollments of the year, each with its status and dates, and the day
    benefits start when a waiting period applies (``benefits_from``)."""
    rel = relation(person, viewer)
    if rel.staff or rel.own:
        rows = registry_queries.enrollments_for(viewer, person)
    elif VIEW_RECORD in rel.services:
        rows = person_enrollments(person)
    else:
        return None
    chosen = year or today().year
    years = sorted(set(rows.values_list("year", flat=True)), reverse=True)
    enrollments = list(rows.filter(year=chosen).order_by("scheme__code"))
    waiting = [e for e in enrollments if e.benefits_from and e.benefits_from > e.since]
    link = ""
    if rel.staff and viewer.can(caps.VIEW):
        link = reverse("enrollment:person", args=[person.pk])
    elif rel.own:
        link = reverse("enrollment:mine")
    elif not rel.staff:
        link = reverse("enrollment:acting", args=[person.pk])
    return PictureSection(
        key="enrollment.coverage",
        title=_("Coverage"),
        order=200,
        template="enrollment/picture/coverage.html",
        context={"enrollments": enrollments, "waiting": waiting, "year": chosen, "years": years},
        data={
            "year": chosen,
            "years": years,
            "enrollments": [
                {
                    "scheme": str(e.scheme),
                    "scheme_code": e.scheme.code,
                    "year": e.year,
                    "status": e.status,
                    "status_label": str(e.get_status_display()),
                    "since": e.since.isoformat(),
                    "status_from": e.status_from.isoformat() if e.status_from else None,
                    "benefits_from": (e.benefits_from or e.since).isoformat(),
                    "waiting": e in waiting,
                }
                for e in enrollments
            ],
        },
        count=len(enrollments),
        link=link,
    )


def contributions_section(
    person: Person, viewer: User, *, year: int | None
) -> PictureSection | None:
    """缴费: by year and scheme, what was paid and what was due (the amount the contribution
    rules set, where the payment was reconciled against it), in fen."""
    rel = relation(person, viewer)
    if rel.staff:
        if not viewer.can(caps.VIEW):
            return None
        payments = person_payments(person)
        codes = scheme_codes(viewer)
        if codes is not None:
            payments = payments.filter(scheme__code__in=codes)
        link = reverse("enrollment:person", args=[person.pk])
    elif rel.own:
        payments, link = person_payments(person), reverse("enrollment:mine")
    elif VIEW_RECORD in rel.services:
        payments = person_payments(person)
        link = reverse("enrollment:acting", args=[person.pk])
    else:
        return None
    totals: dict[tuple[int, str], dict[str, object]] = defaultdict(dict)
    for p in payments.order_by("-year", "scheme__code", "paid_at"):
        row = totals[(p.year, p.scheme.code)]
        if not row:
            row.update(
                year=p.year, scheme=str(p.scheme), paid=0, due=None, payments=0, last_paid=None
            )
        row["paid"] = int(row["paid"]) + p.amount  # type: ignore[call-overload]
        row["payments"] = int(row["payments"]) + 1  # type: ignore[call-overload]
        if p.expected is not None:
            row["due"] = max(int(row["due"] or 0), p.expected)  # type: ignore[call-overload]
        paid_on: dt.date = timezone.localtime(p.paid_at).date()
        row["last_paid"] = paid_on.isoformat()
    rows = list(totals.values())
    return PictureSection(
        key="enrollment.contributions",
        title=_("Contributions"),
        order=250,
        template="enrollment/picture/contributions.html",
        context={"rows": rows},
        data={"years": rows},
        count=len(rows),
        link=link,
    )
