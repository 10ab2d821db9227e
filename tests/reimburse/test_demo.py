"""The demo world's reimbursements: chen has one paid and one waiting for materials; with her
neighbour's, every state is there."""

from __future__ import annotations

import pytest

from jingban.reimburse.models import Reimbursement, Status
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_the_demo_has_chens_rows_and_every_state(personas: Personas) -> None:
    mine = Reimbursement.objects.filter(person=personas.own_person)
    assert set(mine.values_list("status", flat=True)) >= {Status.PAID, Status.MORE_MATERIALS}
    paid = mine.get(status=Status.PAID)
    assert paid.settlement is not None and paid.settlement.channel == "manual"
    assert paid.payable == paid.settlement.fund_pay_sumamt > 0
    states = set(Reimbursement.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    agent = Reimbursement.objects.exclude(person=personas.own_person).first()
    assert agent is not None and agent.agent == personas.own_person
