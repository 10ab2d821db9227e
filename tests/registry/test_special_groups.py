"""Special groups: one list of codes for the engine and the registry, and memberships filtered
like enrollments (a role sees the groups its schemes need)."""

from __future__ import annotations

import datetime as dt

from jingban.engine.codes import CATEGORY_LABELS, PERSON_CATEGORIES, SPECIAL_GROUPS, Tier
from jingban.registry import queries, services
from jingban.registry.models import GroupTier, SpecialGroup
from jingban.registry.reference import SCHEME_KINDS
from tests.personas import Personas


def test_the_registry_holds_the_engines_list(personas: Personas) -> None:
    stored = {g.code: g for g in SpecialGroup.objects.all()}
    assert set(stored) == {g.code for g in SPECIAL_GROUPS}
    for group in SPECIAL_GROUPS:
        row = stored[group.code]
        assert (row.name_zh, row.name_en) == (group.name_zh, group.name_en)
        assert row.tier == (group.tier.value if group.tier else "other")
        assert row.scheme_kinds == list(SCHEME_KINDS[group.code])
    # A claim's person category is general or a group with a relief tier, nothing else.
    relief = {g.code for g in SPECIAL_GROUPS if g.tier is not None}
    assert set(PERSON_CATEGORIES) == {"general"} | relief
    assert set(CATEGORY_LABELS) == set(PERSON_CATEGORIES)
    assert "severe_disability" not in PERSON_CATEGORIES
    assert {t.value for t in Tier} < set(GroupTier.values)


def _memberships(personas: Personas) -> None:
    person = personas.in_scope_person
    for code in ("tekun", "fanpin", "severe_disability"):
        services.add_membership(
            person,
            group_code=code,
            valid_from=dt.date(2025, 1, 1),
            valid_to=None,
            acting_user=personas.user("admin"),
        )


def _seen(personas: Personas, role: str) -> set[str]:
    person = personas.in_scope_person
    return {m.group.code for m in queries.memberships_for(personas.user(role), person)}


def test_the_ltc_assessor_sees_only_the_groups_of_long_term_care(personas: Personas) -> None:
    _memberships(personas)
    assert _seen(personas, "li") == {"tekun", "severe_disability"}
    assert _seen(personas, "wang") == {"tekun", "fanpin", "severe_disability"}
    person = personas.in_scope_person
    detail = personas.client("li").get(f"/api/v1/persons/{person.pk}").json()
    assert {m["group"] for m in detail["memberships"]} == {"tekun", "severe_disability"}
    page = personas.client("li").get(f"/persons/{person.pk}/").content.decode()
    assert "特困人员" in page and "返贫致贫人口" not in page
    assert "返贫致贫人口" in personas.client("wang").get(f"/persons/{person.pk}/").content.decode()


def test_a_group_no_scheme_of_the_user_needs_is_hidden(personas: Personas) -> None:
    _memberships(personas)
    SpecialGroup.objects.filter(code="tekun").update(scheme_kinds=["resident_medical"])
    assert _seen(personas, "li") == {"severe_disability"}
    SpecialGroup.objects.filter(code="severe_disability").update(scheme_kinds=[])
    assert _seen(personas, "li") == set()
    # Staff without a scheme list (the bureau's) still see every group.
    assert _seen(personas, "wang") == {"tekun", "fanpin", "severe_disability"}
