"""What other apps hear of settlements, without medical importing them (the import-linter keeps
medical and long-term care independent): an app names a function in its plugin's
``extra["medical_inpatient_settled"]`` ("module:function"), and every inpatient settlement calls
it inside its transaction. Long-term care records the stay so it pauses institutional days."""

from __future__ import annotations

import datetime as dt

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
