"""The reference adjudication cascade: where every fen of one claim goes.

Order (docs/medical-settlement.md): scope (全自费, 乙类先行自付, 政策范围内) → basic insurance
(deductible, ratio, annual caps) → critical illness insurance on the annual cumulative self-paid
amount → medical assistance for relief groups → each supplementary product. Every layer writes
explanation lines; the layers plus out of pocket equal the total, to the fen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from jingban.engine.errors import FieldError
from jingban.engine.medical.claim import Claim, YearToDate
from jingban.engine.medical.explain import Line, Texts
from jingban.engine.money import ONE, ZERO, Rounding, apply_ratio, round_fraction
from jingban.engine.policy.loader import PackRef, PolicyPack
from jingban.engine.policy.schema import (
    Benefit,
    CriticalIllness,
    Family,
    MedicalAssistance,
    ReliefTilt,
    Supplementary,
)

# The families whose packs settle a claim: one medical pack, any supplementary ones on top.
_CLAIM_FAMILIES = frozenset({Family.MEDICAL, Family.SUPPLEMENTARY})


class ClaimRejected(FieldError):
    """The packs cannot settle this claim (not in force, visit type not covered …)."""


@dataclass(frozen=True)
class Adjudication:
    """The result of one claim: the layers, out of pocket, the explanation, the accumulators
    before and after, and the packs (id, version, hash) that made it."""

    claim: Claim
    basic_fund: int
    critical_illness: int
    medical_assistance: int
    supplementary: int
    out_of_pocket: int
    lines: tuple[Line, ...]
    before: YearToDate
    after: YearToDate
    packs: tuple[PackRef, ...]

    @property
    def total(self) -> int:
        return self.claim.total

    @property
    def paid(self) -> int:
        return (
            self.basic_fund + self.critical_illness + self.medical_assistance + self.supplementary
        )


@dataclass
class _Work:
    """Running state of one claim through the layers."""

    claim: Claim
    ytd: YearToDate
    rounding: Rounding
    changes: dict[str, int] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    in_scope_self: int = 0  # in-scope amount still the person's (deductible + co-insurance …)
    class_b_first: int = 0  # 乙类先行自付, inside the catalogue but outside in-scope
    out_of_scope: int = 0

    def counter(self, name: str) -> int:
        return self.ytd.get(name) + self.changes.get(name, 0)

    def add(self, name: str, amount: int) -> None:
        if amount:
            self.changes[name] = self.changes.get(name, 0) + amount

    def within(self, layer: str, amount: int, limit: int, used: str, texts: Texts) -> int:
        """``amount`` held to what ``limit`` leaves after the counter ``used``; what is held
        back is an ``over_cap`` line."""
        room = max(0, limit - self.counter(used))
        if amount <= room:
            return amount
        self.line(layer, "over_cap", texts, amount - room, base=amount)
        return room

    def line(
        self,
        layer: str,
        code: str,
        texts: Texts,
        amount: int,
        *,
        base: int | None = None,
        payment: bool = False,
    ) -> None:
        self.lines.append(Line(layer, code, texts, base, amount, payment))


def adjudicate(
    claim: Claim, packs: Sequence[PolicyPack], year_to_date: YearToDate | None = None
) -> Adjudication:
    """Settle ``claim`` with one public pack and any supplementary packs stacked on it.

    ``year_to_date`` is the person's accumulators for the claim's year before this claim (empty
    when not given); the result carries the accumulators after it. Raises ``ClaimInvalid`` for a
    claim that contradicts itself and ``ClaimRejected`` when the packs cannot settle it.
    """
    claim.check()
    ytd = year_to_date if year_to_date is not None else YearToDate.empty(claim)
    if (ytd.person_id, ytd.year) != (claim.person_id, claim.year):
        raise ValueError(
            f"accumulators of {ytd.person_id}/{ytd.year} given for a claim of "
            f"{claim.person_id}/{claim.year}"
        )
    public = [p for p in packs if p.family is Family.MEDICAL]
    extras = [p for p in packs if p.family is Family.SUPPLEMENTARY]
    others = [str(p.ref) for p in packs if p.family not in _CLAIM_FAMILIES]
    if others:
        raise ValueError(f"{', '.join(others)}: not a pack that settles claims")
    if len(public) != 1:
        raise ValueError("exactly one public pack settles a claim")
    pack = public[0]
    day = claim.settlement_date
    for each in packs:
        if not each.covers(day):
            effective = each.rules.effective
            raise ClaimRejected(
                "claim.pack_not_in_force",
                "discharge_date" if claim.discharge_date else "service_date",
                f"{each.ref} is not in force on {day.isoformat()} "
                f"({effective.start.isoformat()} to {effective.end.isoformat()})",
                pack=str(each.ref),
                day=day.isoformat(),
            )
    work = _Work(claim, ytd, pack.rules.rounding)
    _scope(work, pack)
    basic = _basic(work, pack)
    ci = _critical_illness(work, pack.medical.critical_illness, pack)
    assistance = _assistance(work, pack.medical.medical_assistance)
    supplementary = 0
    for extra in extras:
        supplementary += _supplementary(work, extra, extra.supplementary.supplementary)
    out_of_pocket = claim.total - basic - ci - assistance - supplementary
    remaining = work.in_scope_self + work.class_b_first + work.out_of_scope
    assert out_of_pocket == remaining >= 0, (out_of_pocket, remaining)
    work.line(
        "out_of_pocket",
        "out_of_pocket",
        Texts.out_of_pocket(work.out_of_scope, work.class_b_first, work.in_scope_self),
        out_of_pocket,
        base=claim.total,
        payment=True,
    )
    return Adjudication(
        claim=claim,
        basic_fund=basic,
        critical_illness=ci,
        medical_assistance=assistance,
        supplementary=supplementary,
        out_of_pocket=out_of_pocket,
        lines=tuple(work.lines),
        before=ytd,
        after=ytd.plus(work.changes),
        packs=tuple(p.ref for p in packs),
    )


def _scope(work: _Work, pack: PolicyPack) -> None:
    claim = work.claim
    work.out_of_scope = claim.out_of_scope
    if claim.class_b_first is not None:
        # The catalogue classified the fee details item by item, each at its own rate.
        work.class_b_first = claim.class_b_first
        first_texts = Texts.class_b_first_by_item()
    else:
        rate = pack.medical.class_b_first_rate
        work.class_b_first = apply_ratio(claim.class_b, rate, work.rounding)
        first_texts = Texts.class_b_first(rate)
    work.in_scope_self = claim.total - claim.out_of_scope - work.class_b_first
    work.line("scope", "total", Texts.total(), claim.total)
    work.line("scope", "out_of_scope", Texts.out_of_scope(), claim.out_of_scope)
    work.line("scope", "class_b_first", first_texts, work.class_b_first, base=claim.class_b)
    work.line("scope", "in_scope", Texts.in_scope(), work.in_scope_self, base=claim.total)


def _benefit(work: _Work, pack: PolicyPack) -> Benefit:
    claim = work.claim
    benefit = pack.medical.benefits.get(claim.visit_type)
    if benefit is None:
        raise ClaimRejected(
            "claim.visit_type_not_covered",
            "visit_type",
            f"{pack.ref} has no benefit for {claim.visit_type.value}",
            visit_type=claim.visit_type.value,
            pack=str(pack.ref),
        )
    if benefit.conditions is not None and claim.condition not in benefit.conditions:
        raise ClaimRejected(
            "claim.condition_not_covered",
            "condition",
            f"{pack.ref} has no {claim.visit_type.value} benefit for this condition",
            pack=str(pack.ref),
        )
    return benefit


def _basic(work: _Work, pack: PolicyPack) -> int:
    """基本医保统筹基金: deductible, ratio (level, cross-region), annual caps."""
    claim, rules = work.claim, pack.medical
    benefit = _benefit(work, pack)
    visit = claim.visit_type.value
    in_scope = work.in_scope_self

    deductible = 0
    if benefit.deductible is not None:
        admissions = work.counter(f"visits:{visit}")
        repeat = admissions > 0 and benefit.deductible.repeat_by_level is not None
        full = benefit.deductible.for_visit(claim.hospital_level, repeat=repeat)
        if benefit.deductible.basis == "per_year":
            met = work.counter(f"deductible:{visit}")
            deductible = min(max(0, full - met), in_scope)
            work.add(f"deductible:{visit}", deductible)
            texts = Texts.deductible_yearly(full, met)
        else:
            deductible = min(full, in_scope)
            texts = Texts.deductible_visit(full, claim.hospital_level, benefit, repeat)
        work.line("basic", "deductible", texts, deductible, base=in_scope)
    work.add(f"visits:{visit}", 1)
    base = in_scope - deductible

    region_rule = rules.cross_region[claim.cross_region]
    pools: tuple[str, ...] = benefit.caps
    if benefit.lump_sum is not None:
        exact = min(benefit.lump_sum, base)
        texts = Texts.lump_sum(benefit.lump_sum)
    else:
        if benefit.conditions is not None:
            assert claim.condition is not None
            rule = benefit.conditions[claim.condition]
            ratio, pools = rule.ratio, (rule.cap,)
        elif benefit.ratio_by_level is not None:
            ratio = benefit.ratio_by_level[claim.hospital_level]  # type: ignore[index]
        else:
            assert benefit.ratio is not None
            ratio = benefit.ratio
        points = benefit.category_points.get(claim.person_category, ZERO)
        applied = region_rule.adjust(min(ratio + points, ONE))
        exact = apply_ratio(base, applied, work.rounding)
        texts = Texts.ratio(benefit, ratio, applied, claim, region_rule.label)

    fund = exact
    for pool in pools:
        cap = rules.caps[pool]
        used = f"cap:{pool}"
        fund = work.within("basic", fund, cap.amount, used, Texts.over_cap(cap, work.counter(used)))
    for pool in pools:
        work.add(f"cap:{pool}", fund)
    work.line("basic", "fund", texts, fund, base=base, payment=True)
    work.in_scope_self -= fund
    work.line("basic", "self_paid", Texts.basic_self_paid(), work.in_scope_self, base=in_scope)
    return fund


def _band_total(ci: CriticalIllness, tilt: ReliefTilt | None, amount: int) -> Fraction:
    """The exact critical-illness payment due on an annual cumulative ``amount`` (in fen)."""
    total = Fraction(0)
    for index, band in enumerate(ci.bands):
        low = band.above
        if index == 0 and tilt is not None:
            low = low * tilt.threshold_factor  # type: ignore[assignment]
        high = band.up_to
        covered = (min(amount, high) if high is not None else amount) - low
        if covered > 0:
            ratio = band.ratio + (tilt.ratio_points if tilt else 0)
            total += covered * min(ratio, ONE)
    return total


def _critical_illness(work: _Work, ci: CriticalIllness | None, pack: PolicyPack) -> int:
    """大病保险: progressive bands over the year's cumulative qualifying amount."""
    claim = work.claim
    if ci is None or claim.visit_type not in ci.visit_types:
        return 0
    qualifying = work.in_scope_self + (work.class_b_first if ci.include_class_b_first else 0)
    tier = pack.medical.person_categories.get(claim.person_category)
    tilt = ci.relief_tilts.get(tier) if (tier is not None and ci.relief_tilts_enabled) else None
    before = work.counter("ci:qualifying")
    after = before + qualifying
    work.add("ci:qualifying", qualifying)
    work.line(
        "critical_illness", "qualifying", Texts.ci_qualifying(ci, before), qualifying, base=after
    )
    due = round_fraction(_band_total(ci, tilt, after), work.rounding) - round_fraction(
        _band_total(ci, tilt, before), work.rounding
    )
    pay = min(max(due, 0), qualifying, work.in_scope_self + work.class_b_first)
    uncapped = tilt is not None and tilt.uncapped
    if ci.annual_cap is not None and not uncapped:
        # The continuity raise (国办发〔2024〕38号) lifts this person's cap; the fen below the
        # raised cap is the limit (rounded down, so the raise never pays a fraction too much).
        cap = ci.annual_cap + math.floor(ci.annual_cap * claim.ci_cap_raise)
        texts = Texts.ci_over_cap(cap, work.counter("ci:paid"))
        pay = work.within("critical_illness", pay, cap, "ci:paid", texts)
    work.add("ci:paid", pay)
    work.line(
        "critical_illness",
        "paid",
        Texts.ci_paid(ci, tilt, tier, before, after),
        pay,
        base=after,
        payment=True,
    )
    # The payment relieves in-scope self-pay first, then 乙类先行自付 where it qualified.
    from_in_scope = min(pay, work.in_scope_self)
    work.in_scope_self -= from_in_scope
    work.class_b_first -= pay - from_in_scope
    return pay


