"""The golden cases of ``golden_medical.yaml``: every worked example and seed rule of medical.md
and one case per rule of each shipped pack, with the boundaries (exactly at a deductible, at a
band edge, at a cap), on both versions of the shipped packs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from jingban.engine.codes import Condition, CrossRegion, VisitType
from jingban.engine.medical import Claim, YearToDate, adjudicate
from jingban.engine.money import fen_to_yuan_text, parse_yuan
from tests.engine.packs import shipped, variant

CASES = yaml.safe_load((Path(__file__).parent / "golden_medical.yaml").read_text("utf-8"))


def _counters(values: dict[str, Any]) -> dict[str, int]:
    return {
        name: int(value) if name.startswith("visits:") else parse_yuan(str(value))
        for name, value in values.items()
    }


def _claim(spec: dict[str, Any]) -> Claim:
    return Claim(
        claim_id="golden",
        person_id="p1",
        visit_type=VisitType(spec["visit_type"]),
        hospital_level=int(spec.get("hospital_level", 3)),
        service_date=dt.date(2025, 6, 1),
        total=parse_yuan(spec["total"]),
        out_of_scope=parse_yuan(spec.get("out_of_scope", "0")),
        class_b=parse_yuan(spec.get("class_b", "0")),
        condition=Condition(spec["condition"]) if spec.get("condition") else None,
        person_category=spec.get("person_category", "general"),
        cross_region=CrossRegion(spec.get("cross_region", "local")),
    )


# Every case runs on version 1 of the shipped packs (layout 1, read through the compatibility
# path) and on version 2 (the same figures in the layout of schema 2): both must settle alike.
VERSIONS = (1, 2)


@pytest.mark.parametrize("version", VERSIONS, ids=[f"v{v}" for v in VERSIONS])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_case(case: dict[str, Any], version: int) -> None:
    ids = case.get("packs", ["sample-resident-2025"])
    changes = case.get("pack_changes")
    packs = [variant(ids[0], changes, version) if changes else shipped(ids[0], version)]
    packs += [shipped(i, version) for i in ids[1:]]
    assert [p.version for p in packs] == [version] * len(packs)
    claim = _claim(case["claim"])
    before = YearToDate("p1", 2025, _counters(case.get("before", {})))

    result = adjudicate(claim, packs, before)

    got = {
        "basic_fund": result.basic_fund,
        "critical_illness": result.critical_illness,
        "medical_assistance": result.medical_assistance,
        "supplementary": result.supplementary,
        "out_of_pocket": result.out_of_pocket,
    }
    for layer, expected in case["expect"].items():
        assert fen_to_yuan_text(got[layer]) == expected, layer
    for name, expected in case.get("expect_after", {}).items():
        assert fen_to_yuan_text(result.after.get(name)) == expected, name
    assert sum(got.values()) == claim.total
    assert sum(line.amount for line in result.lines if line.payment) == claim.total
