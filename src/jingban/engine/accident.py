"""What an accident claim pays under a product of the accident family: pure Python, integer fen.

One claim is one accident. Each benefit asked gives a line whose parts add up to its base
(conservation: ``base == paid + sum of the parts not paid``):

- accidental medical expenses: the expenses = the deductible + the person's share of the rest
  (1 − ratio) + what is paid + what is over the limit per accident;
- hospital allowance: the days asked × the daily sum = the days paid × the daily sum + the days
  over the limit × the daily sum;
- disability: the sum insured = the grade's ratio of it (paid) + the rest;
- death: the death sum insured, paid whole.

Death and disability exclude each other in one claim (an accident that disables and later kills
is two claims, and the later one is reduced by the earlier: ``paid_before``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jingban.engine.errors import FieldError
from jingban.engine.money import Rounding, apply_ratio, format_ratio, format_yuan
from jingban.engine.policy.families.accident import AccidentProduct

MAX_FEN = 10**12  # ten billion yuan: anything above is a typing error
MAX_DAYS = 3660


class Outcome(StrEnum):
    """What the accident left besides medical expenses."""

    NONE = "none"  # 仅医疗费用或住院
    DISABILITY = "disability"  # 伤残
    DEATH = "death"  # 身故


class Benefit(StrEnum):
    MEDICAL = "medical"  # 意外医疗
    ALLOWANCE = "allowance"  # 住院津贴
    DISABILITY = "disability"  # 意外伤残
    DEATH = "death"  # 意外身故


BENEFIT_LABELS = {
    Benefit.MEDICAL: ("意外医疗费用", "Accidental medical expenses"),
    Benefit.ALLOWANCE: ("住院津贴", "Hospital allowance"),
    Benefit.DISABILITY: ("意外伤残", "Accidental disability"),
    Benefit.DEATH: ("意外身故", "Accidental death"),
}

# The parts of a line that are not paid.
PART_LABELS = {
    "deductible": ("免赔额", "Deductible"),
    "own_share": ("个人自付比例部分", "The person's share"),
    "over_limit": ("超过限额部分", "Over the limit"),
    "over_days": ("超过天数部分", "Days over the limit"),
    "grade_rest": ("伤残比例以外部分", "Beyond the grade's ratio"),
    "paid_before": ("同一事故已赔付伤残", "Disability already paid for this accident"),
}


@dataclass(frozen=True)
class AccidentClaimInput:
    """A claim's facts: amounts in fen."""

    medical_expenses: int = 0
    hospital_days: int = 0
    outcome: Outcome = Outcome.NONE
    disability_grade: int | None = None
    # For a death after a disability of the same accident: the disability benefit already paid.
    paid_before: int = 0


@dataclass(frozen=True)
class AccidentLine:
    benefit: Benefit
    base: int
    paid: int
    parts: tuple[tuple[str, int], ...]
    zh: str
    en: str

    def conserved(self) -> bool:
        return self.base == self.paid + sum(amount for _key, amount in self.parts)


@dataclass(frozen=True)
class AccidentResult:
    lines: tuple[AccidentLine, ...]

    @property
    def total(self) -> int:
        return sum(line.paid for line in self.lines)

    def as_json(self) -> list[dict[str, object]]:
        return [
            {
                "benefit": line.benefit.value,
                "base": line.base,
                "paid": line.paid,
                "parts": [[key, amount] for key, amount in line.parts],
                "zh": line.zh,
                "en": line.en,
            }
            for line in self.lines
        ]


def check(product: AccidentProduct, claim: AccidentClaimInput) -> None:
    """Refuse facts no claim can have (``FieldError`` naming the field)."""
    if not 0 <= claim.medical_expenses <= MAX_FEN:
        raise FieldError(
            "accident.expenses_invalid",
            "medical_expenses",
            "the medical expenses are negative or too large",
        )
    if not 0 <= claim.hospital_days <= MAX_DAYS:
        raise FieldError(
            "accident.days_invalid", "hospital_days", "the hospital days are negative or too many"
        )
    if claim.outcome is Outcome.DISABILITY:
        if claim.disability_grade not in product.disability_ratios:
            raise FieldError(
                "accident.grade_invalid",
                "disability_grade",
                "a disability claim names its grade, 1 to 10",
            )
    elif claim.disability_grade is not None:
        raise FieldError(
            "accident.grade_without_disability",
            "disability_grade",
            "a grade is given only for a disability",
        )
    if claim.paid_before < 0:
        raise FieldError("accident.paid_before_invalid", "paid_before", "negative amount")
    if claim.medical_expenses == 0 and claim.hospital_days == 0 and claim.outcome is Outcome.NONE:
        raise FieldError(
            "accident.nothing_claimed",
            "medical_expenses",
            "the claim asks for no benefit",
        )


