"""``cross_region`` (contract 5): each rule, the days a filing is in force, and never a refusal
for a missing filing."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.core.errors import ValidationFailed
from jingban.engine.codes import CrossRegion
from jingban.filing import rules, services
from jingban.filing.decide import cross_region
from jingban.filing.models import Filing
from tests.engine.packs import variant
from tests.filing.helpers import file, pdf, person, today
from tests.personas import Personas

SUZHOU = "320500"


def _decide(person_id: int, treatment: str, on: dt.date | None = None, **kw: object):
    return cross_region(
        person_id,
        on or today(),
        insured_area=SUZHOU,
        treatment_area=treatment,
        **kw,  # type: ignore[arg-type]
    )


def test_the_same_pooling_area_is_local(personas: Personas) -> None:
    chen = personas.own_person
    for place in ("320505", "320582", "320500"):
        decision = _decide(chen.pk, place)
        assert decision.rule is CrossRegion.LOCAL and decision.filing_id is None
    # Whatever the emergency flag says.
    assert _decide(chen.pk, "320506", emergency=True).rule is CrossRegion.LOCAL


def test_an_emergency_elsewhere_counts_as_filed(personas: Personas) -> None:
    decision = _decide(personas.own_person.pk, "310104", emergency=True)
    assert decision.rule is CrossRegion.EMERGENCY and decision.filing_id is None


def test_without_a_filing_the_unfiled_rule_applies_and_nothing_is_refused(
    personas: Personas,
) -> None:
    decision = _decide(personas.own_person.pk, "310104")
    assert decision.rule is CrossRegion.UNFILED and decision.filing_id is None
    assert decision.reason


@pytest.mark.parametrize(
    ("kind", "extra", "rule"),
    [
        ("retired_resettled", {"paper_checked": True}, CrossRegion.FILED_LONG_TERM),
        ("long_term_residence", {"commitment": True}, CrossRegion.FILED_LONG_TERM),
        ("resident_work", {"commitment": True}, CrossRegion.FILED_LONG_TERM),
        ("referral", {"paper_checked": True}, CrossRegion.REFERRAL),
        ("emergency", {}, CrossRegion.EMERGENCY),
        ("other_temporary", {}, CrossRegion.FILED_TEMPORARY),
    ],
)
def test_a_filing_in_force_gives_its_kind_rule(
    personas: Personas, kind: str, extra: dict[str, object], rule: CrossRegion
) -> None:
    who = person("陆美芳")
    filing = file(who, personas.user("wang"), kind, "310000", **extra)
    decision = _decide(who.pk, "310104")
    assert decision.rule is rule and decision.filing_id == filing.pk
    assert filing.number in decision.reason
    # Another province is not covered.
    assert _decide(who.pk, "330102").rule is CrossRegion.UNFILED


def test_a_city_filing_covers_its_counties_only(personas: Personas) -> None:
    who = person("陆美芳")
    file(who, personas.user("wang"), "other_temporary", "320100")
    assert _decide(who.pk, "320102").rule is CrossRegion.FILED_TEMPORARY
    assert _decide(who.pk, "320200").rule is CrossRegion.UNFILED


def test_a_filing_waiting_for_approval_or_refused_does_not_count(personas: Personas) -> None:
    who = person("陆美芳")
    wang = personas.user("wang")
    pending = file(who, wang, "referral", "310000", materials=[pdf()])
    assert _decide(who.pk, "310104").rule is CrossRegion.UNFILED
    services.refuse(pending, "不符", acting_user=wang)
    assert _decide(who.pk, "310104").rule is CrossRegion.UNFILED


def test_an_approved_filing_counts_from_its_start(personas: Personas) -> None:
    who = person("陆美芳")
    wang = personas.user("wang")
    start = today() - dt.timedelta(days=20)
    pending = file(who, wang, "referral", "310000", start=start, materials=[pdf()])
    services.approve(pending, acting_user=wang)
    assert _decide(who.pk, "310104", on=start).rule is CrossRegion.REFERRAL
    assert _decide(who.pk, "310104", on=start - dt.timedelta(days=1)).rule is CrossRegion.UNFILED


def test_the_days_of_a_filing(personas: Personas) -> None:
    who = person("陆美芳")
    wang = personas.user("wang")
    start = today() - dt.timedelta(days=30)
    filing = file(who, wang, "other_temporary", "310000", start=start)
    assert filing.end is not None
    assert _decide(who.pk, "310104", on=filing.end).rule is CrossRegion.FILED_TEMPORARY
    assert _decide(who.pk, "310104", on=filing.end + dt.timedelta(days=1)).rule is (
        CrossRegion.UNFILED
    )
    # Expired later, it still covered the days it was in force.
    services.expire_due(filing.end + dt.timedelta(days=1))
    assert _decide(who.pk, "310104", on=start).rule is CrossRegion.FILED_TEMPORARY
    # Cancelled today: in force before today, not from today.
    other = file(who, wang, "emergency", "330000", start=start)
    services.cancel(other, "", acting_user=wang)
    assert _decide(who.pk, "330102", on=today() - dt.timedelta(days=1)).rule is (
        CrossRegion.EMERGENCY
    )
    assert _decide(who.pk, "330102", on=today()).rule is CrossRegion.UNFILED


def test_long_term_wins_over_temporary_where_both_cover(personas: Personas) -> None:
    who = person("陆美芳")
    wang = personas.user("wang")
    file(who, wang, "other_temporary", "310000")
    long_term = file(who, wang, "resident_work", "310000", commitment=True)
    decision = _decide(who.pk, "310104")
    assert decision.rule is CrossRegion.FILED_LONG_TERM and decision.filing_id == long_term.pk


def test_a_filing_of_another_insured_place_does_not_count(personas: Personas) -> None:
    who = person("陆美芳")
    file(who, personas.user("wang"), "other_temporary", "310000")
    decision = cross_region(who.pk, today(), insured_area="320100", treatment_area="310104")
    assert decision.rule is CrossRegion.UNFILED


def test_the_demo_worker_is_filed_for_nanjing(personas: Personas) -> None:
    worker = person("顾建华")
    decision = _decide(worker.pk, "320102")
    assert decision.rule is CrossRegion.FILED_LONG_TERM
    assert Filing.objects.get(pk=decision.filing_id).person == worker


def test_the_pooling_digits_come_from_the_pack(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    chen = personas.own_person
    # Pooled by county (6 digits): another Suzhou county is away from home.
    county = variant("suzhou-filing-2026", {"pooling_digits": 6})
    monkeypatch.setattr(rules, "filing_pack", lambda region, day: county)
    assert _decide(chen.pk, "320582").rule is CrossRegion.UNFILED
    # Pooled by province (2 digits): Nanjing is at home.
    province = variant("suzhou-filing-2026", {"pooling_digits": 2})
    monkeypatch.setattr(rules, "filing_pack", lambda region, day: province)
    assert _decide(chen.pk, "320102").rule is CrossRegion.LOCAL


@pytest.mark.parametrize(
    ("insured", "treatment", "field"),
    [
        ("32050", "310104", "insuplc_admdvs"),
        ("320500", "x10104", "mdtrtarea_admvs"),
        ("320500", "", "mdtrtarea_admvs"),
    ],
)
def test_a_malformed_code_names_its_field(
    personas: Personas, insured: str, treatment: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        cross_region(
            personas.own_person.pk, today(), insured_area=insured, treatment_area=treatment
        )
    assert set(caught.value.fields) == {field}
