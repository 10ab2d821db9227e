"""The claim engine on the shipped pack's product (golden figures, in fen): each line adds up to
its base (conservation), limits and ratios apply as the pack says, bad facts are refused."""

from __future__ import annotations

import pytest

from jingban.engine.accident import AccidentClaimInput, Benefit, Outcome, compute
from jingban.engine.errors import FieldError
from jingban.engine.money import Rounding
from jingban.engine.policy.families.accident import AccidentRules, Payer
from jingban.engine.policy.registry import shipped_registry


def product():
    rules = shipped_registry().get("jiangsu-ankang-2026", 1).rules
    assert isinstance(rules, AccidentRules)
    return rules.accident


def test_the_pack_holds_the_seed_age_and_the_sample_terms() -> None:
    pack = shipped_registry().get("jiangsu-ankang-2026", 1)
    p = pack.rules.accident
    assert (p.min_age, p.cover_months, p.premium, p.death, p.disability) == (
        60,
        12,
        3000,
        2_000_000,
        2_000_000,
    )
    assert p.payers == (Payer.PERSON, Payer.COMMUNITY, Payer.GOVERNMENT)
    assert [str(p.grade_ratio(g)) for g in (1, 5, 10)] == ["1", "3/5", "1/10"]
    sample_paths = {f.path for f in pack.samples}
    assert "accident.premium" in sample_paths and "accident.min_age" not in sample_paths


def test_medical_and_allowance_golden() -> None:
    # 3,200 yuan: 100 deductible, 90 % of 3,100 = 2,790; 6 days × 30 = 180; total 2,970 yuan.
    result = compute(product(), AccidentClaimInput(320_000, 6), Rounding.HALF_UP)
    medical, allowance = result.lines
    assert (medical.benefit, medical.base, medical.paid) == (Benefit.MEDICAL, 320_000, 279_000)
    assert dict(medical.parts) == {"deductible": 10_000, "own_share": 31_000, "over_limit": 0}
    assert (allowance.paid, dict(allowance.parts)) == (18_000, {"over_days": 0})
    assert result.total == 297_000
    assert "¥2,790.00" in medical.zh and "¥2,970.00" not in medical.zh
    assert all(line.conserved() for line in result.lines)


def test_limits_cap_the_medical_line_and_the_days() -> None:
    # 20,000 yuan: 90 % of 19,900 = 17,910, held to the 5,000 limit; 120 days held to 90.
    result = compute(product(), AccidentClaimInput(2_000_000, 120), Rounding.HALF_UP)
    medical, allowance = result.lines
    assert (medical.paid, dict(medical.parts)["over_limit"]) == (500_000, 1_291_000)
    assert (allowance.base, allowance.paid, allowance.parts) == (
        360_000,
        270_000,
        (("over_days", 90_000),),
    )
    assert result.total == 770_000


def test_expenses_under_the_deductible_pay_nothing_and_rounding_is_half_up() -> None:
    assert compute(product(), AccidentClaimInput(9_999), Rounding.HALF_UP).total == 0
    # 90 % of 1 fen over the deductible rounds to 1 fen (half up), down to 0.
    assert compute(product(), AccidentClaimInput(10_001), Rounding.HALF_UP).total == 1
    assert compute(product(), AccidentClaimInput(10_001), Rounding.DOWN).total == 0


def test_disability_by_grade_and_death_less_disability_paid() -> None:
    grade8 = compute(product(), AccidentClaimInput(0, 0, Outcome.DISABILITY, 8), Rounding.HALF_UP)
    assert (grade8.total, grade8.lines[0].parts) == (600_000, (("grade_rest", 1_400_000),))
    death = compute(
        product(), AccidentClaimInput(0, 0, Outcome.DEATH, paid_before=600_000), Rounding.HALF_UP
    )
    assert death.total == 1_400_000 and death.lines[0].conserved()


@pytest.mark.parametrize(
    ("facts", "code", "field"),
    [
        (AccidentClaimInput(-1), "accident.expenses_invalid", "medical_expenses"),
        (AccidentClaimInput(0, -2), "accident.days_invalid", "hospital_days"),
        (
            AccidentClaimInput(0, 0, Outcome.DISABILITY),
            "accident.grade_invalid",
            "disability_grade",
        ),
        (
            AccidentClaimInput(0, 0, Outcome.DISABILITY, 11),
            "accident.grade_invalid",
            "disability_grade",
        ),
        (
            AccidentClaimInput(100, 0, Outcome.NONE, 3),
            "accident.grade_without_disability",
            "disability_grade",
        ),
        (AccidentClaimInput(), "accident.nothing_claimed", "medical_expenses"),
    ],
)
def test_bad_facts_are_refused_naming_the_field(
    facts: AccidentClaimInput, code: str, field: str
) -> None:
    with pytest.raises(FieldError) as caught:
        compute(product(), facts, Rounding.HALF_UP)
    assert (caught.value.code, caught.value.field) == (code, field)
