"""试算: settle one made-up claim with a stored pack version, and with the approved version
before it, so the reviewer of a draft sees what its figures do to a bill, fen by fen.

Nothing is stored. The claim is the first of the person's year (empty accumulators). A
supplementary version is stacked on the approved public pack in force on the claim's date for
its region (the nearest region above it that has one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from jingban.engine.medical import Adjudication, Claim, ClaimInvalid, ClaimRejected, adjudicate
from jingban.engine.policy import Family, PolicyPack, region_ancestry
from jingban.packs import queries
from jingban.packs.models import PackFamilyChoice, PackVersion

# The families a claim is settled with; a trial of another family's pack says so.
SETTLES_CLAIMS = frozenset({Family.MEDICAL, Family.SUPPLEMENTARY})


@dataclass(frozen=True)
class TrialResult:
    """One version's settlement of the trial claim, or why it could not settle it."""

    row: PackVersion
    packs: tuple[PolicyPack, ...]
    adjudication: Adjudication | None
    refusal: ClaimInvalid | ClaimRejected | None = None
    problem: str = ""


def _public_for(pack: PolicyPack, claim: Claim) -> PolicyPack | None:
    """The approved medical pack a supplementary pack is stacked on for this claim."""
    day = claim.settlement_date
    candidates = [
        p for p in queries.approved_registry().all() if p.family is Family.MEDICAL and p.covers(day)
    ]
    for code in region_ancestry(pack.rules.region):
        here = [p for p in candidates if p.rules.region == code]
        if here:
            return max(here, key=lambda p: (p.rules.effective.start, p.version))
    return None


def settle_with(row: PackVersion, claim: Claim) -> TrialResult:
    try:
        pack = queries.load_row(row)
    except queries.PackTampered as err:
        return TrialResult(row, (), None, problem="; ".join(str(p) for p in err.problems))
    if pack.family not in SETTLES_CLAIMS:
        label = PackFamilyChoice(pack.family.value).label
        problem = gettext(
            "A pack of the family “%(family)s” settles no claim: there is nothing to try."
        ) % {"family": label}
        return TrialResult(row, (pack,), None, problem=problem)
    packs: Sequence[PolicyPack] = [pack]
    if pack.family is Family.SUPPLEMENTARY:
        public = _public_for(pack, claim)
        if public is None:
            refusal = ClaimRejected(
                "trial.no_public_pack",
                "service_date",
                "no approved public pack is in force on this date",
            )
            return TrialResult(row, (pack,), None, refusal)
        packs = [public, pack]
    try:
        return TrialResult(row, tuple(packs), adjudicate(claim, packs))
    except (ClaimInvalid, ClaimRejected) as err:
        return TrialResult(row, tuple(packs), None, err)


def trial(row: PackVersion, claim: Claim) -> list[TrialResult]:
    """The claim settled with ``row`` and, when there is one, the approved version before it."""
    results = [settle_with(row, claim)]
    previous = queries.previous_approved(row)
    if previous is not None:
        results.append(settle_with(previous, claim))
    return results
