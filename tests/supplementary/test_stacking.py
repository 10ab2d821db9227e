"""The product stacked on real settlements (contract C1): the supplementary layer's figures, the
claims recorded from them, the deductible across two settlements, the annual limit, reversal,
and the person's claim on a settlement made before the premium was recorded."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from jingban.medical.models import PersonYearTotals, Settlement
from jingban.medical.services import (
    DischargeIn,
    SettleIn,
    VisitIn,
    cancel,
    discharge,
    psn_no_of,
    record_fee_lines,
    register_visit,
    settle,
)
from jingban.registry.models import Enrollment as BasicEnrollment
from jingban.supplementary import services
from jingban.supplementary.models import Claim, ClaimKind, Enrollment, PaymentMethod
from tests.medical.conftest import at, line, today

pytestmark = pytest.mark.django_db

PRODUCT = "jiangsu-yihuibao-2021"
DEDUCTIBLE = 2_000_000  # 20,000 yuan (the pack's sample figure)
PREMIUM = 15_800


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _inpatient(renmin, hospital, person, lines, number):
    psn = psn_no_of(person)
    begin = today() - dt.timedelta(days=3)
    visit = register_visit(renmin, hospital, VisitIn(psn, "390", "21", at(begin), number))
    record_fee_lines(renmin, hospital, mdtrt_id=visit.mdtrt_id, psn_no=psn, lines=lines)
    discharge(renmin, hospital, DischargeIn(visit.mdtrt_id, psn, at(today())))
    total = sum(ln.det_item_fee_sumamt for ln in lines)
    info = settle(renmin, hospital, SettleIn(psn, visit.mdtrt_id, total), msgid=number)
    return Settlement.objects.get(setl_id=info.setl_id)


@pytest.fixture
def holder(personas):
    """A Suzhou person in basic insurance this year who bought the product in its window."""
    person = personas.in_scope_person
    year = today().year
    assert BasicEnrollment.objects.filter(person=person, year=year, status="active").exists()
    admin = personas.user("admin")
    row = services.enroll(admin, person, PRODUCT, channel="window", on=dt.date(year, 1, 10))
    services.pay_premium(
        admin, row, amount=PREMIUM, method=PaymentMethod.WINDOW, on=dt.date(year, 1, 11)
    )
    return person


def _expected(row: Settlement, *, met: int = 0) -> tuple[int, int, int]:
    """The product's layer by hand: 20,000 yuan a year off the remainders (in the catalogue
    first), then 80% of what is left in the catalogue and 60% of what is left outside it."""
    outside = row.fulamt_ownpay_amt + row.overlmt_selfpay
    inside = row.medfee_sumamt - outside - row.hifp_pay - row.hifmi_pay - row.maf_pay
    left = max(0, DEDUCTIBLE - met)
    d_in = min(left, inside)
    d_out = min(left - d_in, outside)
    pay_in = _half_up((inside - d_in) * Decimal("0.8"))
    pay_out = _half_up((outside - d_out) * Decimal("0.6"))
    return pay_in, pay_out, d_in + d_out


def test_the_product_pays_the_remainders_as_the_last_layer(
    fake_ports, renmin, hospital, holder, personas
):
    lines = [line("1", "A0001", 40_000_000), line("2", "C0001", 1_000_000)]
    row = _inpatient(renmin, hospital, holder, lines, "SUP-1")
    pay_in, pay_out, deductible = _expected(row)
    assert pay_in > 0 and pay_out > 0
    assert row.oth_pay == pay_in + pay_out
    assert row.fund_pay_sumamt == row.hifp_pay + row.hifmi_pay + row.maf_pay + row.oth_pay
    assert row.psn_cash_pay == row.medfee_sumamt - row.fund_pay_sumamt
    assert [p["ref"].split("@")[0] for p in row.packs][-1] == PRODUCT
    lines_paid = row.lines.filter(layer="supplementary", payment=True)
    assert sum(ln.amount for ln in lines_paid) == row.oth_pay
    claim = Claim.objects.get(settlement=row)
    assert (claim.kind, claim.amount) == (ClaimKind.AUTOMATIC, pay_in + pay_out)
    assert (claim.in_catalogue, claim.out_of_catalogue, claim.deductible) == (
        pay_in,
        pay_out,
        deductible,
    )
    totals = PersonYearTotals.objects.get(person=holder, year=row.year)
    assert totals.counters[f"supplementary:{PRODUCT}:deductible"] == DEDUCTIBLE
    assert totals.counters[f"supplementary:{PRODUCT}:in_catalogue"] == pay_in

    # The same stay for a person without the product: the public figures are the same.
    other = next(
        p
        for p in personas.world.persons
        if p.pk != holder.pk and "320500/" in p.region.path and p.account_id is None
    )
    bare = _inpatient(renmin, hospital, other, lines, "SUP-2")
    assert bare.oth_pay == 0
    assert not Claim.objects.filter(settlement=bare).exists()


def test_the_deductible_runs_across_two_settlements_in_a_year(fake_ports, renmin, hospital, holder):
    first = _inpatient(renmin, hospital, holder, [line("1", "C0001", 1_500_000)], "SUP-D1")
    # 15,000 yuan out of the catalogue, all under the 20,000 deductible: nothing paid.
    assert first.oth_pay == 0
    assert Claim.objects.filter(settlement=first).get().deductible == 1_500_000
    second = _inpatient(renmin, hospital, holder, [line("1", "C0002", 1_000_000)], "SUP-D2")
    # 5,000 yuan of deductible left, then 60% of the other 5,000 yuan: 3,000 yuan.
    assert second.oth_pay == 300_000
    claim = Claim.objects.get(settlement=second)
    assert (claim.amount, claim.out_of_catalogue, claim.deductible) == (300_000, 300_000, 500_000)


def test_the_annual_limit_holds_the_payment(fake_ports, renmin, hospital, holder):
    pack = services.rules.product(PRODUCT, today())
    limit = pack.supplementary.supplementary.out_of_catalogue.annual_limit
    totals, _ = PersonYearTotals.objects.get_or_create(person=holder, year=today().year)
    totals.counters = {
        **totals.counters,
        f"supplementary:{PRODUCT}:deductible": DEDUCTIBLE,
        f"supplementary:{PRODUCT}:out_of_catalogue": limit - 12_345,
    }
    totals.save()
    row = _inpatient(renmin, hospital, holder, [line("1", "C0001", 1_000_000)], "SUP-L")
    assert row.oth_pay == 12_345  # 60% would be 6,000 yuan; only 123.45 yuan of room left
    assert row.lines.filter(layer="supplementary", code="out_of_catalogue").get().amount == 12_345


def test_a_cancelled_settlement_reverses_the_claim(fake_ports, renmin, hospital, holder):
    row = _inpatient(renmin, hospital, holder, [line("1", "C0001", 3_000_000)], "SUP-R")
    assert row.oth_pay == 600_000  # 60% of (30,000 - 20,000) yuan
    info = cancel(
        renmin,
        hospital,
        setl_id=row.setl_id,
        mdtrt_id=row.visit.mdtrt_id,
        psn_no=psn_no_of(holder),
        msgid="SUP-R-X",
    )
    reversal = Claim.objects.get(settlement__setl_id=info.setl_id)
    original = Claim.objects.get(settlement=row)
    assert (reversal.kind, reversal.amount, reversal.original_id) == (
        ClaimKind.REVERSAL,
        -600_000,
        original.pk,
    )
    assert reversal.deductible == -DEDUCTIBLE
    totals = PersonYearTotals.objects.get(person=holder, year=row.year)
    assert f"supplementary:{PRODUCT}:deductible" not in totals.counters
    assert sum(c.amount for c in Claim.objects.filter(enrollment__person=holder)) == 0


def test_the_person_claims_a_settlement_made_before_the_premium(
    fake_ports, renmin, hospital, personas
):
    person = personas.in_scope_person
    admin = personas.user("admin")
    year = today().year
    enrollment = services.enroll(admin, person, PRODUCT, channel="window", on=dt.date(year, 1, 5))
    # Settled while the premium was not yet recorded: no product on it.
    row = _inpatient(renmin, hospital, person, [line("1", "C0001", 2_500_000)], "SUP-C")
    assert row.oth_pay == 0
    services.pay_premium(admin, enrollment, amount=PREMIUM, method=PaymentMethod.BANK)
    claim = services.claim_settlement(admin, enrollment, row)
    # 60% of (25,000 - 20,000) yuan out of the catalogue.
    assert (claim.kind, claim.amount) == (ClaimKind.REQUESTED, 300_000)
    assert claim.deductible == DEDUCTIBLE
    with pytest.raises(services.SupplementaryError) as err:
        services.claim_settlement(admin, enrollment, row)
    assert err.value.code == "supplementary.already_claimed"
    # The next settlement sees the deductible already met.
    later = _inpatient(renmin, hospital, person, [line("1", "C0002", 100_000)], "SUP-C2")
    assert later.oth_pay == 60_000
    assert Enrollment.objects.get(pk=enrollment.pk).claims.count() == 2


def test_the_preview_stacks_the_product_as_the_settlement_does(
    fake_ports, renmin, hospital, holder
):
    from jingban.medical.services import preview

    psn = psn_no_of(holder)
    begin = today() - dt.timedelta(days=2)
    visit = register_visit(renmin, hospital, VisitIn(psn, "390", "21", at(begin), "SUP-P"))
    lines = [line("1", "C0001", 2_200_000)]
    record_fee_lines(renmin, hospital, mdtrt_id=visit.mdtrt_id, psn_no=psn, lines=lines)
    discharge(renmin, hospital, DischargeIn(visit.mdtrt_id, psn, at(today())))
    request = SettleIn(psn, visit.mdtrt_id, 2_200_000)
    shown = preview(renmin, hospital, request)
    assert shown.oth_pay == 120_000  # 60% of (22,000 - 20,000) yuan
    assert not Claim.objects.filter(enrollment__person=holder).exists()  # a preview writes nothing
    done = settle(renmin, hospital, request, msgid="SUP-P")
    assert done.oth_pay == shown.oth_pay
    assert Claim.objects.get(enrollment__person=holder).amount == 120_000


def test_cancelling_a_claimed_settlement_takes_the_claim_off_the_accumulators(
    fake_ports, renmin, hospital, personas
):
    person = personas.in_scope_person
    admin = personas.user("admin")
    year = today().year
    enrollment = services.enroll(admin, person, PRODUCT, channel="window", on=dt.date(year, 1, 5))
    row = _inpatient(renmin, hospital, person, [line("1", "C0001", 2_500_000)], "SUP-CC")
    services.pay_premium(admin, enrollment, amount=PREMIUM, method=PaymentMethod.WINDOW)
    services.claim_settlement(admin, enrollment, row)
    key = f"supplementary:{PRODUCT}:deductible"
    assert PersonYearTotals.objects.get(person=person, year=row.year).counters[key] == DEDUCTIBLE
    cancel(
        renmin,
        hospital,
        setl_id=row.setl_id,
        mdtrt_id=row.visit.mdtrt_id,
        psn_no=psn_no_of(person),
        msgid="SUP-CC-X",
    )
    assert key not in PersonYearTotals.objects.get(person=person, year=row.year).counters
    assert sum(Claim.objects.filter(enrollment=enrollment).values_list("amount", flat=True)) == 0
