"""The filing family of packs: the shipped Suzhou pack and the checks of the family's model."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.engine.policy import PackError, shipped_registry
from jingban.engine.policy.families.filing import FilingKind, FilingRules, Proof
from jingban.engine.policy.header import Family
from tests.engine.packs import variant


def test_the_suzhou_pack_gives_each_kind_its_rule() -> None:
    pack = shipped_registry().in_force(
        "320505", "resident_medical", dt.date(2026, 6, 1), Family.FILING
    )
    rules = pack.rules
    assert isinstance(rules, FilingRules)
    assert rules.pooling_digits == 4
    assert set(rules.kinds) == set(FilingKind)
    residence = rules.kinds[FilingKind.LONG_TERM_RESIDENCE]
    assert residence.validity_months is None and residence.min_months == 6
    assert residence.commitment and residence.proof is Proof.RESIDENCE
    referral = rules.kinds[FilingKind.REFERRAL]
    assert referral.approval and not referral.commitment and referral.validity_months == 6
    assert not rules.kinds[FilingKind.EMERGENCY].approval
    # Every figure no source gives is marked.
    figures = {f.path: f.sample for f in pack.figures}
    assert figures["pooling_digits"] is True
    assert figures["kinds.emergency.approval"] is False


def test_a_commitment_needs_a_proof_to_replace() -> None:
    with pytest.raises(PackError) as caught:
        variant("suzhou-filing-2026", {"kinds.other_temporary.commitment": True})
    assert "pack.filing_commitment_without_proof" in str(caught.value.problems)


def test_a_temporary_filing_has_a_validity() -> None:
    with pytest.raises(PackError) as caught:
        variant("suzhou-filing-2026", {"kinds.referral.validity_months": None})
    assert "pack.filing_temporary_open" in str(caught.value.problems)


def test_pooling_digits_are_bounded() -> None:
    with pytest.raises(PackError):
        variant("suzhou-filing-2026", {"pooling_digits": 7})
    assert variant("suzhou-filing-2026", {"pooling_digits": 6}).rules.pooling_digits == 6
