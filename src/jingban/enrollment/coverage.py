"""Coverage for settlement (待遇享受资格): is the person covered by the scheme on a day, and with
what raise of the critical illness cap. Settlement calls ``coverage`` for every claim."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from jingban.core.errors import DomainError, Message
from jingban.engine.medical.continuity import YearUse, cap_raise, continuous_years
from jingban.enrollment import rules as contribution
from jingban.registry.models import Enrollment, EnrollmentStatus, Person

FIELD = "psn_no"


class CoverageRefused(DomainError):
    """The person has no benefits of the scheme on the day; ``code`` says why."""

    code = "coverage.refused"
    status = 409

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(message, code=code, fields={FIELD: [message]})


@dataclass(frozen=True)
class Coverage:
    """A person's cover on a day: the enrollment, its year, the raise of the critical illness
    cap (a share of the cap), the continuous years that year closes, the first day of benefits
    after a waiting period (None: no waiting period) and the contribution pack that gave the
    rules (``id@version``, empty when the scheme has none)."""

    enrollment_id: int
    year: int
    ci_cap_raise: Fraction
    continuous_years: int
    waiting_until: dt.date | None
    pack: str


def coverage(
    person_id: int, scheme_code: str, on: dt.date, *, history: Mapping[int, YearUse]
) -> Coverage:
    """The person's cover by ``scheme_code`` on ``on``, or ``CoverageRefused``: not enrolled
    that year (or not yet), suspended, ended, inside the waiting period (the message names the
    day benefits start), or after the person's death. ``history`` holds what the insurance paid
    the person in past years (a year missing from it paid nothing)."""
    person = Person.objects.select_related("region").filter(pk=person_id).first()
    if person is None:
        raise CoverageRefused("coverage.not_enrolled", _("The person is not insured."))
    if person.death_date is not None and person.death_date < on:
        raise CoverageRefused(
            "coverage.after_death",
            _("The person died on %(day)s, before the day of treatment.")
            % {"day": person.death_date.isoformat()},
        )
    # One query for every year of the scheme: this year's row and the years that count.
    rows = list(
        Enrollment.objects.filter(person=person, scheme__code=scheme_code).only(
            "id", "year", "status", "since", "status_from", "benefits_from"
        )
    )
    enrollment = next((row for row in rows if row.year == on.year), None)
    if enrollment is None or on < enrollment.since:
        raise CoverageRefused(
            "coverage.not_enrolled",
            _("The person is not enrolled in this scheme on %(day)s.") % {"day": on.isoformat()},
        )
    stopped = enrollment.status_from or enrollment.since
    if enrollment.status == EnrollmentStatus.ENDED and stopped <= on:
        raise CoverageRefused(
            "coverage.ended",
            _("The person's enrollment ended on %(day)s.") % {"day": stopped.isoformat()},
        )
    if enrollment.status == EnrollmentStatus.SUSPENDED and stopped <= on:
        raise CoverageRefused(
            "coverage.suspended",
            _("The person's enrollment is suspended since %(day)s.") % {"day": stopped.isoformat()},
        )
    if enrollment.benefits_from is not None and on < enrollment.benefits_from:
        raise CoverageRefused(
            "coverage.waiting_period",
            _("The person is in the waiting period: benefits start on %(day)s.")
            % {"day": enrollment.benefits_from.isoformat()},
        )
    pack = contribution.contribution_pack(person, scheme_code, on)
    continuity = pack.contribution.continuity if pack is not None else None
    enrolled = {row.year for row in rows if contribution.counts_as_enrolled(row)} | {on.year}
    if continuity is not None:
        raised = cap_raise(continuity, year=on.year, enrolled=enrolled, history=history)
        share, run = raised.total, raised.continuous_years
    else:
        share, run = Fraction(0), continuous_years(enrolled, on.year)
    return Coverage(
        enrollment_id=enrollment.pk,
        year=on.year,
        ci_cap_raise=share,
        continuous_years=run,
        waiting_until=enrollment.benefits_from,
        pack=str(pack.ref) if pack is not None else "",
    )
