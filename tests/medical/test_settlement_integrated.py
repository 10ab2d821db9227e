"""Settlement with the real parts (enrollment's coverage, the catalogue, filing): these tests need
every step-8 branch merged and fail loudly (ImportError, missing fields) until they are.

Golden cases through a settlement: catalogue classification (甲, 乙 first pay, 丙, above the
price limit), the waiting period, each continuity raise of the critical illness cap, the unfiled
cross-region rule, a chronic-disease visit, and the demo's settlements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import timezone

from jingban.catalogue.classify import classify  # noqa: F401 - fails loudly before the merge
from jingban.core.errors import DomainError
from jingban.core.models import Organisation, Scheme, User
from jingban.enrollment.coverage import coverage
from jingban.medical.models import PersonYearTotals, Settlement, Visit
from jingban.medical.services import (
    DischargeIn,
    FeeLineIn,
    SettleIn,
    VisitIn,
    discharge,
    psn_no_of,
    record_fee_lines,
    register_visit,
    settle,
)
from jingban.registry.models import Enrollment, Person
from tests.medical.conftest import at, today

pytestmark = pytest.mark.django_db

AMOXICILLIN = "XJ01CAA381A0010100000"  # 甲类
CEFIXIME = "XJ01DDE790A0010100001"


@pytest.fixture
def renmin(personas) -> User:
    return personas.user("renmin")


@pytest.fixture
def hospital(personas) -> Organisation:
    return Organisation.objects.get(code="SZ-HOSP-1")


def fee(sn: str, code: str, price: int, count: int = 1) -> FeeLineIn:
    return FeeLineIn(sn, code, f"H{code}", code, Decimal(count), price, price * count, at(today()))


def _settle(renmin, hospital, person, lines, *, number, med_type="11", dise="", insuplc="", days=0):
    psn = psn_no_of(person)
    begin = today() - dt.timedelta(days=days)
    visit = register_visit(
        renmin,
        hospital,
        VisitIn(psn, "390", med_type, at(begin), number, dise_codg=dise, insuplc_admdvs=insuplc),
    )
    record_fee_lines(renmin, hospital, mdtrt_id=visit.mdtrt_id, psn_no=psn, lines=lines)
    if med_type == "21":
        discharge(renmin, hospital, DischargeIn(visit.mdtrt_id, psn, at(today())))
    total = sum(line.det_item_fee_sumamt for line in lines)
    return settle(renmin, hospital, SettleIn(psn, visit.mdtrt_id, total), msgid=number)


def test_the_demo_world_has_settlements_made_with_the_real_parts(personas):
    demo = Settlement.objects.filter(msgid__startswith="DEMO-")
    assert demo.filter(person=personas.own_person).count() == 4
    assert demo.filter(setl_time__date=timezone.localdate()).count() >= 2


def _items_in_force():
    from django.db.models import Q

    from jingban.catalogue.models import CatalogueItem, CatalogueVersion

    day = today()
    version = (
        CatalogueVersion.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )
    items = CatalogueItem.objects.filter(version=version, visit_types=[])

    def pick(**kw):
        item = items.filter(**kw).order_by("code").first()
        assert item is not None, kw
        return item

    return (
        version,
        pick(category="A", price_limit__isnull=True),
        pick(category="B", price_limit__isnull=True),
        pick(category="C"),
        pick(category="A", price_limit__isnull=False),
    )


def test_catalogue_classes_through_a_settlement(personas, renmin, hospital):
    version, a, b, c, limited = _items_in_force()
    rate = b.first_pay_rate if b.first_pay_rate is not None else version.default_first_pay_rate
    person = personas.in_scope_person
    over_price = limited.price_limit + 1500
    lines = [
        fee("1", a.code, 85, 20),  # 17.00 甲类
        fee("2", b.code, 320, 10),  # 32.00 乙类: its first-pay rate is the person's
        fee("3", c.code, 150, 10),  # 15.00 丙类: fully self-paid
        fee("4", limited.code, over_price),  # 15.00 above the price limit
    ]
    first = int((Decimal(3200) * rate).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    assert first > 0
    info = _settle(renmin, hospital, person, lines, number="INT-CAT")
    total = 1700 + 3200 + 1500 + over_price
    assert info.medfee_sumamt == total
    assert info.fulamt_ownpay_amt == 1500
    assert info.overlmt_selfpay == 1500
    assert info.preselfpay_amt == first
    assert info.inscp_scp_amt == total - 1500 - 1500 - first
    row = Settlement.objects.get(setl_id=info.setl_id)
    classes = dict(row.visit.fee_lines.values_list("feedetl_sn", "category"))
    assert classes == {"1": "A", "2": "B", "3": "C", "4": "A"}
    assert row.catalogue_version == version.label


def test_waiting_period_refuses_the_settlement(personas, renmin, hospital):
    person = personas.in_scope_person
    Enrollment.objects.filter(
        person=person, scheme__code="resident_medical", year=today().year
    ).update(benefits_from=today() + dt.timedelta(days=30))
    before = Settlement.objects.count()
    with pytest.raises(DomainError) as refused:
        _settle(renmin, hospital, person, [fee("1", AMOXICILLIN, 85, 10)], number="INT-WAIT")
    assert refused.value.code == "coverage.waiting_period"
    assert "psn_no" in refused.value.fields
    assert Settlement.objects.count() == before


def test_a_person_not_enrolled_this_year_is_refused_and_nothing_is_stored(
    personas, renmin, hospital
):
    person = personas.in_scope_person
    Enrollment.objects.filter(
        person=person, scheme__code="resident_medical", year=today().year
    ).delete()
    totals = list(PersonYearTotals.objects.filter(person=person).values())
    visits, settled = Visit.objects.count(), Settlement.objects.count()
    with pytest.raises(DomainError) as refused:
        _settle(renmin, hospital, person, [fee("1", AMOXICILLIN, 85, 10)], number="INT-NE")
    assert refused.value.code == "coverage.not_enrolled"
    assert "psn_no" in refused.value.fields
    assert (Visit.objects.count(), Settlement.objects.count()) == (visits, settled)
    assert list(PersonYearTotals.objects.filter(person=person).values()) == totals


def test_a_visit_after_the_date_of_death_is_refused(personas, renmin, hospital):
    person = personas.in_scope_person
    Person.objects.filter(pk=person.pk).update(death_date=today() - dt.timedelta(days=5))
    settled = Settlement.objects.count()
    with pytest.raises(DomainError) as refused:
        _settle(renmin, hospital, person, [fee("1", AMOXICILLIN, 85, 10)], number="INT-DEAD")
    assert refused.value.code == "coverage.after_death"
    assert Settlement.objects.count() == settled


def _continuous(person: Person, years: int) -> None:
    scheme = Scheme.objects.get(code="resident_medical")
    for year in range(today().year - years + 1, today().year + 1):
        Enrollment.objects.update_or_create(
            person=person,
            scheme=scheme,
            year=year,
            defaults={"status": "active", "since": dt.date(year, 1, 1)},
        )
        if year < today().year:
            # A year in which the fund paid something: only continuity raises the cap.
            PersonYearTotals.objects.update_or_create(
                person=person, year=year, defaults={"fund_paid_amount": 100, "medfee": 200}
            )


@pytest.mark.parametrize("years", [4, 6, 9])
def test_each_continuity_raise_lifts_what_critical_illness_pays(personas, renmin, hospital, years):
    person = next(
        p
        for p in personas.world.persons
        if "320500/" in p.region.path and p.account_id is None and not p.settlements.exists()
    )
    PersonYearTotals.objects.filter(person=person).delete()
    _continuous(person, years)
    history = {
        y: u
        for y, u in (
            (r.year, (r.fund_paid, r.ci_paid))
            for r in PersonYearTotals.objects.filter(person=person)
        )
    }
    from jingban.engine.medical.continuity import YearUse

    expected = coverage(
        person.pk,
        "resident_medical",
        today() - dt.timedelta(days=3),
        history={y: YearUse(fund_paid=f, ci_paid=c) for y, (f, c) in history.items()},
    ).ci_cap_raise
    if years <= 4:
        assert expected == 0
    else:
        assert expected >= Fraction(years - 4, 100)
    # A bill large enough to exhaust the critical illness cap (400,000 yuan in the sample pack).
    lines = [fee(str(n), AMOXICILLIN, 10_000_000) for n in range(1, 16)]  # 1,500,000 yuan
    info = _settle(renmin, hospital, person, lines, number=f"INT-CI-{years}", med_type="21", days=3)
    cap = 40_000_000
    assert info.hifmi_pay == int(cap * (1 + expected))


def test_unfiled_treatment_elsewhere_is_settled_by_the_unfiled_rule(personas, renmin, hospital):
    person = personas.in_scope_person
    info = _settle(
        renmin,
        hospital,
        person,
        [fee("1", AMOXICILLIN, 85, 200)],
        number="INT-UNF",
        insuplc="320102",
    )
    row = Settlement.objects.get(setl_id=info.setl_id)
    assert row.cross_region == "unfiled"
    assert row.cross_region_decision["filing_id"] is None
    assert info.pool_prop_selfpay == Decimal("0.3000")


def test_a_chronic_visit_needs_the_registration(personas, renmin, hospital):
    chen = personas.own_person
    info = _settle(
        renmin,
        hospital,
        chen,
        [fee("1", CEFIXIME, 320, 30)],
        number="INT-MT",
        med_type="14",
        dise="M03900",
    )
    assert info.hifp_pay > 0
    with pytest.raises(DomainError) as refused:
        _settle(
            renmin,
            hospital,
            personas.in_scope_person,
            [fee("1", CEFIXIME, 320, 30)],
            number="INT-MT2",
            med_type="14",
            dise="M03900",
        )
    assert refused.value.code == "chronic.not_registered"
