"""What a cancelled inpatient settlement tells other apps (``hooks.inpatient_cancelled``), kept
out of settling.py's money path: the cancellation calls ``settlement_cancelled`` once, inside its
transaction, after the original is marked cancelled."""

from __future__ import annotations

from jingban.core.models import User
from jingban.medical import hooks
from jingban.medical.models import Settlement, SettlementKind, SettlementStatus, Visit
from jingban.medical.services.common import local_day


def settlement_cancelled(original: Settlement, actor: User) -> None:
    """The stay the cancelled settlement announced (an admission with its discharge) is taken
    back; then every other admission of the person still settled whose days overlap it is
    announced again, since the listener skipped it while the cancelled one's stay covered those
    days (one stay per day: long-term care records a settled stay only when nothing overlaps)."""
    visit = Visit.objects.filter(pk=original.visit_id).first()
    if visit is None or not visit.inpatient or visit.endtime is None:
        return
    admitted, discharged = local_day(visit.begntime), local_day(visit.endtime)
    hooks.inpatient_cancelled(
        person_id=visit.person_id,
        institution_id=visit.institution_id,
        admitted_on=admitted,
        discharged_on=discharged,
        acting_user=actor,
    )
    others = (
        Visit.objects.filter(
            person_id=visit.person_id,
            inpatient=True,
            endtime__isnull=False,
            settlements__kind=SettlementKind.SETTLEMENT,
            settlements__status=SettlementStatus.SETTLED,
        )
        .exclude(pk=visit.pk)
        .distinct()
        .order_by("begntime", "pk")
    )
    for other in others:
        begins = local_day(other.begntime)
        ends = local_day(other.endtime)  # type: ignore[arg-type]
        if begins <= discharged and ends >= admitted:
            hooks.inpatient_settled(
                person_id=other.person_id,
                institution_id=other.institution_id,
                admitted_on=begins,
                discharged_on=ends,
                acting_user=actor,
            )
