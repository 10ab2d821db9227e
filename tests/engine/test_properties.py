"""Properties of the medical cascade that hold for every claim and every sequence of claims.

Claims are generated over every visit type, condition, hospital level, person category and
cross-region status, with amounts from nothing to a few million yuan, and settled against the
shipped public pack (alone and with 江苏医惠保1号 stacked on it) and against variants of it:
relief tilts off, other rounding rules, and caps so small that they bite on ordinary bills.
No database: the engine is plain Python.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import cache
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jingban.engine.codes import (
    HOSPITAL_LEVELS,
    PERSON_CATEGORIES,
    Condition,
    CrossRegion,
    VisitType,
)
from jingban.engine.medical import LAYERS, Adjudication, Claim, YearToDate, adjudicate
from jingban.engine.money import Rounding
from jingban.engine.policy import PackKind, PolicyPack, load_pack_text, shipped_registry

PROPERTY_SETTINGS = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

PERSON = "p-1"
YEAR = 2025

# Every amount a layer field of the result carries, by layer.
LAYER_FIELDS = {
    "basic": "basic_fund",
    "critical_illness": "critical_illness",
    "medical_assistance": "medical_assistance",
    "supplementary": "supplementary",
    "out_of_pocket": "out_of_pocket",
}


# Packs ----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Variant:
    """Which changes to the shipped packs a case runs against."""

    rounding: Rounding = Rounding.HALF_UP
    tilts: bool = True
    tiny_caps: bool = False
    stacked: bool = False

    @property
    def shipped(self) -> bool:
        return self.rounding is Rounding.HALF_UP and self.tilts and not self.tiny_caps


def _reload(pack: PolicyPack, change: Callable[[dict[str, Any]], None]) -> PolicyPack:
    data = yaml.safe_load(pack.text)
    change(data)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return load_pack_text(text, source=f"{pack.id} (test variant)")


def _shipped(pack_id: str) -> PolicyPack:
    return shipped_registry().get(pack_id)


def _change_public(variant: Variant, *, no_basic: bool) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["rounding"] = variant.rounding.value
        data["critical_illness"]["relief_tilts_enabled"] = variant.tilts
        if variant.tiny_caps:
            # Odd figures, so a cap is rarely a round share of a bill.
            for index, pool in enumerate(data["caps"].values()):
                pool["amount"] = f"{37 + 41 * index}.57"
            data["critical_illness"]["annual_cap"] = "1234.56"
            for index, rule in enumerate(data["medical_assistance"]["categories"].values()):
                rule["annual_limit"] = f"{211 + 13 * index}.03"
        if no_basic:
            # Basic insurance pays nothing on an inpatient stay: the whole in-scope amount
            # qualifies for critical illness.
            inpatient = data["benefits"]["inpatient"]
            inpatient["ratio_by_level"] = dict.fromkeys(HOSPITAL_LEVELS, 0)
            inpatient.pop("category_points", None)
            inpatient["deductible"]["by_level"] = dict.fromkeys(HOSPITAL_LEVELS, 0)
            inpatient["deductible"]["repeat_by_level"] = dict.fromkeys(HOSPITAL_LEVELS, 0)

    return change


def _change_supplementary(data: dict[str, Any]) -> None:
    product = data["supplementary"]
    product["deductible"] = "150.50"
    product["in_catalogue"]["annual_limit"] = "777.77"
    product["out_of_catalogue"]["annual_limit"] = "333.33"


@cache
def packs_for(variant: Variant, *, no_basic: bool = False) -> tuple[PolicyPack, ...]:
    public = _shipped("sample-resident-2025")
    if not variant.shipped or no_basic:
        public = _reload(public, _change_public(variant, no_basic=no_basic))
    if not variant.stacked:
        return (public,)
    extra = _shipped("jiangsu-yihuibao-2021")
    if variant.tiny_caps:
        extra = _reload(extra, _change_supplementary)
    return (public, extra)


def public_of(packs: Sequence[PolicyPack]) -> PolicyPack:
    return next(p for p in packs if p.kind is PackKind.PUBLIC)


def supplementary_of(packs: Sequence[PolicyPack]) -> list[PolicyPack]:
    return [p for p in packs if p.kind is PackKind.SUPPLEMENTARY]


variants = st.builds(
    Variant,
    rounding=st.sampled_from(list(Rounding)),
    tilts=st.booleans(),
    tiny_caps=st.booleans(),
    stacked=st.booleans(),
)


# Claims ---------------------------------------------------------------------------------------

# Fen, from nothing to five million yuan, spread over the orders of magnitude (a plain
# ``st.integers`` favours small values, and a bill must reach tens of thousands of yuan before
# critical illness insurance pays).
RANGES = [
    (0, 10_000),
    (10_000, 200_000),
    (200_000, 2_000_000),
    (2_000_000, 20_000_000),
    (20_000_000, 500_000_000),
]
amounts = st.sampled_from(RANGES).flatmap(lambda edges: st.integers(*edges))


@st.composite
def claims(
    draw: st.DrawFn,
    *,
    category: str | None = None,
    number: int = 0,
    visits: Sequence[VisitType] = tuple(VisitType),
) -> Claim:
    visit = draw(st.sampled_from(visits))
    if visit is VisitType.OUTPATIENT_TWO_DISEASES:
        condition: Condition | None = draw(st.sampled_from(list(Condition)))
    else:
        condition = draw(st.none() | st.sampled_from(list(Condition)))
    total = draw(amounts)
    out_of_scope = draw(st.just(0) | st.integers(0, total))
    class_b = draw(st.just(0) | st.integers(0, total - out_of_scope))
    settled = draw(st.dates(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)))
    if draw(st.booleans()):
        # An admission may begin the year before; the discharge date decides the year.
        discharge: dt.date | None = settled
        service = settled - dt.timedelta(days=draw(st.integers(0, 60)))
    else:
        discharge, service = None, settled
    return Claim(
        claim_id=f"c-{number}",
        person_id=PERSON,
        visit_type=visit,
        hospital_level=draw(st.sampled_from(HOSPITAL_LEVELS)),
        service_date=service,
        total=total,
        out_of_scope=out_of_scope,
        class_b=class_b,
        discharge_date=discharge,
        condition=condition,
        person_category=category or draw(st.sampled_from(PERSON_CATEGORIES)),
        cross_region=draw(st.sampled_from(list(CrossRegion))),
    )


@st.composite
def sequences(
    draw: st.DrawFn,
    *,
    min_size: int = 1,
    max_size: int = 8,
    visits: Sequence[VisitType] = tuple(VisitType),
) -> list[Claim]:
    """Claims of one person in one year, all of one person category."""
    category = draw(st.sampled_from(PERSON_CATEGORIES))
    size = draw(st.integers(min_size, max_size))
    return [draw(claims(category=category, number=index, visits=visits)) for index in range(size)]


def settle(
    sequence: Sequence[Claim], packs: Sequence[PolicyPack], ytd: YearToDate | None = None
) -> list[Adjudication]:
    """Settle claims one after the other, carrying the accumulators."""
    ytd = ytd or YearToDate(PERSON, YEAR)
    results = []
    for claim in sequence:
        result = adjudicate(claim, packs, ytd)
        assert result.before == ytd
        ytd = result.after
        results.append(result)
    return results


# Checks ---------------------------------------------------------------------------------------


def check_one(result: Adjudication) -> None:
    """Conservation to the fen and no negative amount, on one result."""
    claim = result.claim
    layers = (
        result.basic_fund,
        result.critical_illness,
        result.medical_assistance,
        result.supplementary,
        result.out_of_pocket,
    )
    assert sum(layers) == claim.total, (layers, claim)
    assert min(layers) >= 0, (layers, claim)
    payments = [line for line in result.lines if line.payment]
    assert sum(line.amount for line in payments) == claim.total
    for line in result.lines:
        assert line.layer in LAYERS
        assert line.amount >= 0, line
        assert line.base is None or line.base >= 0, line
    for layer, name in LAYER_FIELDS.items():
        paid = sum(line.amount for line in payments if line.layer == layer)
        assert paid == getattr(result, name), (layer, paid, result)


def pools_of(pack: PolicyPack, claim: Claim) -> tuple[str, ...]:
    benefit = pack.rules.benefits[claim.visit_type]
    if benefit.conditions is not None:
        assert claim.condition is not None
        return (benefit.conditions[claim.condition].cap,)
    return benefit.caps


def ci_uncapped(pack: PolicyPack, category: str) -> bool:
    ci = pack.rules.critical_illness
    assert ci is not None
    tier = pack.rules.person_categories.get(category)
    tilt = ci.relief_tilts.get(tier) if tier is not None and ci.relief_tilts_enabled else None
    return tilt is not None and tilt.uncapped


def qualifying_of(result: Adjudication) -> int:
    return sum(
        line.amount
        for line in result.lines
        if line.layer == "critical_illness" and line.code == "qualifying"
    )


def band_due(pack: PolicyPack, category: str, cumulative: int) -> int:
    """Critical illness due on an annual cumulative qualifying amount, worked out here from the
    pack's bands: each band's ratio on the part of the amount inside it, rounded once."""
    rules = pack.rules
    ci = rules.critical_illness
    assert ci is not None
    tier = rules.person_categories.get(category)
    tilt = ci.relief_tilts.get(tier) if tier is not None and ci.relief_tilts_enabled else None
    exact = Fraction(0)
    for index, band in enumerate(ci.bands):
        low = Fraction(band.above)
        ratio = band.ratio
        if tilt is not None:
            ratio = min(ratio + tilt.ratio_points, Fraction(1))
            if index == 0:
                low *= tilt.threshold_factor
        high = cumulative if band.up_to is None else min(cumulative, band.up_to)
        if high > low:
            exact += (high - low) * ratio
    if rules.rounding is Rounding.DOWN:
        return int(exact)  # exact ≥ 0: truncation is the floor
    if rules.rounding is Rounding.HALF_EVEN:
        return round(exact)  # Fraction.__round__ sends a tie to the even integer
    return int(exact + Fraction(1, 2))


# Properties -----------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(variant=variants, claim=claims())
def test_one_claim_is_conserved_to_the_fen_and_never_negative(
    variant: Variant, claim: Claim
) -> None:
    result = adjudicate(claim, packs_for(variant))
    check_one(result)
    assert result.before == YearToDate(PERSON, YEAR)
    assert result.packs == tuple(p.ref for p in packs_for(variant))


@PROPERTY_SETTINGS
@given(variant=variants, sequence=sequences())
def test_caps_and_limits_hold_over_any_sequence(variant: Variant, sequence: list[Claim]) -> None:
    packs = packs_for(variant)
    pack = public_of(packs)
    rules = pack.rules
    results = settle(sequence, packs)
    for result in results:
        check_one(result)
    after = results[-1].after
    category = sequence[0].person_category

    # Basic insurance: every cap pool, and what each pool has paid.
    for pool, cap in rules.caps.items():
        drawn = sum(r.basic_fund for r in results if pool in pools_of(pack, r.claim))
        assert after.get(f"cap:{pool}") == drawn, pool
        assert drawn <= cap.amount, (pool, drawn, cap.amount)

    # Critical illness: the annual cap, except for a relief tier the pack leaves uncapped.
    ci = rules.critical_illness
    assert ci is not None
    ci_paid = sum(r.critical_illness for r in results)
    assert after.get("ci:paid") == ci_paid
    assert after.get("ci:qualifying") == sum(qualifying_of(r) for r in results)
    if ci.annual_cap is not None and not ci_uncapped(pack, category):
        assert ci_paid <= ci.annual_cap, (ci_paid, ci.annual_cap)

    # Medical assistance: the category's annual limit (none for a category without a rule).
    assistance = sum(r.medical_assistance for r in results)
    assert after.get("assistance:paid") == assistance
    ma = rules.medical_assistance
    assert ma is not None
    rule = ma.categories.get(category)
    assert assistance <= (rule.annual_limit if rule is not None else 0)
    if rule is not None:
        assert after.get("assistance:deductible") <= ma.deductible_of(rule, rules.rounding)

    # Supplementary: each part within its annual limit; the deductible met at most once.
    supplementary = sum(r.supplementary for r in results)
    extras = supplementary_of(packs)
    assert supplementary == 0 or extras
    from_parts = 0
    for extra in extras:
        product = extra.rules.supplementary
        assert product is not None
        key = f"supplementary:{extra.id}"
        for name, part in (
            ("in_catalogue", product.in_catalogue),
            ("out_of_catalogue", product.out_of_catalogue),
        ):
            used = after.get(f"{key}:{name}")
            paid = sum(
                line.amount
                for r in results
                for line in r.lines
                if line.layer == "supplementary" and line.code == name
            )
            assert used == paid, name
            assert used <= part.annual_limit, (name, used, part.annual_limit)
            from_parts += used
        assert after.get(f"{key}:deductible") <= product.deductible
    assert from_parts == supplementary


# Mostly the visits critical illness insurance covers, so the bands and their edges are reached.
CI_VISITS = (
    VisitType.INPATIENT,
    VisitType.INPATIENT,
    VisitType.OUTPATIENT_CHRONIC,
    VisitType.OUTPATIENT_DIALYSIS,
    VisitType.ACCIDENT_OUTPATIENT,
)


@PROPERTY_SETTINGS
@given(variant=variants, sequence=sequences(visits=CI_VISITS))
def test_critical_illness_over_a_sequence_is_paid_as_on_one_claim(
    variant: Variant, sequence: list[Claim]
) -> None:
    packs = packs_for(variant)
    pack = public_of(packs)
    category = sequence[0].person_category
    results = settle(sequence, packs)
    paid = sum(r.critical_illness for r in results)
    qualifying = sum(qualifying_of(r) for r in results)

    # Worked out from the bands on the cumulative amount, then the annual cap.
    ci = pack.rules.critical_illness
    assert ci is not None
    expected = band_due(pack, category, qualifying)
    if ci.annual_cap is not None and not ci_uncapped(pack, category):
        expected = min(expected, ci.annual_cap)
    assert paid == expected, (paid, expected, qualifying)

    # The engine itself on a single stay whose whole bill qualifies.
    single = Claim(
        claim_id="one",
        person_id=PERSON,
        visit_type=VisitType.INPATIENT,
        hospital_level=3,
        service_date=dt.date(YEAR, 6, 1),
        total=qualifying,
        person_category=category,
    )
    one = adjudicate(single, packs_for(variant, no_basic=True))
    assert one.basic_fund == 0
    assert qualifying_of(one) == qualifying
    assert one.critical_illness == paid


@PROPERTY_SETTINGS
@given(
    variant=variants,
    earlier=sequences(min_size=0, max_size=4),
    claim=claims(number=99),
    extra=st.one_of(st.integers(1, 10_000), st.integers(1, 50_000_000)),
)
def test_a_larger_bill_never_lowers_the_fund_or_the_out_of_pocket(
    variant: Variant, earlier: list[Claim], claim: Claim, extra: int
) -> None:
    packs = packs_for(variant)
    history = settle(earlier, packs)
    ytd = history[-1].after if history else None
    smaller = adjudicate(claim, packs, ytd)
    larger = adjudicate(dataclasses.replace(claim, total=claim.total + extra), packs, ytd)
    check_one(larger)
    assert larger.basic_fund >= smaller.basic_fund, (smaller.basic_fund, larger.basic_fund)
    assert larger.out_of_pocket >= smaller.out_of_pocket, (
        smaller.out_of_pocket,
        larger.out_of_pocket,
    )


def test_the_variants_differ_from_the_shipped_pack_where_intended() -> None:
    """The generated variants really change what they claim to change (so the properties above
    do run against tilts off, other rounding rules and caps that bite)."""
    shipped = packs_for(Variant())[0]
    assert shipped is _shipped("sample-resident-2025")
    down = public_of(packs_for(Variant(rounding=Rounding.DOWN, tilts=False)))
    assert down.rules.rounding is Rounding.DOWN
    assert down.rules.critical_illness is not None
    assert down.rules.critical_illness.relief_tilts_enabled is False
    tiny = packs_for(Variant(tiny_caps=True, stacked=True))
    assert tiny[0].rules.caps["pooled"].amount == 3757
    assert tiny[0].rules.critical_illness is not None
    assert tiny[0].rules.critical_illness.annual_cap == 123456
    product = tiny[1].rules.supplementary
    assert product is not None
    assert (product.deductible, product.in_catalogue.annual_limit) == (15050, 77777)

    # An inpatient stay of 10,000 yuan at a level-3 hospital: the pooled cap of 37.57
    # yuan bites, and the carried accumulators refuse any more.
    stay = Claim("c", PERSON, VisitType.INPATIENT, 3, dt.date(YEAR, 5, 1), 1_000_000)
    first, second = settle([stay, dataclasses.replace(stay, claim_id="d")], tiny)
    assert first.basic_fund == 3757
    assert second.basic_fund == 0
    assert any(line.code == "over_cap" for line in second.lines)
