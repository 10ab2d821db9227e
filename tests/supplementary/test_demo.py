"""The demo world: chen holds the product, paid, with an automatic claim on her admission."""

from __future__ import annotations

import pytest

from jingban.supplementary.models import Claim, ClaimKind, Enrollment, Status

pytestmark = pytest.mark.django_db


def test_chen_holds_the_product_with_a_claim(personas):
    chen = personas.own_person
    enrollment = Enrollment.objects.get(person=chen, product="jiangsu-yihuibao-2021")
    assert (enrollment.status, enrollment.channel) == (Status.IN_FORCE, "online")
    assert list(enrollment.premiums.values_list("amount", flat=True)) == [15_800]
    claim = Claim.objects.get(enrollment=enrollment)
    assert claim.kind == ClaimKind.AUTOMATIC
    assert claim.amount > 0
    assert claim.amount == claim.settlement.oth_pay
    assert claim.settlement.visit_type == "inpatient"
