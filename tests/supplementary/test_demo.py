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


def test_the_picture_section_shows_the_product_and_the_claim(personas):
    from django.template.loader import render_to_string
    from django.utils import translation

    from jingban.supplementary.picture import section

    chen = personas.own_person
    with translation.override("zh-hans"):
        mine = section(chen, personas.user("chen"))
        assert mine is not None and mine.order == 500 and mine.count == 1
        claim = Claim.objects.get(enrollment__person=chen)
        assert mine.data["claims"][0]["amount"] == claim.amount
        html = render_to_string(mine.template, {"section": mine, **mine.context})
        assert "江苏医惠保1号" in html and claim.settlement.setl_id in html
        assert section(chen, personas.user("wang")) is not None
        # The co-insurer's staff and the hospital see nothing of it.
        assert section(chen, personas.user("gongbao")) is None
        assert section(chen, personas.user("renmin")) is None


def test_chen_sees_her_product_and_claim_and_the_staff_the_products(personas):
    chen = personas.own_person
    claim = Claim.objects.get(enrollment__person=chen)
    page = personas.client("chen").get("/my/supplementary/").content.decode()
    assert "江苏医惠保1号" in page and claim.settlement.setl_id in page
    assert ("¥158.00" in page and "2025-12-01" not in page) or "12-01" in page
    staff = personas.client("wang").get("/supplementary/").content.decode()
    assert "江苏医惠保1号" in staff and "年度免赔额" in staff
    assert chen.document_number not in staff
    assert personas.client("gongbao").get("/supplementary/").status_code == 403
