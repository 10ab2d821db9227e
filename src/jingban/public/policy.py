"""The policy page's answer: the packs in force for a region, a scheme and a day, explained.

The packs are the approved versions in the database (``packs.queries.approved_registry``, each
re-loaded and checked against its stored hash), found with the engine's own rule
(``PackRegistry.in_force``: the region or the nearest region above it, the latest start, then the
latest version). So the page shows exactly the figures the settlement engine uses on that day.

Approved versions never change (a database trigger refuses it), so the loaded registry is kept
per process and re-loaded only when the set of approved versions differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from jingban.core import plugins
from jingban.core.models import Organisation, OrganisationKind, Region, RegionLevel, Scheme
from jingban.engine.policy import Family, PackRegistry, PolicyPack, UnknownPack, region_ancestry
from jingban.packs.models import NATIONWIDE
from jingban.packs.queries import current_registry
from jingban.public.figures import FigureReader
from jingban.public.sections import PolicySection, policy_sections

# The regions a visitor may choose: the levels a pack is written for (six-digit codes).
POLICY_REGION_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)


def registry() -> PackRegistry:
    """Every approved version, loaded once per process for as long as the set stays the same.
    Raises ``PackTampered`` (a ``PackError``) when a stored text no longer matches its hash."""
    return current_registry()


# --- What a visitor may ask ---------------------------------------------------------------


def policy_regions() -> list[Region]:
    return list(Region.objects.filter(level__in=POLICY_REGION_LEVELS).order_by("path"))


def policy_schemes() -> list[Scheme]:
    """The schemes a visitor may choose: those with rules of their own. A scheme only a
    companion section explains (a 惠民保 product) and critical illness insurance (a layer of the
    medical rules) are explained beside the basic scheme instead."""
    companions = {s.family for s in policy_sections() if s.companion}
    kinds_shown_beside = {"critical_illness"}
    if Family.SUPPLEMENTARY.value in companions:
        kinds_shown_beside.add("supplementary")
    return list(Scheme.objects.exclude(kind__in=kinds_shown_beside).order_by("code"))


def default_region() -> Region | None:
    """The region of the bureau this installation serves: the bureau whose region holds the
    most organisations (the one with the lowest code on a tie); any city without a bureau."""
    bureaus = list(
        Organisation.objects.filter(kind=OrganisationKind.BUREAU)
        .select_related("region")
        .order_by("region__code")
    )
    if bureaus:

        def weight(bureau: Organisation) -> int:
            return Organisation.objects.filter(region__path__startswith=bureau.region.path).count()

        best = max(bureaus, key=lambda b: (weight(b), -bureaus.index(b)))
        if best.region.level in POLICY_REGION_LEVELS:
            return best.region
    return (
        Region.objects.filter(level=RegionLevel.CITY)
        .annotate(n=Count("organisations"))
        .order_by("-n", "code")
        .first()
    )


DEFAULT_SCHEME = "resident_medical"


def default_scheme() -> Scheme | None:
    schemes = policy_schemes()
    return next((s for s in schemes if s.code == DEFAULT_SCHEME), schemes[0] if schemes else None)


# --- The answer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PackFacts:
    """What the page says of the pack a section explains: its title, version, period and the
    region it was written for."""

    title: str
    version: int
    start: dt.date
    end: dt.date
    region: str
    sample_figures: int
    # The period itself may be a sample (a product's end kept open until its terms are known).
    period_sample: bool = False

    @classmethod
    def of(cls, pack: PolicyPack, language: str) -> PackFacts:
        rules = pack.rules
        return cls(
            title=rules.title.get(language),
            version=pack.version,
            start=rules.effective.start,
            end=rules.effective.end,
            region=region_name(rules.region),
            sample_figures=len(pack.samples),
            period_sample=any(f.path.startswith("effective") for f in pack.samples),
        )


@dataclass(frozen=True)
class Explained:
    """One pack explained by its section."""

    facts: PackFacts
    explained: Mapping[str, object]
    template: str


@dataclass(frozen=True)
class Period:
    """A period for which the scheme has rules of the family, with the day to ask for it."""

    start: dt.date
    end: dt.date
    day: dt.date


@dataclass
class SectionAnswer:
    section: PolicySection
    packs: list[Explained] = field(default_factory=list)
    # No pack in force on the day, but the scheme has rules of this family for these periods.
    other_periods: list[Period] = field(default_factory=list)


@dataclass
class PolicyAnswer:
    region: Region
    scheme: Scheme
    day: dt.date
    sections: list[SectionAnswer]

    @property
    def published(self) -> bool:
        """Whether the scheme has rules for the region at all (on any day)."""
        return any(not s.section.companion for s in self.sections)

    @property
    def in_force(self) -> bool:
        """Whether some rules of the scheme itself are in force on the day."""
        return any(s.packs for s in self.sections if not s.section.companion)

    @property
    def other_periods(self) -> list[Period]:
        seen: dict[tuple[dt.date, dt.date], Period] = {}
        for answer in self.sections:
            for period in answer.other_periods:
                seen.setdefault((period.start, period.end), period)
        return sorted(seen.values(), key=lambda p: p.start)

    @property
    def has_samples(self) -> bool:
        return any(p.facts.sample_figures for s in self.sections for p in s.packs)


def region_name(code: str) -> str:
    if code == NATIONWIDE:
        return _("Nationwide")
    name = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return name or code


def _written_for(packs: PackRegistry, region: str, scheme: str, family: str) -> list[PolicyPack]:
    """The packs of the family for the scheme from the nearest region (of ``region`` and those
    above it) that has any: the ones ``in_force`` chooses among, whatever the day."""
    for code in region_ancestry(region):
        found = [
            pack
            for pack in packs.all()
            if pack.rules.region == code and pack.rules.scheme == scheme and pack.family == family
        ]
        if found:
            return found
    return []


def _periods(packs: list[PolicyPack], day: dt.date) -> list[Period]:
    periods = {(p.rules.effective.start, p.rules.effective.end) for p in packs}
    # A past period is asked for on its last day, a future one on its first.
    return [
        Period(start, end, end if end < day else start)
        for start, end in sorted(periods)
        if not start <= day <= end
    ]


def _explain(section: PolicySection, pack: PolicyPack, language: str) -> Explained:
    build = plugins.load(section.context)
    return Explained(
        PackFacts.of(pack, language), build(pack, FigureReader(pack, language)), section.template
    )


def answer(region: Region, scheme: Scheme, day: dt.date, language: str) -> PolicyAnswer:
    """The sections of the page for ``scheme`` in ``region`` on ``day``."""
    packs = registry()
    sections: list[SectionAnswer] = []
    for section in policy_sections():
        if section.family not in {f.value for f in Family}:
            continue  # a family this engine does not know yet
        family = Family(section.family)
        if section.companion:
            if scheme.kind not in section.accompanies:
                continue
            found = _companions(packs, region.code, day, family)
            if found:
                explained = [_explain(section, p, language) for p in found]
                sections.append(SectionAnswer(section, explained))
            continue
        written = _written_for(packs, region.code, scheme.code, family)
        if not written:
            continue
        try:
            pack = packs.in_force(region.code, scheme.code, day, family)
        except UnknownPack:
            sections.append(SectionAnswer(section, other_periods=_periods(written, day)))
            continue
        sections.append(SectionAnswer(section, [_explain(section, pack, language)]))
    return PolicyAnswer(region, scheme, day, sections)


def _companions(packs: PackRegistry, region: str, day: dt.date, family: Family) -> list[PolicyPack]:
    """Every pack of ``family`` in force in the region on the day, one per scheme."""
    ancestry = set(region_ancestry(region))
    schemes = sorted(
        {p.rules.scheme for p in packs.all() if p.family == family and p.rules.region in ancestry}
    )
    found = []
    for code in schemes:
        try:
            found.append(packs.in_force(region, code, day, family))
        except UnknownPack:
            continue
    return found


__all__ = [
    "Explained",
    "PackFacts",
    "Period",
    "PolicyAnswer",
    "SectionAnswer",
    "answer",
    "default_region",
    "default_scheme",
    "policy_regions",
    "policy_schemes",
    "registry",
]
