"""Enrollment rules, premiums and refunds, the packs a person holds, and the co-insured items."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.core.models import Scheme
from jingban.engine.coinsurance import CoinsuredItem
from jingban.registry.models import Enrollment as BasicEnrollment
from jingban.supplementary import rules, services
from jingban.supplementary.models import Claim, Enrollment, Premium, Status

pytestmark = pytest.mark.django_db

PRODUCT = "jiangsu-yihuibao-2021"
PREMIUM = 15_800


@pytest.fixture
def admin(personas):
    return personas.user("admin")


@pytest.fixture
def person(personas):
    return personas.in_scope_person


def _insure(person, year: int) -> None:
    """The person in the resident scheme for ``year`` (copied from an enrollment of theirs)."""
    model = BasicEnrollment.objects.filter(person=person, status="active").first()
    assert model is not None
    BasicEnrollment.objects.get_or_create(
        person=person,
        scheme=model.scheme,
        year=year,
        defaults={"status": "active", "since": dt.date(year, 1, 1)},
    )


def _refused(code: str, call) -> None:
    with pytest.raises(services.SupplementaryError) as err:
        call()
    assert err.value.code == code


def test_the_window_is_december_to_january_of_the_cover_year():
    assert rules.cover_year_open_on(dt.date(2025, 11, 30)) is None
    assert rules.cover_year_open_on(dt.date(2025, 12, 1)) == 2026
    assert rules.cover_year_open_on(dt.date(2026, 1, 31)) == 2026
    assert rules.cover_year_open_on(dt.date(2026, 2, 1)) is None


def test_enroll_pay_and_the_cover_is_in_force(admin, person):
    _insure(person, 2026)
    row = services.enroll(admin, person, PRODUCT, channel="window", on=dt.date(2025, 12, 5))
    assert (row.year, row.status) == (2026, Status.UNPAID)
    assert services.supplementary_packs(person.pk, dt.date(2026, 3, 1)) == []
    services.pay_premium(admin, row, amount=PREMIUM, method="bank", on=dt.date(2025, 12, 6))
    row.refresh_from_db()
    assert (row.status, row.paid_on) == (Status.IN_FORCE, dt.date(2025, 12, 6))
    assert services.supplementary_packs(person.pk, dt.date(2025, 12, 31)) == []
    held = services.supplementary_packs(person.pk, dt.date(2026, 3, 1))
    assert [(p.id, p.version) for p in held] == [(PRODUCT, 2)]


def test_no_enrollment_for_a_year_no_version_of_the_product_covers(admin, person):
    # The pack's period ends with 2026 (a sample end): 2027 is not on sale until a version
    # covers it.
    _insure(person, 2027)
    _refused(
        "supplementary.unknown_product",
        lambda: services.enroll(admin, person, PRODUCT, channel="window", on=dt.date(2026, 12, 5)),
    )


def test_bad_enrollments_store_nothing(admin, person, personas):
    year = 2026
    before = (Enrollment.objects.count(), Premium.objects.count())
    _refused(
        "supplementary.window_closed",
        lambda: services.enroll(admin, person, PRODUCT, channel="window", on=dt.date(2025, 6, 1)),
    )
    _refused(
        "supplementary.unknown_product",
        lambda: services.enroll(admin, person, "nope", channel="window", on=dt.date(2025, 12, 2)),
    )
    _refused(
        "supplementary.bad_channel",
        lambda: services.enroll(admin, person, PRODUCT, channel="fax", on=dt.date(2025, 12, 2)),
    )
    assert (Enrollment.objects.count(), Premium.objects.count()) == before
    _insure(person, year)
    row = services.enroll(admin, person, PRODUCT, channel="online", on=dt.date(2025, 12, 2))
    _refused(
        "supplementary.already_enrolled",
        lambda: services.enroll(admin, person, PRODUCT, channel="window", on=dt.date(2025, 12, 3)),
    )
    _refused(
        "supplementary.wrong_premium",
        lambda: services.pay_premium(admin, row, amount=15_000, method="window"),
    )
    _refused(
        "supplementary.bad_method",
        lambda: services.pay_premium(admin, row, amount=PREMIUM, method="cheque"),
    )
    assert not Premium.objects.filter(enrollment=row).exists()
    row.refresh_from_db()
    assert row.status == Status.UNPAID


def test_a_person_outside_basic_insurance_cannot_enroll(admin, person):
    BasicEnrollment.objects.filter(person=person, year=2026).update(status="ended")
    ltc = Scheme.objects.filter(kind="ltc").first()
    assert ltc is not None
    # Long-term care insurance is not basic medical insurance.
    BasicEnrollment.objects.update_or_create(
        person=person,
        scheme=ltc,
        year=2026,
        defaults={"status": "active", "since": dt.date(2026, 1, 1)},
    )
    _refused(
        "supplementary.not_insured",
        lambda: services.enroll(admin, person, PRODUCT, channel="window", on=dt.date(2025, 12, 2)),
    )
    assert not Enrollment.objects.filter(person=person).exists()


def test_cancelling_before_the_cover_refunds_the_premium(admin, person):
    _insure(person, 2026)
    row = services.enroll(admin, person, PRODUCT, channel="window", on=dt.date(2025, 12, 2))
    services.pay_premium(admin, row, amount=PREMIUM, method="window", on=dt.date(2025, 12, 2))
    services.cancel(admin, row, on=dt.date(2025, 12, 20))
    row.refresh_from_db()
    assert row.status == Status.CANCELLED
    amounts = list(row.premiums.values_list("amount", "refund", "day"))
    assert amounts == [
        (PREMIUM, False, dt.date(2025, 12, 2)),
        (-PREMIUM, True, dt.date(2025, 12, 20)),
    ]
    _refused("supplementary.already_cancelled", lambda: services.cancel(admin, row))
    # Enrolled again after the cancellation, the cover started: no cancellation any more.
    again = services.enroll(admin, person, PRODUCT, channel="window", on=dt.date(2026, 1, 5))
    _refused(
        "supplementary.cover_started",
        lambda: services.cancel(admin, again, on=dt.date(2026, 1, 6)),
    )


def test_premiums_and_claims_are_coinsured_items(admin, person):
    _insure(person, 2026)
    row = services.enroll(admin, person, PRODUCT, channel="window", on=dt.date(2025, 12, 2))
    premium = services.pay_premium(
        admin, row, amount=PREMIUM, method="window", on=dt.date(2025, 12, 3)
    )
    services.cancel(admin, row, on=dt.date(2025, 12, 20))
    refund = Premium.objects.get(enrollment=row, refund=True)
    items = list(services.coinsured_items(dt.date(2025, 12, 1), dt.date(2026, 1, 1)))
    mine = [i for i in items if i.ref in {f"premium:{premium.pk}", f"premium:{refund.pk}"}]
    assert mine == [
        CoinsuredItem(PRODUCT, "premium", f"premium:{premium.pk}", dt.date(2025, 12, 3), PREMIUM),
        CoinsuredItem(PRODUCT, "premium", f"premium:{refund.pk}", dt.date(2025, 12, 20), -PREMIUM),
    ]
    # The end of the range is excluded.
    later = list(services.coinsured_items(dt.date(2025, 12, 1), dt.date(2025, 12, 20)))
    assert f"premium:{refund.pk}" not in {i.ref for i in later}
    assert not Claim.objects.exists() or all(
        i.kind == "claim" for i in items if i.ref.startswith("claim:")
    )
    products = services.coinsured_products()
    assert (PRODUCT, "江苏医惠保1号") in products
