"""May an institution deliver a service and be paid for it on a day? (``may_serve``)

Later steps call this per claim line, so a question (one day or a whole stay) is one query: the
institution's designations for the scheme and care form, and the events of its agreement
periods that overlap the days, read together (``UNION ALL``). On a day the institution may
serve when
- a designation for the scheme × care form holds that day (``valid_from`` ≤ day ≤
  ``valid_until``, open-ended without an end), and
- an agreement period holds that day, and the state after its last event effective on or before
  that day is ``in_force`` or ``rectifying``.
A suspension so counts from its effective date, and the lifting from its own; a termination or
an expiry ends it for good.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, F, IntegerField, Value
from django.utils.translation import gettext_lazy as _

from jingban.providers.models import (
    SERVING_STATES,
    AgreementEvent,
    AgreementState,
    Designation,
    Institution,
)

_FAR = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class Answer:
    allowed: bool
    reason: str = ""  # why not, translated; empty when allowed

    def __bool__(self) -> bool:
        return self.allowed


def _facts(
    institution: Institution | int, scheme: str, care_form: str, start: dt.date, end: dt.date
) -> tuple[
    list[tuple[dt.date, dt.date]], dict[int, list[tuple[dt.date, int, str, dt.date, dt.date]]]
]:
    institution_id = institution if isinstance(institution, int) else institution.pk
    designations = Designation.objects.filter(
        institution_id=institution_id,
        scheme__code=scheme,
        care_form=care_form,
        valid_from__lte=end,
    ).values_list(
        Value("d", output_field=CharField()),
        Value(0, output_field=IntegerField()),
        Value(0, output_field=IntegerField()),
        F("valid_from"),
        F("valid_until"),
        F("valid_from"),
        Value("", output_field=CharField()),
    )
    events = AgreementEvent.objects.filter(
        agreement__institution_id=institution_id,
        agreement__valid_from__lte=end,
        agreement__valid_until__gte=start,
        effective_on__lte=end,
    ).values_list(
        Value("e", output_field=CharField()),
        F("agreement_id"),
        F("id"),
        F("agreement__valid_from"),
        F("agreement__valid_until"),
        F("effective_on"),
        F("state_after"),
    )
    spans: list[tuple[dt.date, dt.date]] = []
    periods: dict[int, list[tuple[dt.date, int, str, dt.date, dt.date]]] = {}
    for tag, agreement_id, event_id, first, last, day, state in designations.union(
        events, all=True
    ):
        if tag == "d":
            spans.append((first, last or _FAR))
        else:
            periods.setdefault(agreement_id, []).append((day, event_id, state, first, last))
    for rows in periods.values():
        rows.sort()
    return spans, periods


def _day(
    day: dt.date,
    spans: list[tuple[dt.date, dt.date]],
    periods: dict[int, list[tuple[dt.date, int, str, dt.date, dt.date]]],
) -> Answer:
    if not any(first <= day <= last for first, last in spans):
        return Answer(False, str(_("Not designated for this scheme and care form on this day.")))
    states = []
    for rows in periods.values():
        first, last = rows[0][3], rows[0][4]
        if not first <= day <= last:
            continue
        state = ""
        for effective_on, _id, after, _f, _l in rows:
            if effective_on > day:
                break
            state = after
        states.append(state)
    if not states:
        return Answer(False, str(_("No agreement period covers this day.")))
    if any(state in SERVING_STATES for state in states):
        return Answer(True)
    if AgreementState.SUSPENDED in states:
        return Answer(False, str(_("The agreement is suspended on this day.")))
    if AgreementState.TERMINATED in states:
        return Answer(False, str(_("The agreement was terminated.")))
    if AgreementState.EXPIRED in states:
        return Answer(False, str(_("The agreement has expired.")))
    return Answer(False, str(_("The agreement is not in force on this day.")))


def may_serve_reasoned(
    institution: Institution | int, scheme: str, care_form: str, day: dt.date
) -> Answer:
    """Whether the institution may serve (and be paid) on ``day``, and if not, why (one query)."""
    spans, periods = _facts(institution, scheme, care_form, day, day)
    return _day(day, spans, periods)


def may_serve(institution: Institution | int, scheme: str, care_form: str, day: dt.date) -> bool:
    """``may_serve_reasoned(...).allowed``: scheme by code, care form by ``CareForm`` value."""
    return may_serve_reasoned(institution, scheme, care_form, day).allowed


def may_serve_days(
    institution: Institution | int, scheme: str, care_form: str, start: dt.date, end: dt.date
) -> dict[dt.date, Answer]:
    """Each day of a stay from ``start`` to ``end`` (both included), in one query."""
    spans, periods = _facts(institution, scheme, care_form, start, end)
    days = (end - start).days + 1
    return {
        start + dt.timedelta(days=n): _day(start + dt.timedelta(days=n), spans, periods)
        for n in range(max(days, 0))
    }