def _assistance(work: _Work, ma: MedicalAssistance | None) -> int:
    """医疗救助 for a relief category, on the in-scope amount still the person's."""
    claim = work.claim
    if ma is None or claim.visit_type not in ma.visit_types:
        return 0
    rule = ma.categories.get(claim.person_category)
    if rule is None:
        return 0
    remainder = work.in_scope_self
    full = ma.deductible_of(rule, work.rounding)
    met = work.counter("assistance:deductible")
    deductible = min(max(0, full - met), remainder)
    work.add("assistance:deductible", deductible)
    work.line(
        "medical_assistance",
        "deductible",
        Texts.assistance_deductible(full, met, rule),
        deductible,
        base=remainder,
    )
    exact = apply_ratio(remainder - deductible, rule.ratio, work.rounding)
    texts = Texts.assistance_over_limit(rule.annual_limit, work.counter("assistance:paid"))
    pay = work.within("medical_assistance", exact, rule.annual_limit, "assistance:paid", texts)
    work.add("assistance:paid", pay)
    work.line(
        "medical_assistance",
        "paid",
        Texts.assistance_paid(claim.person_category, rule.ratio),
        pay,
        base=remainder - deductible,
        payment=True,
    )
    work.in_scope_self -= pay
    return pay


def _supplementary(work: _Work, pack: PolicyPack, product: Supplementary) -> int:
    """A 惠民保 product: its annual deductible, then shares of the remainders in and out of
    the catalogue, each within its annual limit."""
    claim = work.claim
    if claim.visit_type not in product.visit_types:
        work.line("supplementary", "not_covered", Texts.supplementary_not_covered(product), 0)
        return 0
    key = f"supplementary:{pack.id}"
    inside = work.in_scope_self + work.class_b_first
    outside = work.out_of_scope
    met = work.counter(f"{key}:deductible")
    left = max(0, product.deductible - met)
    d_in = min(left, inside)
    d_out = min(left - d_in, outside)
    work.add(f"{key}:deductible", d_in + d_out)
    work.line(
        "supplementary",
        "deductible",
        Texts.supplementary_deductible(product, met),
        d_in + d_out,
        base=inside + outside,
    )

    def part(name: str, amount: int, ratio: Fraction, limit: int) -> int:
        exact = apply_ratio(amount, ratio, work.rounding)
        room = max(0, limit - work.counter(f"{key}:{name}"))
        pay = min(exact, room)
        work.add(f"{key}:{name}", pay)
        work.line(
            "supplementary",
            name,
            Texts.supplementary_part(product, name, ratio, limit),
            pay,
            base=amount,
            payment=True,
        )
        return pay

    pay_in = part(
        "in_catalogue", inside - d_in, product.in_catalogue.ratio, product.in_catalogue.annual_limit
    )
    pay_out = part(
        "out_of_catalogue",
        outside - d_out,
        product.out_of_catalogue.ratio,
        product.out_of_catalogue.annual_limit,
    )
    # The in-catalogue payment relieves in-scope self-pay first, then 乙类先行自付.
    from_in_scope = min(pay_in, work.in_scope_self)
    work.in_scope_self -= from_in_scope
    work.class_b_first -= pay_in - from_in_scope
    work.out_of_scope -= pay_out
    return pay_in + pay_out
