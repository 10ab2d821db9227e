"""The settlement pages: hospital staff see their own institution's settlements with filters and
each one's explanation of benefits; the bureau sees those in its region, reversals and
reconciliations; chen sees her own; renmin's home panel shows today's settlements."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.core.models import Region
from jingban.demo.world import resident_id
from jingban.medical.models import Settlement
from jingban.medical.services import ReconcileIn, cancel, reconcile, settle
from jingban.registry.models import Person
from tests.medical.conftest import line, outpatient, today
from tests.medical.matrix import _settlement

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(fake_ports, personas, renmin, hospital):
    person = Person.objects.create(
        document_type="resident_id",
        document_number=resident_id("320505", dt.date(1961, 7, 8), 470, male=True),
        name="页面测试",
        sex="M",
        birth_date=dt.date(1961, 7, 8),
        region=Region.objects.get(code="320505"),
    )
    _, request = outpatient(renmin, hospital, person, [line("1", "A001", 12000)], number="PG-1")
    info = settle(renmin, hospital, request, msgid="pg1")
    return Settlement.objects.get(setl_id=info.setl_id)


def test_hospital_staff_list_filter_and_read_the_explanation(personas, settled):
    client = personas.client("renmin")
    body = client.get("/settlements/").content.decode()
    assert settled.setl_id in body and "医疗结算" in body
    day = today().isoformat()
    assert (
        settled.setl_id
        in client.get(f"/settlements/?day_from={day}&day_to={day}&med_type=11").content.decode()
    )
    assert settled.setl_id not in client.get("/settlements/?med_type=21").content.decode()
    assert settled.setl_id not in client.get("/settlements/?status=cancelled").content.decode()
    before = (today() - dt.timedelta(days=400)).isoformat()
    assert settled.setl_id not in client.get(f"/settlements/?day_to={before}").content.decode()
    detail = client.get(f"/settlements/{settled.pk}/").content.decode()
    assert "待遇结算说明" in detail and "统筹基金" in detail
    assert "¥35.00" in detail  # 50% of (120 − 50)
    assert "¥85.00" in detail  # paid in cash


def test_an_end_before_the_start_is_refused_on_the_field(personas, settled):
    body = (
        personas.client("renmin")
        .get("/settlements/?day_from=2026-05-02&day_to=2026-05-01")
        .content.decode()
    )
    assert "结束日期早于开始日期" in body


def test_the_bureau_sees_reversals_and_reconciliation_differences(
    personas, settled, renmin, hospital
):
    reversal = cancel(
        renmin,
        hospital,
        setl_id=settled.setl_id,
        mdtrt_id=settled.visit.mdtrt_id,
        psn_no=f"{settled.person_id:010d}",
        msgid="pg2",
    )
    reconcile(
        renmin,
        hospital,
        ReconcileIn("390", "", "", today(), today(), 1, 2, 0, 99),
    )
    wang = personas.client("wang")
    listed = wang.get("/settlements/?status=reversal").content.decode()
    assert reversal.setl_id in listed and "苏州市示例第一人民医院" in listed
    page = wang.get("/settlements/reconciliations/?unbalanced=on").content.decode()
    assert "不平" in page, page[page.find("<main") :][:3000]
    assert "机构 ¥0.01" in page
    # Another institution's staff do not see the hospital's rows.
    assert personas.client("kangning").get(f"/settlements/{settled.pk}/").status_code == 404
    assert settled.setl_id not in personas.client("kangning").get("/settlements/").content.decode()


def test_chen_sees_her_own_settlements_only(personas, fake_ports, renmin, hospital):
    chen_lines = [line("1", "A001", 3000)]
    _, request = outpatient(renmin, hospital, personas.own_person, chen_lines, number="PG-C")
    settled = Settlement.objects.get(setl_id=settle(renmin, hospital, request, msgid="pgc").setl_id)
    other = _settlement(personas, True)
    chen = personas.client("chen")
    page = chen.get("/settlements/mine/").content.decode()
    assert f"/settlements/mine/{settled.pk}/" in page
    assert f"/settlements/mine/{other.pk}/" not in page
    assert chen.get(f"/settlements/mine/{settled.pk}/").status_code == 200
    assert chen.get(f"/settlements/mine/{other.pk}/").status_code == 404


def test_renmin_home_panel_shows_todays_settlements(personas, settled):
    body = personas.client("renmin").get("/").content.decode()
    assert "今日结算" in body and f"/settlements/{settled.pk}/" in body
    # 康宁护理院 settles no hospital bills: no panel.
    assert "今日结算" not in personas.client("kangning").get("/").content.decode()
