"""Reminders: what the apps tell the notices job, and how their sources are written.

The contract lives in core, beside ``AppPlugin.reminders``, so that an app which reminds (jobs,
packs, later ltc …) depends on core only, and the notices app, which delivers, sits above them.

An app names its reminder sources in its plugin (``reminders=("jingban.ltc.reminders:due",)``).
A source is a callable ``(today: date) -> Iterable[Reminder]``: every reminder that holds on
``today`` (items waiting for someone, deadlines coming up), each for one user. It only reads;
the job turns what it returns into notices, once per (user, key)::

    def waiting_assessments(today: date) -> Iterator[Reminder]:
        for case in Case.objects.filter(status="waiting"):
            yield Reminder(
                user_id=case.assessor_id,
                key=f"ltc.case.assess:{case.pk}",
                title=text(_("Case %(number)s waits for its assessment"), number=case.number),
                url=reverse("ltc:case_detail", args=[case.pk]),
                due=add_working_days(case.applied_on, 10),
            )

Rules for a source:
- ``key`` names the thing (and, where it matters, its state: a retried job's attempt), with
  ids only and never personal data: it is written to the channels' logs.
- ``title`` and ``body`` are lazy (``gettext_lazy``, or ``text`` for messages with values), so
  each recipient gets them in their own language.
- ``url`` is a path of this application (``reverse``); anything else is dropped.
- A reminder that stops being returned (the item was dealt with) resolves its notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.utils.functional import Promise, lazy

Text = str | Promise


@dataclass(frozen=True)
class Reminder:
    """One thing one user should look at."""

    user_id: int
    key: str
    title: Text
    body: Text = ""
    url: str = ""
    due: dt.date | None = None  # a deadline, shown with the notice


ReminderSource = Callable[[dt.date], Iterable[Reminder]]


def _format(message: Text, params: dict[str, Any]) -> str:
    return str(message) % params


_lazy_format = lazy(_format, str)


def text(message: Text, **params: Any) -> Promise:
    """``message % params``, translated when it is turned into text (for each recipient in
    their own language), not when the reminder is made."""
    return cast(Promise, _lazy_format(message, params))
