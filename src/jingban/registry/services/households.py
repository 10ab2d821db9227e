"""Households (户): open one, add members, record that a member left. Household and persons come
from scoped queries; each function checks the capability, validates, and logs in its
transaction."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.calendar import today as local_today
from jingban.core.errors import Message, ValidationFailed
from jingban.core.models import User
from jingban.core.permissions import require_capability
from jingban.core.roles import Cap
from jingban.registry import queries
from jingban.registry.models import Household, HouseholdMember, Person, Relation


def _member_snapshot(member: HouseholdMember) -> dict[str, object]:
    return {
        "household": member.household.number,
        "person": member.person_id,
        "relation": member.relation,
        "joined_on": member.joined_on.isoformat(),
        "left_on": member.left_on.isoformat() if member.left_on else None,
    }


def create_household(
    head: Person, *, joined_on: dt.date, address: str = "", acting_user: User
) -> Household:
    """Open a household (建户) with ``head`` as its head, in the head's region.

    The head must come from a scoped query and must not already be in an open household."""
    require_capability(acting_user, Cap.HOUSEHOLD_EDIT)
    current = queries.open_household_membership(head)
    if current is not None:
        raise ValidationFailed(
            fields={
                "person": [
                    _("This person already belongs to household %(number)s.")
                    % {"number": current.household.number}
                ]
            }
        )
    if joined_on > local_today():
        raise ValidationFailed(fields={"joined_on": [_("The date lies in the future.")]})
    with transaction.atomic():
        household = Household.objects.create(
            # The number is derived from the row's id, so it is set in a second step.
            number=f"pending-{head.pk}-{dt.datetime.now().timestamp()}",
            region_id=head.region_id,
            address=(address or head.address).strip(),
        )
        household.number = household_number(head.region.code, household.pk)
        household.save(update_fields=["number"])
        member = HouseholdMember.objects.create(
            household=household, person=head, relation=Relation.HEAD, joined_on=joined_on
        )
        log_action(
            acting_user=acting_user,
            action="registry.household.created",
            object_type="registry.household",
            object_id=household.pk,
            region_path=head.region.path,
            after={"number": household.number, "address": household.address}
            | {"head": _member_snapshot(member)},
        )
    return household


def household_number(region_code: str, household_id: int) -> str:
    """户号: the county code of the household's region and its id, zero-padded to 10 digits."""
    return f"{region_code[:6]}{household_id:010d}"


def add_household_member(
    household: Household,
    person: Person,
    *,
    relation: str,
    joined_on: dt.date,
    acting_user: User,
) -> HouseholdMember:
    """Add a person to a household (入户). Household and person come from scoped queries."""
    require_capability(acting_user, Cap.HOUSEHOLD_EDIT)
    errors: dict[str, list[Message]] = {}
    if relation not in Relation.values:
        errors["relation"] = [_("Unknown relation.")]
    elif (
        relation == Relation.HEAD
        and household.members.filter(relation=Relation.HEAD, left_on__isnull=True).exists()
    ):
        errors["relation"] = [_("The household already has a head.")]
    current = queries.open_household_membership(person)
    if current is not None:
        errors["person"] = [
            _("This person already belongs to household %(number)s.")
            % {"number": current.household.number}
        ]
    if joined_on > local_today():
        errors["joined_on"] = [_("The date lies in the future.")]
    if errors:
        raise ValidationFailed(fields=errors)
    try:
        with transaction.atomic():
            member = HouseholdMember.objects.create(
                household=household, person=person, relation=relation, joined_on=joined_on
            )
            log_action(
                acting_user=acting_user,
                action="registry.household.member_added",
                object_type="registry.household",
                object_id=household.pk,
                region_path=household.region.path,
                after=_member_snapshot(member),
            )
    except IntegrityError:
        # A concurrent change took the person or the head's place first.
        raise ValidationFailed(
            fields={"person": [_("This person already belongs to a household.")]}
        ) from None
    return member


def end_household_membership(
    member: HouseholdMember, *, left_on: dt.date, acting_user: User, reason: str = ""
) -> HouseholdMember:
    """Record that a member left the household (迁出). The head leaves last."""
    require_capability(acting_user, Cap.HOUSEHOLD_EDIT)
    errors: dict[str, list[Message]] = {}
    if member.left_on is not None:
        errors["left_on"] = [_("This member has already left the household.")]
    elif left_on < member.joined_on:
        errors["left_on"] = [_("The end of the period is before its start.")]
    elif left_on > local_today():
        errors["left_on"] = [_("The date lies in the future.")]
    if (
        not errors
        and member.relation == Relation.HEAD
        and member.household.members.filter(left_on__isnull=True).exclude(pk=member.pk).exists()
    ):
        errors["person"] = [_("The head leaves last: the other members must leave first.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        locked = (
            HouseholdMember.objects.select_for_update()
            .select_related("household__region")
            .get(pk=member.pk)
        )
        before = _member_snapshot(locked)
        locked.left_on = left_on
        locked.save(update_fields=["left_on"])
        log_action(
            acting_user=acting_user,
            action="registry.household.member_left",
            object_type="registry.household",
            object_id=locked.household_id,
            region_path=locked.household.region.path,
            before=before,
            after=_member_snapshot(locked),
            reason=reason.strip(),
        )
    return locked
