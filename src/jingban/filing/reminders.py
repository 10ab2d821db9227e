"""Filing's reminders (core.reminders): a filing waiting for approval reminds the operators of
its region (and of the regions above it); a filing in effect that ends within a week reminds
the person (and the agent who filed it). Titles hold the filing number only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.core.models import User
from jingban.core.reminders import Reminder, text
from jingban.core.roles import Role
from jingban.filing.models import Filing, Status

ENDING_WITHIN_DAYS = 7


def _operators(region_path: str) -> list[int]:
    codes = [c for c in region_path.split("/") if c]
    return list(
        User.objects.filter(role=Role.OPERATOR, is_active=True, region__code__in=codes).values_list(
            "pk", flat=True
        )
    )


def due(today: dt.date) -> Iterator[Reminder]:
    for filing in Filing.objects.filter(status=Status.PENDING).iterator(chunk_size=500):
        for user_id in _operators(filing.region_path):
            yield Reminder(
                user_id=user_id,
                key=f"filing.filing.pending:{filing.pk}",
                title=text(_("Filing %(number)s waits for approval"), number=filing.number),
                url=reverse("filing:detail", args=[filing.pk]),
            )
    ending = Filing.objects.filter(
        status=Status.IN_EFFECT,
        end__gte=today,
        end__lte=today + dt.timedelta(days=ENDING_WITHIN_DAYS),
    ).select_related("person", "agent")
    for filing in ending.iterator(chunk_size=500):
        people = {filing.person.account_id}
        if filing.agent is not None:
            people.add(filing.agent.account_id)
        for user_id in sorted(p for p in people if p is not None):
            yield Reminder(
                user_id=user_id,
                key=f"filing.filing.ending:{filing.pk}",
                title=text(
                    _("Your cross-region filing %(number)s ends on %(day)s"),
                    number=filing.number,
                    day=filing.end.isoformat() if filing.end else "",
                ),
                url=reverse("filing:my_detail", args=[filing.pk]),
                due=filing.end,
            )
