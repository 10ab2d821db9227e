"""The catalogue in the database: the sample versions, the version in force, classification of a
bill through it, and golden settlements through the engine (甲, 乙 first-pay, 丙, above the
price limit, not covered for the visit type)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jingban.catalogue import demo, queries
from jingban.catalogue.classify import FeeLine, NoCatalogueInForce, classify
from jingban.catalogue.models import CatalogueItem, CatalogueVersion
from jingban.engine.codes import VisitType
from jingban.engine.medical.cascade import adjudicate
from jingban.engine.medical.claim import Claim
from tests.engine.packs import shipped

AMOXICILLIN = "XJ01CAA381A0010100000"  # 甲
CEFIXIME = "XJ01DDE790A0010100001"  # 乙 at the default 10 % (甲 in 2026)
IMATINIB = "XL01EAB590A0010100070"  # 乙 at 5 %, limit 13.00 (11.50 in 2026)
VITAMIN_C = "XA11GAA115A0010100108"  # 丙
SINGLE_ROOM = "00134085070008"  # 甲, limit 50.00 a day, inpatient only
ALBUMIN = "XB05AAF247A0010100084"  # 乙 at 20 %, limit 300.00, inpatient only
MEROPENEM = "XJ01DHH585A0010100079"  # 乙, inpatient only


def fee(line_id: str, code: str, quantity: str, price: int) -> FeeLine:
    q = Decimal(quantity)
    return FeeLine(line_id, code, code, q, price, int(q * price))


INPATIENT_BILL = [
    fee("1", AMOXICILLIN, "100", 50),  # 50.00 in scope
    fee("2", CEFIXIME, "20", 350),  # 70.00: 7.00 first pay
    fee("3", IMATINIB, "30", 1500),  # 450.00: 60.00 above the limit, 19.50 first pay
    fee("4", VITAMIN_C, "10", 200),  # 20.00 fully self-paid
    fee("5", SINGLE_ROOM, "10", 15000),  # 1,500.00: 1,000.00 above the limit
    fee("6", ALBUMIN, "5", 35000),  # 1,750.00: 250.00 above the limit, 300.00 first pay
]


def test_the_sample_catalogue_has_two_versions_of_a_few_hundred_items(personas) -> None:
    versions = {v.label: v for v in CatalogueVersion.objects.all()}
    assert set(versions) == {demo.V2025, demo.V2026}
    assert all(v.sample for v in versions.values())
    count_2025 = CatalogueItem.objects.filter(version=versions[demo.V2025]).count()
    assert count_2025 >= 300
    # 2026: one item out, one in.
    assert CatalogueItem.objects.filter(version=versions[demo.V2026]).count() == count_2025
    codes = set(CatalogueItem.objects.values_list("code", flat=True))
    assert any(c.startswith("X") for c in codes)
    assert any(c.startswith("Z") for c in codes)
    assert any(c.startswith("C") for c in codes)
    assert any(c.startswith("00") for c in codes)


def test_the_version_in_force_follows_the_day(personas) -> None:
    assert queries.version_in_force(dt.date(2025, 12, 31)).label == demo.V2025
    assert queries.version_in_force(dt.date(2026, 1, 1)).label == demo.V2026
    assert queries.version_in_force(dt.date(2024, 12, 31)) is None
    with pytest.raises(NoCatalogueInForce) as caught:
        classify(
            [fee("1", AMOXICILLIN, "1", 50)], on=dt.date(2024, 6, 1), visit_type=VisitType.INPATIENT
        )
    assert caught.value.code == "catalogue.not_in_force"


def test_a_bill_classified_through_the_2025_catalogue(personas) -> None:
    result = classify(INPATIENT_BILL, on=dt.date(2025, 6, 10), visit_type=VisitType.INPATIENT)
    assert result.version == demo.V2025
    assert result.total == 384_000
    assert result.fulamt_ownpay_amt == 2_000
    assert result.overlmt_selfpay == 6_000 + 100_000 + 25_000
    assert result.class_b == 7_000 + 39_000 + 150_000
    assert result.preselfpay_amt == 700 + 1_950 + 30_000
    assert result.inscp_scp_amt == 218_350
    by_id = {c.line_id: c for c in result.lines}
    assert (by_id["1"].category, by_id["1"].inscp) == ("A", 5_000)
    assert (by_id["2"].category, by_id["2"].preselfpay) == ("B", 700)
    assert (by_id["4"].category, by_id["4"].fulamt_ownpay) == ("C", 2_000)
    assert by_id["5"].overlmt == 100_000


def test_the_2026_edition_changes_the_classification(personas) -> None:
    bill = [fee("2", CEFIXIME, "20", 350), fee("3", IMATINIB, "30", 1500)]
    before = classify(bill, on=dt.date(2025, 12, 31), visit_type=VisitType.OUTPATIENT_GENERAL)
    after = classify(bill, on=dt.date(2026, 1, 1), visit_type=VisitType.OUTPATIENT_GENERAL)
    # 头孢克肟 became 甲: no first payment; 伊马替尼's limit fell to 11.50.
    assert [c.preselfpay for c in before.lines] == [700, 1_950]
    assert [c.category for c in after.lines] == ["A", "B"]
    assert [c.preselfpay for c in after.lines] == [0, 1_725]
    assert after.lines[1].overlmt == 45_000 - 34_500


def test_an_inpatient_only_item_in_an_outpatient_bill_is_fully_self_paid(personas) -> None:
    result = classify(
        [fee("1", MEROPENEM, "2", 9000), fee("2", AMOXICILLIN, "24", 50)],
        on=dt.date(2026, 2, 1),
        visit_type=VisitType.OUTPATIENT_GENERAL,
    )
    assert [c.reason for c in result.lines] == ["not_covered", ""]
    assert result.fulamt_ownpay_amt == 18_000
    assert result.class_b == 0
    assert result.inscp_scp_amt == 1_200


def _claim(result, **changes) -> Claim:  # type: ignore[no-untyped-def]
    values = {
        "claim_id": "golden",
        "person_id": "p",
        "visit_type": VisitType.INPATIENT,
        "hospital_level": 3,
        "service_date": dt.date(2025, 6, 1),
        "discharge_date": dt.date(2025, 6, 10),
        "total": result.total,
        "out_of_scope": result.out_of_scope,
        "class_b": result.class_b,
        "class_b_first": result.preselfpay_amt,
    }
    values.update(changes)
    return Claim(**values)  # type: ignore[arg-type]


def _scope_lines(adjudication) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {line.code: line.amount for line in adjudication.lines if line.layer == "scope"}


def test_golden_inpatient_settlement_through_the_catalogue(personas) -> None:
    """Level-3 admission, 2025, first of the year: deductible 800, ratio 65 %."""
    result = classify(INPATIENT_BILL, on=dt.date(2025, 6, 10), visit_type=VisitType.INPATIENT)
    settled = adjudicate(_claim(result), [shipped("sample-resident-2025")])
    assert _scope_lines(settled) == {
        "total": 384_000,
        "out_of_scope": 133_000,  # 20.00 丙 + 1,310.00 above price limits
        "class_b_first": 32_650,  # item by item: 7.00 + 19.50 + 300.00
        "in_scope": 218_350,
    }
    # (2,183.50 − 800) × 65 % = 899.275 → 899.28
    assert settled.basic_fund == 89_928
    assert settled.critical_illness == 0  # far below the 10,000 threshold
    assert settled.out_of_pocket == 384_000 - 89_928


@pytest.mark.parametrize(
    ("code", "quantity", "price", "fund"),
    [
        # 甲: 1,000.00 in scope; (1,000 − 800) × 65 % = 130.00
        (AMOXICILLIN, "2000", 50, 13_000),
        # 乙 10 %: 1,000.00 → 100.00 first pay; (900 − 800) × 65 % = 65.00
        (CEFIXIME, "2000", 50, 6_500),
        # 丙: nothing in scope, nothing paid
        (VITAMIN_C, "500", 200, 0),
        # above the limit: 10 days at 200.00, limit 50.00 → 500.00 in scope; below deductible
        (SINGLE_ROOM, "10", 20000, 0),
    ],
)
def test_golden_one_class_at_a_time(
    personas, code: str, quantity: str, price: int, fund: int
) -> None:
    result = classify(
        [fee("1", code, quantity, price)], on=dt.date(2025, 6, 10), visit_type=VisitType.INPATIENT
    )
    settled = adjudicate(_claim(result), [shipped("sample-resident-2025")])
    assert settled.basic_fund == fund
    assert settled.basic_fund + settled.out_of_pocket == result.total


def test_a_new_version_is_classified_by_its_own_rules(personas) -> None:
    """The rules are cached per version: a version imported later is read afresh."""
    from jingban.catalogue import imports

    day = dt.date(2025, 6, 10)
    bill = [fee("1", CEFIXIME, "20", 350)]
    assert classify(bill, on=day, visit_type=VisitType.INPATIENT).preselfpay_amt == 700
    item = imports.ItemRow(CEFIXIME, "头孢克肟片", "western_drug", "C", None, None, "片", (), "")
    imports.import_version(
        imports.VersionInput("2025年中期修订", dt.date(2025, 6, 1), dt.date(2025, 12, 31)),
        [item],
        acting_user=None,
    )
    result = classify(bill, on=day, visit_type=VisitType.INPATIENT)
    assert result.version == "2025年中期修订"
    assert (result.fulamt_ownpay_amt, result.preselfpay_amt) == (7_000, 0)
