"""The desk's reminders (core.reminders): an open case whose reminder day has come reminds its
assignee, or the operators of the organisation it is routed to; an open case past its deadline,
or escalated, reaches the supervisors of that organisation and of the case's region. Keys and
titles hold the tracking number only, never a filer's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.core.models import User
from jingban.core.reminders import Reminder, text
from jingban.core.roles import Role
from jingban.desk.models import OPEN_STATES, Case


def _operators(case: Case) -> list[int]:
    if case.assignee_id is not None:
        return [case.assignee_id]
    if case.organisation_id is None:
        return list(
            User.objects.filter(role=Role.OPERATOR, is_active=True, region__path__isnull=False)
            .filter(_covers(case))
            .values_list("pk", flat=True)
        )
    return list(
        User.objects.filter(
            role=Role.OPERATOR, is_active=True, organisation_id=case.organisation_id
        ).values_list("pk", flat=True)
    )


def _covers(case: Case) -> Q:
    """Users whose region is the case's region or above it."""
    codes = [c for c in case.region.path.split("/") if c]
    return Q(region__code__in=codes)


def _supervisors(case: Case) -> list[int]:
    by_org = Q(organisation_id=case.organisation_id) if case.organisation_id else Q(pk__in=[])
    return list(
        User.objects.filter(role=Role.SUPERVISOR, is_active=True)
        .filter(by_org | _covers(case))
        .values_list("pk", flat=True)
    )


def due(today: dt.date) -> Iterator[Reminder]:
    cases = Case.objects.filter(state__in=OPEN_STATES, remind_from__lte=today).select_related(
        "region"
    )
    for case in cases.iterator(chunk_size=500):
        url = reverse("desk:case_detail", args=[case.pk])
        if case.deadline >= today and not case.escalated:
            for user_id in _operators(case):
                yield Reminder(
                    user_id=user_id,
                    key=f"desk.case.due:{case.pk}",
                    title=text(_("Case %(number)s is due for an answer"), number=case.number),
                    url=url,
                    due=case.deadline,
                )
        else:
            for user_id in _supervisors(case):
                yield Reminder(
                    user_id=user_id,
                    key=f"desk.case.escalated:{case.pk}",
                    title=text(
                        _("Case %(number)s is past its deadline and escalated to you"),
                        number=case.number,
                    ),
                    url=url,
                    due=case.deadline,
                )
