"""The contribution rules in force (the contribution family of the pack union) and what they
say about one person: the tier's amount less subsidies, and the waiting period of an enrollment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jingban.engine.codes import Tier
from jingban.engine.medical.continuity import add_months, gap_years, waiting_months
from jingban.engine.policy import Family, PolicyPack, UnknownPack, shipped_registry
from jingban.engine.policy.errors import PackError
from jingban.engine.policy.families.contribution import ContributionRules
from jingban.packs import queries as pack_queries
from jingban.registry.models import Enrollment, EnrollmentStatus, GroupMembership, Person


def region_code(person: Person) -> str:
    return person.region.path.rstrip("/").rsplit("/", 1)[-1]


def contribution_pack(person: Person, scheme_code: str, day: dt.date) -> PolicyPack | None:
    """The contribution pack in force for the person's region and the scheme on ``day``: an
    approved version, else a shipped one; None when the scheme has none (LTC, 惠民保 …)."""
    for registry in (pack_queries.current_registry(), shipped_registry()):
        try:
            return registry.in_force(region_code(person), scheme_code, day, Family.CONTRIBUTION)
        except (PackError, UnknownPack):
            continue
    return None


def year_pack(person: Person, scheme_code: str, year: int) -> PolicyPack | None:
    """The contribution pack of a contribution year (the one in force on its first day)."""
    return contribution_pack(person, scheme_code, dt.date(year, 1, 1))


def relief_tiers(person: Person, day: dt.date) -> frozenset[Tier]:
    """The relief tiers of the special groups the person belongs to on ``day``."""
    tiers = (
        GroupMembership.objects.filter(person=person, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .values_list("group__tier", flat=True)
    )
    return frozenset(Tier(t) for t in tiers if t in Tier.__members__.values())


def amount_due(rules: ContributionRules, tier: str, person: Person, day: dt.date) -> int:
    """What the person pays for a year in ``tier`` (fen): the tier less subsidies."""
    return rules.amount_due(tier, relief_tiers(person, day))


def counts_as_enrolled(enrollment: Enrollment) -> bool:
    """Whether an enrollment's year counts as enrolled for continuity: active, or suspended or
    ended after the enrollment started (a year ended from its first day does not count)."""
    return enrollment.status == EnrollmentStatus.ACTIVE or (
        enrollment.status_from is not None and enrollment.status_from > enrollment.since
    )


def enrolled_years(person_id: int, scheme_code: str) -> set[int]:
    """The years the person was enrolled in the scheme (``counts_as_enrolled``)."""
    rows = Enrollment.objects.filter(person_id=person_id, scheme__code=scheme_code).only(
        "year", "status", "since", "status_from"
    )
    return {row.year for row in rows if counts_as_enrolled(row)}


@dataclass(frozen=True)
class Waiting:
    months: int
    benefits_from: dt.date | None
    gap: int
    in_concentrated_period: bool
    exempt: bool


def waiting_for(
    rules: ContributionRules | None,
    person: Person,
    *,
    scheme_code: str,
    year: int,
    effective: dt.date,
    enrolled_on: dt.date,
) -> Waiting:
    """The waiting period of an enrollment starting on ``effective``, recorded on
    ``enrolled_on`` (国办发〔2024〕38号: outside the concentrated period or after a gap)."""
    if rules is None or rules.continuity is None:
        return Waiting(0, None, 0, True, False)
    continuity = rules.continuity
    earlier = {y for y in enrolled_years(person.pk, scheme_code) if y != year}
    gap = gap_years(earlier, year)
    if rules.concentrated_period is not None:
        _start, end = rules.concentrated_period.days(year)
        inside = enrolled_on <= end
    else:
        inside = True
    newborn = add_months(person.birth_date, continuity.newborn_months) >= enrolled_on
    exempt = newborn or bool(relief_tiers(person, enrolled_on) & set(continuity.exempt_tiers))
    months = waiting_months(continuity, gap=gap, in_concentrated_period=inside, exempt=exempt)
    return Waiting(months, add_months(effective, months) if months else None, gap, inside, exempt)