def compute(
    product: AccidentProduct, claim: AccidentClaimInput, rounding: Rounding
) -> AccidentResult:
    """The benefit of each line asked and its explanation (see the module's docstring)."""
    check(product, claim)
    lines: list[AccidentLine] = []
    if claim.medical_expenses:
        rule = product.medical
        expenses = claim.medical_expenses
        deductible = min(expenses, rule.deductible)
        rest = expenses - deductible
        covered = apply_ratio(rest, rule.ratio, rounding)
        paid = min(covered, rule.limit)
        parts = (
            ("deductible", deductible),
            ("own_share", rest - covered),
            ("over_limit", covered - paid),
        )
        args = {
            "e": format_yuan(expenses),
            "d": format_yuan(deductible),
            "r": format_ratio(rule.ratio),
            "c": format_yuan(covered),
            "l": format_yuan(rule.limit),
            "p": format_yuan(paid),
        }
        lines.append(
            AccidentLine(
                Benefit.MEDICAL,
                expenses,
                paid,
                parts,
                "费用{e}，扣除免赔额{d}后按{r}赔付{c}，每次事故限额{l}，赔付{p}".format(**args),
                "expenses {e}, less the deductible {d}, {r} of the rest is {c}; "
                "limit {l} per accident; pays {p}".format(**args),
            )
        )
    if claim.hospital_days:
        rule_a = product.allowance
        days = claim.hospital_days
        counted = min(days, rule_a.max_days)
        base = days * rule_a.per_day
        paid = counted * rule_a.per_day
        args = {
            "n": str(days),
            "m": str(counted),
            "x": str(rule_a.max_days),
            "a": format_yuan(rule_a.per_day),
            "p": format_yuan(paid),
        }
        lines.append(
            AccidentLine(
                Benefit.ALLOWANCE,
                base,
                paid,
                (("over_days", base - paid),),
                "住院{n}天，最多给付{x}天，按{m}天×{a}/天，赔付{p}".format(**args),
                "{n} days in hospital, at most {x} paid: {m} days × {a} a day; pays {p}".format(
                    **args
                ),
            )
        )
    if claim.outcome is Outcome.DISABILITY and claim.disability_grade is not None:
        grade = claim.disability_grade
        ratio = product.grade_ratio(grade)
        paid = apply_ratio(product.disability, ratio, rounding)
        args = {
            "g": str(grade),
            "s": format_yuan(product.disability),
            "r": format_ratio(ratio),
            "p": format_yuan(paid),
        }
        lines.append(
            AccidentLine(
                Benefit.DISABILITY,
                product.disability,
                paid,
                (("grade_rest", product.disability - paid),),
                "{g}级伤残，保险金额{s}×{r}，赔付{p}".format(**args),
                "grade {g} disability: {r} of the sum insured {s}; pays {p}".format(**args),
            )
        )
    if claim.outcome is Outcome.DEATH:
        before = min(claim.paid_before, product.death)
        paid = product.death - before
        args = {"s": format_yuan(product.death), "b": format_yuan(before), "p": format_yuan(paid)}
        lines.append(
            AccidentLine(
                Benefit.DEATH,
                product.death,
                paid,
                (("paid_before", before),),
                "意外身故保险金额{s}，扣除同一事故已赔付伤残{b}，赔付{p}".format(**args),
                "death sum insured {s}, less disability already paid for the accident {b}; "
                "pays {p}".format(**args),
            )
        )
    result = AccidentResult(tuple(lines))
    if not all(line.conserved() and line.paid >= 0 for line in result.lines):
        raise AssertionError("an accident line does not add up")  # pragma: no cover
    return result
