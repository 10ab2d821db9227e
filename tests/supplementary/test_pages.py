"""The supplementary pages: wang enrolls a person at the window and records the premium; chen
enrolls online after a confirmation showing the premium, cancels before the cover starts, and
claims a settlement made before her premium; errors name the field and store nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jingban.core.calendar import today
from jingban.core.models import ActionLog
from jingban.registry.models import Enrollment as BasicEnrollment
from jingban.supplementary import views
from jingban.supplementary.models import Channel, Claim, ClaimKind, Enrollment, Premium, Status
from tests.medical.conftest import line
from tests.personas import Personas
from tests.supplementary.test_services import _insure
from tests.supplementary.test_stacking import _inpatient

pytestmark = pytest.mark.django_db

PRODUCT = "jiangsu-yihuibao-2021"
IN_WINDOW = dt.date(2025, 12, 5)


@pytest.fixture(autouse=True)
def chen_holds_nothing(personas):
    """The demo gives chen an enrollment: the tests start her without one."""
    Enrollment.objects.filter(person=personas.own_person).update(status=Status.CANCELLED)


@pytest.fixture
def in_window(monkeypatch):
    """The pages' today inside the window of cover year 2026 (the product's pack covers 2026)."""
    monkeypatch.setattr(views, "today", lambda: IN_WINDOW)


def test_wang_enrolls_at_the_window_and_records_the_premium(personas: Personas, in_window):
    person = personas.in_scope_person
    _insure(person, 2026)
    client = personas.client("wang")
    page = client.get(reverse("supplementary:window_new")).content.decode()
    assert "¥158.00" in page
    response = client.post(
        reverse("supplementary:window_new"),
        {"document_number": person.document_number, "product": PRODUCT, "method": "window"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("supplementary:list")
    row = Enrollment.objects.get(person=person, product=PRODUCT, year=2026)
    assert (row.status, row.channel, row.enrolled_on, row.paid_on) == (
        Status.IN_FORCE,
        Channel.WINDOW,
        IN_WINDOW,
        IN_WINDOW,
    )
    assert [(p.amount, p.method) for p in row.premiums.all()] == [(15_800, "window")]
    actions = ActionLog.objects.filter(object_type="supplementary.enrollment", object_id=row.pk)
    assert {a.action for a in actions} == {
        "supplementary.enrollment.enrolled",
        "supplementary.premium.paid",
    }


def test_window_errors_name_the_field_and_store_nothing(personas: Personas, in_window):
    person = personas.in_scope_person
    client = personas.client("wang")
    before = (Enrollment.objects.count(), Premium.objects.count())
    # A Nanjing person is not in wang's scope: as unknown as a wrong number.
    stranger = personas.out_of_scope_person
    response = client.post(
        reverse("supplementary:window_new"),
        {"document_number": stranger.document_number, "product": PRODUCT, "method": "window"},
    )
    assert response.status_code == 400
    assert "document_number" in response.context["form"].errors
    # Not in basic insurance for 2026 (no enrollment copied): refused on the person.
    BasicEnrollment.objects.filter(person=person, year=2026).delete()
    response = client.post(
        reverse("supplementary:window_new"),
        {"document_number": person.document_number, "product": PRODUCT, "method": "window"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() or response.context["form"].errors
    assert "2026" in response.content.decode()
    # No payment method chosen.
    _insure(person, 2026)
    response = client.post(
        reverse("supplementary:window_new"),
        {"document_number": person.document_number, "product": PRODUCT, "method": ""},
    )
    assert response.status_code == 400 and "method" in response.context["form"].errors
    assert (Enrollment.objects.count(), Premium.objects.count()) == before


def test_outside_the_window_the_form_says_when_it_opens(personas: Personas, monkeypatch):
    monkeypatch.setattr(views, "today", lambda: dt.date(2026, 6, 1))
    person = personas.in_scope_person
    response = personas.client("wang").post(
        reverse("supplementary:window_new"),
        {"document_number": person.document_number, "product": PRODUCT, "method": "bank"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["product"]
    assert "2026-12-01" in response.content.decode()
    assert not Enrollment.objects.filter(person=person).exists()


def test_chen_enrolls_online_after_confirming_the_premium(personas: Personas, in_window):
    chen = personas.own_person
    _insure(chen, 2026)
    client = personas.client("chen")
    data = {"person": str(chen.pk), "product": PRODUCT}
    confirm = client.post(reverse("supplementary:my_enroll"), data)
    assert confirm.status_code == 200, confirm.context["form"].errors
    page = confirm.content.decode()
    assert "¥158.00" in page and 'name="confirm" value="yes"' in page
    assert not Enrollment.objects.filter(person=chen, status=Status.IN_FORCE).exists()
    done = client.post(reverse("supplementary:my_enroll"), {**data, "confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == reverse("supplementary:my")
    row = Enrollment.objects.exclude(status=Status.CANCELLED).get(person=chen, year=2026)
    assert (row.status, row.channel) == (Status.IN_FORCE, Channel.ONLINE)
    assert [(p.amount, p.method) for p in row.premiums.all()] == [(15_800, "online")]
    # Twice is refused on the product, and nothing more is stored.
    again = client.post(reverse("supplementary:my_enroll"), {**data, "confirm": "yes"})
    assert again.status_code == 400 and again.context["form"].errors["product"]
    assert Premium.objects.filter(enrollment=row).count() == 1


def test_chen_cannot_enroll_a_stranger(personas: Personas, in_window):
    stranger = personas.in_scope_person
    _insure(stranger, 2026)
    response = personas.client("chen").post(
        reverse("supplementary:my_enroll"),
        {"person": str(stranger.pk), "product": PRODUCT, "confirm": "yes"},
    )
    assert response.status_code == 400 and "person" in response.context["form"].errors
    assert not Enrollment.objects.filter(person=stranger).exists()


def test_chen_cancels_before_the_cover_and_the_premium_is_refunded(personas: Personas, in_window):
    chen = personas.own_person
    _insure(chen, 2026)
    client = personas.client("chen")
    data = {"person": str(chen.pk), "product": PRODUCT, "confirm": "yes"}
    client.post(reverse("supplementary:my_enroll"), data)
    row = Enrollment.objects.exclude(status=Status.CANCELLED).get(person=chen, year=2026)
    url = reverse("supplementary:my_cancel", args=[row.pk])
    page = client.get(url).content.decode()
    assert "¥158.00" in page
    row.refresh_from_db()
    assert row.status == Status.IN_FORCE  # the confirmation page changes nothing
    response = client.post(url)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Status.CANCELLED
    assert sorted(p.amount for p in row.premiums.all()) == [-15_800, 15_800]
    # Cancelled twice: refused, nothing more stored.
    assert client.post(url).status_code == 400
    assert row.premiums.count() == 2


def test_the_cover_started_cannot_be_cancelled(personas: Personas, monkeypatch):
    monkeypatch.setattr(views, "today", lambda: dt.date(2026, 3, 1))
    chen = personas.own_person
    row = Enrollment.objects.create(
        person=chen,
        product=PRODUCT,
        year=2026,
        channel="online",
        status=Status.IN_FORCE,
        enrolled_on=IN_WINDOW,
        region_path=chen.region.path,
    )
    response = personas.client("chen").post(reverse("supplementary:my_cancel", args=[row.pk]))
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.status == Status.IN_FORCE


def test_chen_claims_a_settlement_made_before_her_premium(
    fake_ports, renmin, hospital, personas: Personas
):
    chen = personas.own_person
    year = today().year
    settlement = _inpatient(renmin, hospital, chen, [line("1", "C0001", 2_500_000)], "SUP-PG")
    assert settlement.oth_pay == 0
    row = Enrollment.objects.create(
        person=chen,
        product=PRODUCT,
        year=year,
        channel="online",
        status=Status.IN_FORCE,
        enrolled_on=dt.date(year, 1, 5),
        region_path=chen.region.path,
    )
    client = personas.client("chen")
    url = reverse("supplementary:my_claim", args=[row.pk])
    page = client.get(url).content.decode()
    assert settlement.setl_id in page
    assert client.post(url, {"settlement": "0"}).status_code == 400
    assert not Claim.objects.filter(enrollment=row).exists()
    response = client.post(url, {"settlement": str(settlement.pk)})
    assert response.status_code == 302
    claim = Claim.objects.get(enrollment=row)
    # 60% of (25,000 - 20,000) yuan out of the catalogue.
    assert (claim.kind, claim.amount, claim.deductible) == (ClaimKind.REQUESTED, 300_000, 2_000_000)
    # Claimed: no longer listed.
    assert settlement.setl_id not in client.get(url).content.decode()


def test_another_persons_enrollment_is_not_found_for_chen(personas: Personas):
    stranger = personas.in_scope_person
    row = Enrollment.objects.create(
        person=stranger,
        product=PRODUCT,
        year=today().year + 1,
        channel="window",
        status=Status.UNPAID,
        enrolled_on=today(),
        region_path=stranger.region.path,
    )
    client = personas.client("chen")
    assert client.get(reverse("supplementary:my_cancel", args=[row.pk])).status_code == 404
    assert client.get(reverse("supplementary:my_claim", args=[row.pk])).status_code == 404
