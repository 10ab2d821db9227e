"""The person's picture section (order 350): chen's reimbursements with state and amounts, for
her and for staff; nothing for a role without the capabilities."""

from __future__ import annotations

import pytest

from jingban.reimburse.models import Reimbursement, Status
from jingban.reimburse.picture import section
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_chens_section_lists_her_reimbursements(personas: Personas) -> None:
    chen = personas.own_person
    mine = section(chen, personas.user("chen"))
    assert mine is not None and mine.order == 350
    rows = mine.data["reimbursements"]
    assert mine.count == Reimbursement.objects.filter(person=chen).count() == len(rows)
    paid = next(r for r in rows if r["status"] == Status.PAID)
    item = Reimbursement.objects.get(pk=paid["id"])
    assert paid["payable"] == item.payable > 0 and paid["total"] == item.total
    assert paid["url"] == f"/my/reimbursements/{item.pk}/"
    staff = section(chen, personas.user("sun"))
    assert staff is not None
    assert staff.data["reimbursements"][0]["url"].startswith("/reimbursements/")
    assert section(chen, personas.user("kangning")) is None
