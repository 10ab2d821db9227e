"""Stand-ins for the other parts' contracts (enrollment's coverage, the catalogue, filing), so
the settlement service can be tested on its own branch. The real paths are tested in
``test_settlement_integrated.py`` (which needs every branch merged)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from jingban.core.errors import DomainError
from jingban.engine.codes import CrossRegion


@dataclass(frozen=True)
class FakeCoverage:
    enrollment_id: int
    year: int
    ci_cap_raise: Fraction = Fraction(0)
    continuous_years: int = 1
    waiting_until: dt.date | None = None
    pack: str = "fake-contributions@1"


@dataclass(frozen=True)
class FakeDecision:
    rule: CrossRegion
    filing_id: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class FakeLine:
    line_id: str
    code: str
    name: str
    quantity: Decimal
    price: int
    amount: int


@dataclass(frozen=True)
class FakeClassified:
    line_id: str
    code: str
    name: str
    amount: int
    category: str
    fulamt_ownpay: int
    overlmt: int
    preselfpay: int
    inscp: int
    warning: str | None


@dataclass(frozen=True)
class FakeClassification:
    total: int
    fulamt_ownpay_amt: int
    overlmt_selfpay: int
    class_b: int
    preselfpay_amt: int
    inscp_scp_amt: int
    lines: tuple[FakeClassified, ...]
    version: str = "fake-catalogue@1"

    @property
    def out_of_scope(self) -> int:
        return self.fulamt_ownpay_amt + self.overlmt_selfpay


# The demo's sample-catalogue codes, as the fake sees them (乙类 needs the catalogue's
# Claim.class_b_first, so the fake counts cefixime as 甲类).
DEMO_CODES = {
    "XJ01CAA381A0010100000": "A",
    "00210514630000": "A",
    "XJ01DDE790A0010100001": "A",
    "XA11GAA115A0010100108": "C",
}


def classify_one(line: FakeLine) -> FakeClassified:
    """Codes by their first letter: A 甲类 (in scope), B 乙类 (10% first pay), C 丙类 (fully
    self-paid), L 甲类 with a price limit of half the price, anything else unknown (self-paid,
    with a warning)."""
    kind = DEMO_CODES.get(line.code, line.code[:1])
    amount = line.amount
    if kind == "A":
        return FakeClassified(
            line.line_id, line.code, line.name, amount, "A", 0, 0, 0, amount, None
        )
    if kind == "B":
        first = int((Decimal(amount) / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return FakeClassified(
            line.line_id, line.code, line.name, amount, "B", 0, 0, first, amount - first, None
        )
    if kind == "C":
        return FakeClassified(
            line.line_id, line.code, line.name, amount, "C", amount, 0, 0, 0, None
        )
    if kind == "L":
        over = amount - amount // 2
        return FakeClassified(
            line.line_id, line.code, line.name, amount, "A", 0, over, 0, amount - over, None
        )
    return FakeClassified(
        line.line_id, line.code, line.name, amount, "none", amount, 0, 0, 0, "不在目录内"
    )


@dataclass
class FakePorts:
    """The fakes' state: refusals by person id, chronic registrations, cross-region rules."""

    refused: dict[int, DomainError] = field(default_factory=dict)
    registered: set[tuple[int, str]] = field(default_factory=set)
    rule: CrossRegion = CrossRegion.LOCAL
    raise_by_person: dict[int, Fraction] = field(default_factory=dict)
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def coverage(
        self, person_id: int, scheme_code: str, on: dt.date, *, history: Mapping[int, Any]
    ) -> FakeCoverage:
        self.calls.append(("coverage", (person_id, scheme_code, on, dict(history))))
        if person_id in self.refused:
            raise self.refused[person_id]
        return FakeCoverage(
            enrollment_id=1,
            year=on.year,
            ci_cap_raise=self.raise_by_person.get(person_id, Fraction(0)),
        )

    def year_use(self, fund_paid: bool, ci_paid: bool) -> tuple[bool, bool]:
        return (fund_paid, ci_paid)

    def fee_line(self, *args: Any) -> FakeLine:
        return FakeLine(*args)

    def classify(self, lines: Sequence[FakeLine], *, on: dt.date, visit_type: Any) -> Any:
        classified = tuple(classify_one(line) for line in lines)
        return FakeClassification(
            total=sum(c.amount for c in classified),
            fulamt_ownpay_amt=sum(c.fulamt_ownpay for c in classified),
            overlmt_selfpay=sum(c.overlmt for c in classified),
            class_b=sum(c.preselfpay + c.inscp for c in classified if c.category == "B"),
            preselfpay_amt=sum(c.preselfpay for c in classified),
            inscp_scp_amt=sum(c.inscp for c in classified),
            lines=classified,
        )

    def require_registration(self, person_id: int, disease_code: str, on: dt.date) -> None:
        if (person_id, disease_code) not in self.registered:
            raise DomainError(
                "未登记该门诊慢特病",
                code="chronic.not_registered",
                fields={"dise_codg": ["未登记"]},
            )

    def cross_region(
        self,
        person_id: int,
        on: dt.date,
        *,
        insured_area: str,
        treatment_area: str,
        emergency: bool = False,
    ) -> FakeDecision:
        if insured_area[:4] == treatment_area[:4]:
            return FakeDecision(CrossRegion.LOCAL, None, "same pooling area")
        if emergency:
            return FakeDecision(CrossRegion.EMERGENCY, None, "emergency")
        return FakeDecision(self.rule, None, "fake")
