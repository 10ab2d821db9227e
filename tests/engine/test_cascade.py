"""The cascade beyond the figures: the claim year, packs in force, refusals, the explanation."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.engine.codes import VisitType
from jingban.engine.medical import (
    LAYERS,
    Claim,
    ClaimInvalid,
    ClaimRejected,
    YearToDate,
    adjudicate,
)
from tests.engine.packs import DELETE, shipped, variant

RESIDENT = "sample-resident-2025"


def inpatient(**changes: object) -> Claim:
    fields: dict[str, object] = {
        "claim_id": "c1",
        "person_id": "p1",
        "visit_type": VisitType.INPATIENT,
        "hospital_level": 3,
        "service_date": dt.date(2025, 3, 1),
        "discharge_date": dt.date(2025, 3, 10),
        "total": 6_000_000,
        "out_of_scope": 500_000,
        "class_b": 2_000_000,
    }
    fields.update(changes)
    return Claim(**fields)  # type: ignore[arg-type]


def test_a_claim_belongs_to_the_year_of_its_discharge() -> None:
    claim = inpatient(service_date=dt.date(2024, 12, 28), discharge_date=dt.date(2025, 1, 3))
    result = adjudicate(claim, [shipped(RESIDENT)])
    assert claim.year == 2025
    assert result.after.year == 2025
    assert result.basic_fund == 3_393_000


def test_without_a_discharge_the_service_date_decides() -> None:
    claim = inpatient(service_date=dt.date(2025, 12, 31), discharge_date=None)
    assert claim.year == 2025
    assert adjudicate(claim, [shipped(RESIDENT)]).basic_fund == 3_393_000


def test_a_claim_discharged_after_the_pack_period_is_rejected() -> None:
    claim = inpatient(service_date=dt.date(2025, 12, 28), discharge_date=dt.date(2026, 1, 2))
    with pytest.raises(ClaimRejected) as caught:
        adjudicate(claim, [shipped(RESIDENT)], YearToDate("p1", 2026))
    assert caught.value.code == "claim.pack_not_in_force"
    assert caught.value.field == "discharge_date"
    assert "2026-01-02" in str(caught.value)


def test_accumulators_of_another_person_or_year_are_refused() -> None:
    with pytest.raises(ValueError, match="accumulators"):
        adjudicate(inpatient(), [shipped(RESIDENT)], YearToDate("p2", 2025))
    with pytest.raises(ValueError, match="accumulators"):
        adjudicate(inpatient(), [shipped(RESIDENT)], YearToDate("p1", 2024))


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"out_of_scope": 6_000_001}, "claim.out_of_scope_above_total", "out_of_scope"),
        ({"class_b": 5_500_001}, "claim.class_b_above_in_scope", "class_b"),
        ({"total": -1}, "money.negative", "total"),
        (
            {"discharge_date": dt.date(2025, 2, 28)},
            "claim.discharge_before_admission",
            "discharge_date",
        ),
        ({"hospital_level": 4}, "claim.bad_level", "hospital_level"),
        ({"person_category": "vip"}, "claim.bad_category", "person_category"),
        (
            {"visit_type": VisitType.OUTPATIENT_TWO_DISEASES},
            "claim.condition_required",
            "condition",
        ),
    ],
)
def test_a_contradictory_claim_is_refused_naming_the_field(
    changes: dict[str, object], code: str, field: str
) -> None:
    with pytest.raises(ClaimInvalid) as caught:
        adjudicate(inpatient(**changes), [shipped(RESIDENT)])
    assert (caught.value.code, caught.value.field) == (code, field)


def test_a_visit_type_the_pack_does_not_cover_is_rejected() -> None:
    pack = variant(RESIDENT, {"benefits.outpatient_dialysis": DELETE})
    claim = inpatient(visit_type=VisitType.OUTPATIENT_DIALYSIS, discharge_date=None)
    with pytest.raises(ClaimRejected) as caught:
        adjudicate(claim, [pack])
    assert (caught.value.code, caught.value.field) == ("claim.visit_type_not_covered", "visit_type")


def test_exactly_one_public_pack_settles() -> None:
    with pytest.raises(ValueError, match="exactly one public pack"):
        adjudicate(inpatient(), [shipped("jiangsu-yihuibao-2021")])
    with pytest.raises(ValueError, match="exactly one public pack"):
        adjudicate(inpatient(), [shipped(RESIDENT), shipped(RESIDENT)])


def test_the_explanation_walks_every_layer_in_order() -> None:
    packs = [shipped(RESIDENT), shipped("jiangsu-yihuibao-2021")]
    result = adjudicate(inpatient(person_category="dibao"), packs)
    layers = [line.layer for line in result.lines]
    assert [layer for layer in LAYERS if layer in layers] == list(dict.fromkeys(layers))
    assert set(layers) == set(LAYERS)
    fund = next(line for line in result.lines if line.code == "fund")
    assert fund.amount == result.basic_fund == 3_393_000
    assert fund.base == 5_220_000
    assert "65%" in fund.texts.rule("zh-hans") and "65%" in fund.texts.rule("en")
    assert fund.texts.label("zh-hans") == "统筹基金支付"
    assert fund.texts.label("en") == "Paid by the basic fund"
    ci = next(line for line in result.lines if line.layer == "critical_illness" and line.payment)
    assert "¥5,000.00" in ci.texts.rule("en")  # the tilted threshold for 低保
    assert [str(ref) for ref in result.packs] == [
        "sample-resident-2025@2",
        "jiangsu-yihuibao-2021@2",
    ]
    assert result.packs[0].hash == shipped(RESIDENT).hash


def test_over_cap_lines_say_how_much_the_cap_held_back() -> None:
    before = YearToDate("p1", 2025, {"cap:pooled": 29_900_000})
    result = adjudicate(inpatient(), [shipped(RESIDENT)], before)
    over = next(line for line in result.lines if line.code == "over_cap")
    assert over.amount == 3_393_000 - 100_000
    assert "¥299,000.00" in over.texts.rule("en")
    assert result.basic_fund == 100_000


def test_the_engine_keeps_no_state_between_claims() -> None:
    pack = shipped(RESIDENT)
    first = adjudicate(inpatient(), [pack])
    again = adjudicate(inpatient(), [pack])
    assert first == again
    second = adjudicate(inpatient(claim_id="c2"), [pack], first.after)
    assert second.basic_fund == 3_419_000  # repeat admission: deductible 400
    assert second.after.get("visits:inpatient") == 2
