"""A claim as the engine sees it, and the person-year accumulators it is settled against."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

from jingban.engine.codes import (
    HOSPITAL_LEVELS,
    PERSON_CATEGORIES,
    Condition,
    CrossRegion,
    VisitType,
)
from jingban.engine.errors import FieldError


class ClaimInvalid(FieldError):
    """A claim the engine refuses before settling, because its figures contradict each other."""

    def __init__(self, code: str, field: str, message: str, **params: object) -> None:
        super().__init__(code, field, f"{field}: {message}", **params)


@dataclass(frozen=True, slots=True)
class Claim:
    """One bill to settle (一次就诊或住院的费用), amounts in fen.

    ``class_b`` is the in-scope amount of 乙类 items, of which the pack's first-pay rate is the
    person's own; ``out_of_scope`` is everything outside the catalogue or above price limits.
    ``ci_cap_raise`` is the continuity raise of the critical illness annual cap (连续参保和零报销
    激励, 国办发〔2024〕38号) as a share of the cap: 0.05 lets critical illness pay up to 105 % of
    it (``jingban.engine.medical.continuity``).
    ``class_b_first``, when given, is 乙类先行自付 as the catalogue computed it item by item (each
    item's own rate, ``jingban.catalogue.classify``); the engine then takes it instead of
    ``class_b`` × the pack's rate. It is at most ``class_b``.
    """

    claim_id: str
    person_id: str
    visit_type: VisitType
    hospital_level: int
    service_date: dt.date
    total: int
    out_of_scope: int = 0
    class_b: int = 0
    discharge_date: dt.date | None = None
    condition: Condition | None = None
    person_category: str = "general"
    cross_region: CrossRegion = CrossRegion.LOCAL
    ci_cap_raise: Fraction = Fraction(0)
    class_b_first: int | None = None

    @property
    def settlement_date(self) -> dt.date:
        """The day that decides the year and the pack: discharge, or the service day."""
        return self.discharge_date or self.service_date

    @property
    def year(self) -> int:
        return self.settlement_date.year

    def check(self) -> None:
        """Refuse a claim whose figures contradict each other."""
        if not self.claim_id:
            raise ClaimInvalid("claim.required", "claim_id", "is required")
        if not self.person_id:
            raise ClaimInvalid("claim.required", "person_id", "is required")
        if self.hospital_level not in HOSPITAL_LEVELS:
            raise ClaimInvalid(
                "claim.bad_level", "hospital_level", "must be 1, 2 or 3", value=self.hospital_level
            )
        if self.person_category not in PERSON_CATEGORIES:
            raise ClaimInvalid(
                "claim.bad_category",
                "person_category",
                f"{self.person_category!r} is not a person category",
                value=self.person_category,
            )
        for name in ("total", "out_of_scope", "class_b"):
            if getattr(self, name) < 0:
                raise ClaimInvalid("money.negative", name, "is negative")
        if self.ci_cap_raise < 0:
            raise ClaimInvalid("claim.negative_cap_raise", "ci_cap_raise", "is negative")
        if self.out_of_scope > self.total:
            raise ClaimInvalid(
                "claim.out_of_scope_above_total", "out_of_scope", "is more than the total"
            )
        if self.class_b > self.total - self.out_of_scope:
            raise ClaimInvalid(
                "claim.class_b_above_in_scope",
                "class_b",
                "is more than the total less the out-of-scope amount",
            )
        if self.class_b_first is not None:
            if self.class_b_first < 0:
                raise ClaimInvalid("money.negative", "class_b_first", "is negative")
            if self.class_b_first > self.class_b:
                raise ClaimInvalid(
                    "claim.class_b_first_above_class_b",
                    "class_b_first",
                    "is more than the class B amount",
                )
        if self.discharge_date is not None and self.discharge_date < self.service_date:
            raise ClaimInvalid(
                "claim.discharge_before_admission",
                "discharge_date",
                "is before the service (admission) date",
            )
        if self.visit_type is VisitType.OUTPATIENT_TWO_DISEASES and self.condition is None:
            raise ClaimInvalid(
                "claim.condition_required",
                "condition",
                "is required for a two-diseases visit (hypertension or diabetes)",
            )


@dataclass(frozen=True, slots=True)
class YearToDate:
    """A person's accumulators for one year (年度累计): what each cap pool has paid, deductibles
    met, admissions, the critical-illness cumulative amount … The engine takes one and returns
    the next; it keeps no state of its own.

    Counter names: ``cap:<pool>``, ``deductible:<visit type>``, ``visits:<visit type>``,
    ``ci:qualifying``, ``ci:paid``, ``assistance:deductible``, ``assistance:paid``,
    ``supplementary:<pack id>:deductible|in_catalogue|out_of_catalogue``.
    """

    person_id: str
    year: int
    counters: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "counters", MappingProxyType(dict(self.counters)))

    def get(self, name: str) -> int:
        return self.counters.get(name, 0)

    def plus(self, changes: Mapping[str, int]) -> YearToDate:
        merged = dict(self.counters)
        for name, amount in changes.items():
            if amount:
                merged[name] = merged.get(name, 0) + amount
        return YearToDate(self.person_id, self.year, merged)

    @classmethod
    def empty(cls, claim: Claim) -> YearToDate:
        return cls(claim.person_id, claim.year)
