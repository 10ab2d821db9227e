"""What the packs of each family say, in the public's words: the context builders of the policy
page's own sections (``sections.PolicySection.context``).

Every value comes from the pack as the engine loaded it (the same typed rules the settlement
reads), shown through a ``FigureReader`` so a sample figure is marked as one. Names of things
(hospital levels, visit types, person categories) are the schema's bilingual labels; the pack's
own labels name what it invents (its cap pools, its tiers, its product).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from jingban.engine.codes import HOSPITAL_LEVELS
from jingban.engine.policy import PolicyPack
from jingban.engine.policy.families.contribution import ContributionRules, ContributionTier
from jingban.engine.policy.families.medical import (
    AssistanceRule,
    Band,
    Benefit,
    CapPool,
    ConditionRule,
    Contributions,
    CriticalIllness,
    CrossRegionRule,
    Deductible,
    MedicalAssistance,
    MedicalRules,
    ReliefTilt,
)
from jingban.engine.policy.families.supplementary import Supplementary, SupplementaryPart
from jingban.engine.policy.meta import (
    CONDITION_LABELS,
    HOSPITAL_LEVEL_LABELS,
    PERSON_CATEGORY_LABELS,
    RELIEF_CATEGORY_LABELS,
    TIER_LABELS,
    VISIT_TYPE_LABELS,
)
from jingban.engine.policy.scheme import field_node
from jingban.public.figures import FigureReader, Shown


@dataclass(frozen=True)
class Row:
    """A labelled value (起付线: ¥50)."""

    label: str
    value: Shown
    # A second value beside it (a cap pool's amount beside its name …).
    detail: Shown | None = None


@dataclass(frozen=True)
class LevelRow:
    """One hospital level of a benefit paid by level."""

    level: str
    deductible: Shown | None
    repeat: Shown | None
    ratio: Shown | None


@dataclass
class BenefitView:
    key: str
    label: str
    rows: list[Row] = field(default_factory=list)
    levels: list[LevelRow] = field(default_factory=list)
    conditions: list[Row] = field(default_factory=list)
    caps: list[Row] = field(default_factory=list)
    points: list[Row] = field(default_factory=list)

    @property
    def has_deductible_by_level(self) -> bool:
        return any(row.deductible is not None for row in self.levels)

    @property
    def has_repeat(self) -> bool:
        return any(row.repeat is not None for row in self.levels)

    @property
    def has_ratio_by_level(self) -> bool:
        return any(row.ratio is not None for row in self.levels)


@dataclass(frozen=True)
class BandRow:
    number: int
    above: Shown
    up_to: Shown | None
    ratio: Shown


@dataclass(frozen=True)
class TiltRow:
    tier: str
    threshold: Shown
    points: Shown
    uncapped: Shown


@dataclass(frozen=True)
class AssistanceRow:
    category: str
    deductible: Shown
    deductible_share: Shown | None
    ratio: Shown
    annual_limit: Shown


# --- The medical family -------------------------------------------------------------------


def medical_context(pack: PolicyPack, reader: FigureReader) -> Mapping[str, object]:
    """Basic benefits by visit type and hospital level, the annual caps, treatment elsewhere,
    critical illness insurance and medical assistance."""
    rules = pack.medical
    return {
        "labels": _medical_labels(reader),
        "benefits": [
            _benefit(reader, visit.value, b, rules) for visit, b in rules.benefits.items()
        ],
        "caps": [
            Row(cap.label.get(reader.language), reader.money(f"caps.{key}.amount", cap.amount))
            for key, cap in rules.caps.items()
        ],
        "class_b_first_rate": Row(
            reader.label(MedicalRules, "class_b_first_rate"),
            reader.ratio("class_b_first_rate", rules.class_b_first_rate),
        ),
        "cross_region": [
            _cross_region(reader, key.value, r) for key, r in rules.cross_region.items()
        ],
        "critical_illness": _critical_illness(reader, rules.critical_illness),
        "assistance": _assistance(reader, pack, rules.medical_assistance),
        "layout_one_contributions": _layout_one_contributions(reader, rules.contributions),
    }


def _medical_labels(reader: FigureReader) -> dict[str, str]:
    return {
        "deductible": reader.label(Deductible, "amount"),
        "repeat": reader.label(Deductible, "repeat_by_level"),
        "ratio": reader.label(Benefit, "ratio"),
        "cap_amount": reader.label(CapPool, "amount"),
        "ratio_factor": reader.label(CrossRegionRule, "ratio_factor"),
        "ratio_factor_help": _help(CrossRegionRule, "ratio_factor", reader.language),
        "points_off": reader.label(CrossRegionRule, "ratio_points_off"),
        "band_ratio": reader.label(Band, "ratio"),
        "ci_cap": reader.label(CriticalIllness, "annual_cap"),
        "ci_visits": reader.label(CriticalIllness, "visit_types"),
        "ci_class_b": reader.label(CriticalIllness, "include_class_b_first"),
        "tilts": reader.label(CriticalIllness, "relief_tilts"),
        "tilt_threshold": reader.label(ReliefTilt, "threshold_factor"),
        "tilt_points": reader.label(ReliefTilt, "ratio_points"),
        "tilt_uncapped": reader.label(ReliefTilt, "uncapped"),
        "reference_income": reader.label(MedicalAssistance, "reference_income"),
        "assistance_visits": reader.label(MedicalAssistance, "visit_types"),
        "assistance_deductible": reader.label(AssistanceRule, "deductible"),
        "assistance_ratio": reader.label(AssistanceRule, "ratio"),
        "assistance_limit": reader.label(AssistanceRule, "annual_limit"),
        "condition_ratio": reader.label(ConditionRule, "ratio"),
        "condition_cap": reader.label(ConditionRule, "cap"),
    }


def _help(model: type[BaseModel], name: str, language: str) -> str:
    node = field_node(model, name)
    return node.label.help(language) if node is not None and node.label is not None else ""


def _deductible_rows(reader: FigureReader, base: str, deductible: Deductible) -> list[Row]:
    basis = reader.shown(
        f"{base}.basis",
        reader.text(
            {"per_visit": ("按次", "Per visit"), "per_year": ("按年度", "Per year")}[
                deductible.basis
            ]
        ),
    )
    rows = [Row(reader.label(Deductible, "basis"), basis)]
    if deductible.amount is not None:
        rows.insert(
            0,
            Row(
                reader.label(Deductible, "amount"),
                reader.money(f"{base}.amount", deductible.amount),
            ),
        )
    return rows


def _benefit(reader: FigureReader, key: str, benefit: Benefit, rules: MedicalRules) -> BenefitView:
    base = f"benefits.{key}"
    view = BenefitView(key, benefit.label.get(reader.language))
    deductible = benefit.deductible
    if deductible is not None:
        view.rows.extend(_deductible_rows(reader, f"{base}.deductible", deductible))
    if benefit.ratio is not None:
        view.rows.append(
            Row(reader.label(Benefit, "ratio"), reader.ratio(f"{base}.ratio", benefit.ratio))
        )
    if benefit.lump_sum is not None:
        view.rows.append(
            Row(
                reader.label(Benefit, "lump_sum"),
                reader.money(f"{base}.lump_sum", benefit.lump_sum),
            )
        )
    by_level = deductible.by_level if deductible is not None else None
    repeat = deductible.repeat_by_level if deductible is not None else None
    if by_level is not None or benefit.ratio_by_level is not None:
        for level in HOSPITAL_LEVELS:
            view.levels.append(
                LevelRow(
                    reader.text(HOSPITAL_LEVEL_LABELS[level]),
                    reader.money(f"{base}.deductible.by_level.{level}", by_level[level])  # type: ignore[index]
                    if by_level is not None
                    else None,
                    reader.money(f"{base}.deductible.repeat_by_level.{level}", repeat[level])  # type: ignore[index]
                    if repeat is not None
                    else None,
                    reader.ratio(f"{base}.ratio_by_level.{level}", benefit.ratio_by_level[level])  # type: ignore[index]
                    if benefit.ratio_by_level is not None
                    else None,
                )
            )
    for condition, rule in (benefit.conditions or {}).items():
        cap = rules.caps[rule.cap]
        view.conditions.append(
            Row(
                reader.text(CONDITION_LABELS[condition]),
                reader.ratio(f"{base}.conditions.{condition.value}.ratio", rule.ratio),
                reader.money(f"caps.{rule.cap}.amount", cap.amount),
            )
        )
    for pool in benefit.caps:
        cap = rules.caps[pool]
        view.caps.append(
            Row(cap.label.get(reader.language), reader.money(f"caps.{pool}.amount", cap.amount))
        )
    for category, points in benefit.category_points.items():
        label = PERSON_CATEGORY_LABELS.get(category)
        view.points.append(
            Row(
                reader.text(label) if label else category,
                reader.ratio(f"{base}.category_points.{category}", points),
            )
        )
    return view


def _cross_region(reader: FigureReader, key: str, rule: CrossRegionRule) -> Row:
    base = f"cross_region.{key}"
    points = (
        reader.ratio(f"{base}.ratio_points_off", rule.ratio_points_off)
        if rule.ratio_points_off
        else None
    )
    return Row(
        rule.label.get(reader.language),
        reader.ratio(f"{base}.ratio_factor", rule.ratio_factor),
        points,
    )


def _critical_illness(
    reader: FigureReader, rules: CriticalIllness | None
) -> Mapping[str, object] | None:
    if rules is None:
        return None
    bands = [
        BandRow(
            number,
            reader.money(f"critical_illness.bands.{number - 1}.above", band.above),
            reader.money(f"critical_illness.bands.{number - 1}.up_to", band.up_to)
            if band.up_to is not None
            else None,
            reader.ratio(f"critical_illness.bands.{number - 1}.ratio", band.ratio),
        )
        for number, band in enumerate(rules.bands, start=1)
    ]
    tilts = [
        TiltRow(
            reader.text(TIER_LABELS[tier]),
            reader.ratio(
                f"critical_illness.relief_tilts.{tier.value}.threshold_factor",
                tilt.threshold_factor,
            ),
            reader.ratio(
                f"critical_illness.relief_tilts.{tier.value}.ratio_points", tilt.ratio_points
            ),
            reader.yes_no(f"critical_illness.relief_tilts.{tier.value}.uncapped", tilt.uncapped),
        )
        for tier, tilt in rules.relief_tilts.items()
    ]
    return {
        "label": rules.label.get(reader.language),
        "bands": bands,
        "annual_cap": reader.money("critical_illness.annual_cap", rules.annual_cap)
        if rules.annual_cap is not None
        else None,
        "visit_types": reader.choices(
            "critical_illness.visit_types", rules.visit_types, VISIT_TYPE_LABELS
        ),
        "class_b": reader.yes_no(
            "critical_illness.include_class_b_first", rules.include_class_b_first
        ),
        "tilts": tilts if rules.relief_tilts_enabled else [],
    }


def _assistance(
    reader: FigureReader, pack: PolicyPack, rules: MedicalAssistance | None
) -> Mapping[str, object] | None:
    if rules is None:
        return None
    rows = []
    for category, rule in rules.categories.items():
        base = f"medical_assistance.categories.{category}"
        # The amount the engine uses: a share of last year's income is worked out as it does.
        amount = rules.deductible_of(rule, pack.rules.rounding)
        if rule.deductible_share is not None:
            deductible = reader.money(f"{base}.deductible_share", amount)
            share = reader.ratio(f"{base}.deductible_share", rule.deductible_share)
        else:
            deductible = reader.money(f"{base}.deductible", amount)
            share = None
        label = RELIEF_CATEGORY_LABELS.get(category)
        rows.append(
            AssistanceRow(
                reader.text(label) if label else category,
                deductible,
                share,
                reader.ratio(f"{base}.ratio", rule.ratio),
                reader.money(f"{base}.annual_limit", rule.annual_limit),
            )
        )
    return {
        "label": rules.label.get(reader.language),
        "reference_income": reader.money(
            "medical_assistance.reference_income", rules.reference_income
        ),
        "visit_types": reader.choices(
            "medical_assistance.visit_types", rules.visit_types, VISIT_TYPE_LABELS
        ),
        "categories": rows,
    }


def _layout_one_contributions(reader: FigureReader, rules: Contributions | None) -> list[Row]:
    """The contributions a medical pack of layout 1 still carries (from layout 2 on they are a
    pack of the contribution family)."""
    if rules is None:
        return []
    names = {"tier_1": ("一档", "Tier 1"), "tier_2": ("二档", "Tier 2")}
    rows = [
        Row(
            reader.text(names.get(key, (key, key))),
            reader.money(f"contributions.tiers.{key}", amount),
        )
        for key, amount in rules.tiers.items()
    ]
    if rules.fiscal_subsidy is not None:
        rows.append(
            Row(
                reader.label(Contributions, "fiscal_subsidy"),
                reader.money("contributions.fiscal_subsidy", rules.fiscal_subsidy),
            )
        )
    return rows


# --- The contribution family --------------------------------------------------------------


def contribution_context(pack: PolicyPack, reader: FigureReader) -> Mapping[str, object]:
    """The tiers of the personal contribution and the fiscal subsidy, per person and year."""
    rules = pack.contribution
    return {
        "labels": {
            "tier": reader.label(ContributionTier, "label"),
            "amount": reader.label(ContributionTier, "amount"),
            "subsidy": reader.label(ContributionRules, "fiscal_subsidy"),
        },
        "tiers": [
            Row(tier.label.get(reader.language), reader.money(f"tiers.{key}.amount", tier.amount))
            for key, tier in rules.tiers.items()
        ],
        "subsidy": reader.money("fiscal_subsidy", rules.fiscal_subsidy),
    }


# --- The supplementary family -------------------------------------------------------------


def _part(reader: FigureReader, base: str, part: SupplementaryPart) -> tuple[Shown, Shown]:
    return reader.ratio(f"{base}.ratio", part.ratio), reader.money(
        f"{base}.annual_limit", part.annual_limit
    )


def supplementary_context(pack: PolicyPack, reader: FigureReader) -> Mapping[str, object]:
    """One 惠民保 product: premium, deductible, the shares paid inside and outside the catalogue
    with their limits, the visits covered and who may join."""
    product = pack.supplementary.supplementary
    in_ratio, in_limit = _part(reader, "supplementary.in_catalogue", product.in_catalogue)
    out_ratio, out_limit = _part(reader, "supplementary.out_of_catalogue", product.out_of_catalogue)
    return {
        "label": product.label.get(reader.language),
        "labels": {
            "premium": reader.label(Supplementary, "premium"),
            "deductible": reader.label(Supplementary, "deductible"),
            "visit_types": reader.label(Supplementary, "visit_types"),
            "in_catalogue": reader.label(Supplementary, "in_catalogue"),
            "out_of_catalogue": reader.label(Supplementary, "out_of_catalogue"),
            "ratio": reader.label(SupplementaryPart, "ratio"),
            "annual_limit": reader.label(SupplementaryPart, "annual_limit"),
            "age_limit": reader.label(Supplementary, "age_limit"),
            "pre_existing": reader.label(Supplementary, "pre_existing_condition_limit"),
        },
        "premium": reader.money("supplementary.premium", product.premium),
        "deductible": reader.money("supplementary.deductible", product.deductible),
        "visit_types": reader.choices(
            "supplementary.visit_types", product.visit_types, VISIT_TYPE_LABELS
        ),
        "parts": [
            Row(reader.label(Supplementary, "in_catalogue"), in_ratio, in_limit),
            Row(reader.label(Supplementary, "out_of_catalogue"), out_ratio, out_limit),
        ],
        "age_limit": reader.yes_no("supplementary.age_limit", product.age_limit),
        "pre_existing": reader.yes_no(
            "supplementary.pre_existing_condition_limit", product.pre_existing_condition_limit
        ),
    }


__all__ = [
    "AssistanceRow",
    "BandRow",
    "BenefitView",
    "LevelRow",
    "Row",
    "TiltRow",
    "contribution_context",
    "medical_context",
    "supplementary_context",
]
