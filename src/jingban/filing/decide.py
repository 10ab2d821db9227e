"""The cross-region rule of a settlement (contract 5 of step 8): from the insured place, the
place of treatment and the person's filings in force on the day of treatment.

Same pooling area → LOCAL; an emergency → EMERGENCY; a filing in force covering the place →
its kind's rule; otherwise UNFILED. A missing filing is never a refusal: an unfiled case is
settled by the unfiled rule (医保发〔2022〕22号)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jingban.core.errors import ValidationFailed
from jingban.engine.codes import CrossRegion
from jingban.filing import places
from jingban.filing.models import Filing, Kind, Status
from jingban.filing.rules import pooling_area, pooling_digits

KIND_RULES = {
    Kind.RETIRED_RESETTLED: CrossRegion.FILED_LONG_TERM,
    Kind.LONG_TERM_RESIDENCE: CrossRegion.FILED_LONG_TERM,
    Kind.RESIDENT_WORK: CrossRegion.FILED_LONG_TERM,
    Kind.REFERRAL: CrossRegion.REFERRAL,
    Kind.EMERGENCY: CrossRegion.EMERGENCY,
    Kind.OTHER_TEMPORARY: CrossRegion.FILED_TEMPORARY,
}
# When several filings cover the place, the first of this order decides.
_PRIORITY = [
    Kind.RETIRED_RESETTLED,
    Kind.LONG_TERM_RESIDENCE,
    Kind.RESIDENT_WORK,
    Kind.REFERRAL,
    Kind.EMERGENCY,
    Kind.OTHER_TEMPORARY,
]


@dataclass(frozen=True)
class CrossRegionDecision:
    rule: CrossRegion
    filing_id: int | None
    reason: str


def in_force_on(day: dt.date) -> Q:
    """Filings in force on ``day``: approved (in effect, or expired since), or cancelled after
    it, with ``day`` inside their period."""
    return (
        Q(start__lte=day)
        & (Q(end__isnull=True) | Q(end__gte=day))
        & (
            Q(status__in=[Status.IN_EFFECT, Status.EXPIRED])
            | Q(status=Status.CANCELLED, cancelled_on__gt=day)
        )
    )


def filings_in_force(person_id: int, day: dt.date) -> QuerySet[Filing]:
    return Filing.objects.filter(in_force_on(day), person_id=person_id)


def _checked(code: str, field: str) -> str:
    code = (code or "").strip()
    if not places.is_code(code):
        raise ValidationFailed(fields={field: [_("Enter a six-digit administrative region code.")]})
    return code


def cross_region(
    person_id: int,
    on: dt.date,
    *,
    insured_area: str,
    treatment_area: str,
    emergency: bool = False,
) -> CrossRegionDecision:
    """The cross-region rule for a treatment of the person on ``on`` in ``treatment_area``
    (``mdtrtarea_admvs``), insured in ``insured_area`` (``insuplc_admdvs``).

    Raises ``ValidationFailed`` only for a code that is not six digits of a mainland region
    (fields ``insuplc_admdvs``, ``mdtrtarea_admvs``); never for a missing filing."""
    insured = _checked(insured_area, "insuplc_admdvs")
    treatment = _checked(treatment_area, "mdtrtarea_admvs")
    digits = pooling_digits(insured, on)
    area = pooling_area(insured, digits)
    if area == pooling_area(treatment, digits):
        return CrossRegionDecision(
            CrossRegion.LOCAL, None, _("Treated in the insured person's own pooling area.")
        )
    if emergency:
        return CrossRegionDecision(
            CrossRegion.EMERGENCY, None, _("Emergency treatment counts as filed.")
        )
    covering = [
        f
        for f in filings_in_force(person_id, on)
        if pooling_area(f.insured_area, digits) == area and places.covers(f.destination, treatment)
    ]
    if covering:
        filing = min(covering, key=lambda f: (_PRIORITY.index(Kind(f.kind)), f.pk))
        return CrossRegionDecision(
            KIND_RULES[Kind(filing.kind)],
            filing.pk,
            _("Filed: %(kind)s, %(number)s, for %(place)s.")
            % {
                "kind": Kind(filing.kind).label,
                "number": filing.number,
                "place": filing.destination_name or filing.destination,
            },
        )
    return CrossRegionDecision(
        CrossRegion.UNFILED,
        None,
        _("No filing in force covers the place of treatment: the unfiled rule applies."),
    )
