"""Households: opening one, adding and removing members, the rules on heads and on one open
household per person, scope, and what is logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jingban.core.actionlog.personal import decrypted
from jingban.core.errors import Forbidden, ValidationFailed
from jingban.core.models import ActionLog
from jingban.core.services.accounts import issue_api_token
from jingban.registry import queries, services
from jingban.registry.models import Household, HouseholdMember, Relation
from tests.personas import Personas

DAY = dt.date(2024, 5, 1)


def _suzhou(personas: Personas, count: int) -> list:
    found = [
        p
        for p in personas.world.persons
        if "320500/" in p.region.path
        and p.account_id is None
        and queries.open_household_membership(p) is None
    ]
    assert len(found) >= count, "the demo world has too few free Suzhou persons"
    return found[:count]


def test_open_household_names_the_head_numbers_it_and_logs(personas: Personas) -> None:
    wang = personas.user("wang")
    (head,) = _suzhou(personas, 1)
    household = services.create_household(head, joined_on=DAY, acting_user=wang)
    assert household.number == f"{head.region.code[:6]}{household.pk:010d}"
    assert household.region_id == head.region_id
    assert household.address == head.address
    member = HouseholdMember.objects.get(household=household)
    assert (member.person_id, member.relation, member.joined_on) == (head.pk, "head", DAY)
    entry = ActionLog.objects.get(action="registry.household.created")
    assert entry.actor == wang
    assert entry.object_id == str(household.pk)
    assert entry.after["head"]["person"] == head.pk
    assert entry.region_path == head.region.path


def test_members_join_and_the_rules_hold(personas: Personas) -> None:
    wang = personas.user("wang")
    head, spouse, child = _suzhou(personas, 3)
    household = services.create_household(head, joined_on=DAY, acting_user=wang)
    services.add_household_member(
        household, spouse, relation=Relation.SPOUSE, joined_on=DAY, acting_user=wang
    )
    before = (HouseholdMember.objects.count(), ActionLog.objects.count())

    # A second head, a person already in a household, a future date: each names its field.
    with pytest.raises(ValidationFailed) as second_head:
        services.add_household_member(
            household, child, relation=Relation.HEAD, joined_on=DAY, acting_user=wang
        )
    assert set(second_head.value.fields) == {"relation"}
    with pytest.raises(ValidationFailed) as twice:
        services.add_household_member(
            household, spouse, relation=Relation.CHILD, joined_on=DAY, acting_user=wang
        )
    assert household.number in str(twice.value.fields["person"][0])
    with pytest.raises(ValidationFailed) as future:
        services.add_household_member(
            household,
            child,
            relation=Relation.CHILD,
            joined_on=dt.date.today() + dt.timedelta(days=30),
            acting_user=wang,
        )
    assert set(future.value.fields) == {"joined_on"}
    with pytest.raises(ValidationFailed) as unknown:
        services.add_household_member(
            household, child, relation="cousin", joined_on=DAY, acting_user=wang
        )
    assert set(unknown.value.fields) == {"relation"}
    assert (HouseholdMember.objects.count(), ActionLog.objects.count()) == before

    # The head leaves last; a member leaves, and may then join another household.
    head_row = HouseholdMember.objects.get(household=household, person=head)
    with pytest.raises(ValidationFailed) as head_first:
        services.end_household_membership(head_row, left_on=DAY, acting_user=wang)
    assert set(head_first.value.fields) == {"person"}
    spouse_row = HouseholdMember.objects.get(household=household, person=spouse)
    with pytest.raises(ValidationFailed) as backwards:
        services.end_household_membership(
            spouse_row, left_on=DAY - dt.timedelta(days=1), acting_user=wang
        )
    assert set(backwards.value.fields) == {"left_on"}
    left = services.end_household_membership(
        spouse_row, left_on=dt.date(2025, 1, 1), reason="迁出", acting_user=wang
    )
    assert left.left_on == dt.date(2025, 1, 1)
    assert queries.open_household_membership(spouse) is None
    entry = ActionLog.objects.filter(action="registry.household.member_left").get()
    assert (entry.before["left_on"], entry.after["left_on"], decrypted(entry).reason) == (
        None,
        "2025-01-01",
        "迁出",
    )
    other = services.create_household(spouse, joined_on=dt.date(2025, 1, 2), acting_user=wang)
    assert queries.open_household_membership(spouse).household == other  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed):
        services.end_household_membership(left, left_on=dt.date(2025, 2, 1), acting_user=wang)


def test_a_person_opens_one_household_at_a_time(personas: Personas) -> None:
    wang = personas.user("wang")
    (head,) = _suzhou(personas, 1)
    services.create_household(head, joined_on=DAY, acting_user=wang)
    with pytest.raises(ValidationFailed) as again:
        services.create_household(head, joined_on=DAY, acting_user=wang)
    assert set(again.value.fields) == {"person"}
    assert Household.objects.filter(members__person=head).count() == 1


def test_roles_without_the_capability_cannot_change_households(personas: Personas) -> None:
    (head,) = _suzhou(personas, 1)
    with pytest.raises(Forbidden):
        services.create_household(head, joined_on=DAY, acting_user=personas.user("sun"))
    page = personas.client("sun").get(f"/persons/{head.pk}/household/new/")
    assert page.status_code == 403
    assert not Household.objects.filter(members__person=head).exists()


def test_pages_open_a_household_add_a_member_and_show_it(personas: Personas) -> None:
    head, child = _suzhou(personas, 2)
    client = personas.client("wang", language="en")
    created = client.post(
        f"/persons/{head.pk}/household/new/", {"joined_on": "2024-05-01", "address": ""}
    )
    assert created.status_code == 302
    household = Household.objects.get(members__person=head)
    assert created["Location"] == f"/persons/households/{household.pk}/"
    bad = client.post(
        f"/persons/households/{household.pk}/members/",
        {"document_number": "110101199003070000", "relation": "child", "joined_on": "2024-05-01"},
    )
    assert bad.status_code == 400
    assert "No registered person in your area has this document." in bad.content.decode()
    added = client.post(
        f"/persons/households/{household.pk}/members/",
        {"document_number": child.document_number, "relation": "child", "joined_on": "2024-05-01"},
    )
    assert added.status_code == 302
    page = client.get(f"/persons/households/{household.pk}/").content.decode()
    assert head.name in page and child.name in page and "<td>Child</td>" in page
    detail = client.get(f"/persons/{child.pk}/").content.decode()
    assert household.number in detail


def test_out_of_scope_households_are_not_found(personas: Personas) -> None:
    admin = personas.user("admin")
    nanjing = personas.out_of_scope_person
    household = services.create_household(nanjing, joined_on=DAY, acting_user=admin)
    assert personas.client("wang").get(f"/persons/households/{household.pk}/").status_code == 404
    token = issue_api_token(personas.user("wang"), name="t", acting_user=None)
    api = Client().get(f"/api/v1/households/{household.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 404
    assert personas.client("admin").get(f"/persons/households/{household.pk}/").status_code == 200


def test_api_opens_a_household_and_refuses_a_second_head(personas: Personas) -> None:
    head, other = _suzhou(personas, 2)
    token = issue_api_token(personas.user("wang"), name="t", acting_user=None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    created = client.post(
        f"/api/v1/persons/{head.pk}/household",
        data={"joined_on": "2024-05-01"},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert [(m["person_id"], m["relation"]) for m in body["members"]] == [(head.pk, "head")]
    refused = client.post(
        f"/api/v1/households/{body['id']}/members",
        data={"person_id": other.pk, "relation": "head", "joined_on": "2024-05-01"},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["relation"]
    added = client.post(
        f"/api/v1/households/{body['id']}/members",
        data={"person_id": other.pk, "relation": "spouse", "joined_on": "2024-05-01"},
        content_type="application/json",
        **auth,
    )
    assert added.status_code == 201
    assert len(added.json()["members"]) == 2
