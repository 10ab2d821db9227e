"""What other apps hear of settlements, without medical importing them (the import-linter keeps
medical and long-term care independent): an app names a function in its plugin's
``extra["medical_inpatient_settled"]`` ("module:function"), and every inpatient settlement calls
it inside its transaction. Long-term care records the stay so it pauses institutional days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jingban.core import plugins
from jingban.core.models import User

INPATIENT_SETTLED = "medical_inpatient_settled"


def inpatient_settled(
    *,
    person_id: int,
    institution_id: int,
    admitted_on: dt.date,
    discharged_on: dt.date,
    acting_user: User,
) -> None:
    for plugin in plugins.plugins():
        target = plugin.extra.get(INPATIENT_SETTLED)
        if target:
            plugins.load(target)(
                person_id=person_id,
                institution_id=institution_id,
                admitted_on=admitted_on,
                discharged_on=discharged_on,
                acting_user=acting_user,
            )


# Step 9: supplementary products stacked on a settlement, and every settlement heard of.
SUPPLEMENTARY_PACKS = "medical_supplementary_packs"
SETTLED = "medical_settled"


def supplementary_packs(person_id: int, on: dt.date) -> list[Any]:
    """The supplementary packs (``PolicyPack`` of the supplementary family) the person holds
    cover of on ``on``, from every app that declares ``extra["medical_supplementary_packs"]``
    (``(person_id, on) -> Sequence[PolicyPack]``). The settlement stacks them on the public
    layers, in this order."""
    found: list[Any] = []
    for plugin in plugins.plugins():
        target = plugin.extra.get(SUPPLEMENTARY_PACKS)
        if target:
            found.extend(plugins.load(target)(person_id, on))
    return found


def settled(*, settlement_id: int, acting_user: User) -> None:
    """Tell every app that declares ``extra["medical_settled"]`` (``(settlement_id, acting_user)
    -> None``) of a settlement row just written, inside its transaction: a settlement (direct or
    manual) or the reversal that cancels one (negative amounts, ``original`` set)."""
    for plugin in plugins.plugins():
        target = plugin.extra.get(SETTLED)
        if target:
            plugins.load(target)(settlement_id=settlement_id, acting_user=acting_user)


# Cancelling (or reversing) an inpatient settlement takes back the stay it announced.
INPATIENT_CANCELLED = "medical_inpatient_cancelled"


def inpatient_cancelled(
    *,
    person_id: int,
    institution_id: int,
    admitted_on: dt.date,
    discharged_on: dt.date,
    acting_user: User,
) -> None:
    """Tell every app that declares ``extra["medical_inpatient_cancelled"]`` (same keywords as
    ``inpatient_settled``) that the settlement of this stay was cancelled, inside the
    cancellation's transaction: what it recorded from ``inpatient_settled`` comes off."""
    for plugin in plugins.plugins():
        target = plugin.extra.get(INPATIENT_CANCELLED)
        if target:
            plugins.load(target)(
                person_id=person_id,
                institution_id=institution_id,
                admitted_on=admitted_on,
                discharged_on=discharged_on,
                acting_user=acting_user,
            )
