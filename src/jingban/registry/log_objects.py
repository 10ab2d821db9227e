"""How the action log names the registry's objects, finds a person's entries and shows a
person's history (declared in ``plugin.py``: ``object_types`` and ``log_subjects``).

Core reads no registry table: it calls these through the declarations. A person is named by
their name (masked for a viewer who may not reveal, as the action log masks names) and their
masked document number, and only when in the viewer's scope. A search by a document number goes
through ``probes.search_persons``, so a viewer who may not reveal numbers is logged and limited
exactly as on the person list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from jingban.core.actionlog.display import mask, shown_entries
from jingban.core.actionlog.filters import subject_filter
from jingban.core.models import ActionLog, User
from jingban.core.roles import Cap
from jingban.registry import display, queries
from jingban.registry.models import (
    AgentAuthorisation,
    Enrollment,
    GroupMembership,
    HouseholdMember,
    Person,
    SpecialGroup,
)
from jingban.registry.services import probes

PERSON = "registry.person"

# How many persons a search offers.
SEARCH_LIMIT = 20


def _ids(ids: Iterable[str]) -> list[int]:
    return [int(i) for i in ids if str(i).isdigit()]


def person_text(viewer: User, person: Person, *, reveal: bool = False) -> str:
    """The name as the action log shows names (ADR 0007): in clear where the page reveals to a
    viewer who may reveal, masked otherwise; the document number masked, as in the person list."""
    clear = reveal and viewer.can(Cap.PERSON_REVEAL)
    name = person.name if clear else mask("name", person.name)
    return f"{name}（{display.shown(person).document}）"


def listed_text(viewer: User, person: Person) -> str:
    """A person as the person list shows them (the name, the masked number): for choosing whom
    to filter the log by, as one would choose on the list."""
    name = person.name if viewer.can(Cap.PERSON_VIEW) else mask("name", person.name)
    return f"{name}（{display.shown(person).document}）"


def describe_persons(viewer: User, ids: Sequence[str], *, reveal: bool = False) -> dict[str, str]:
    persons = queries.persons_for(viewer).filter(pk__in=_ids(ids))
    return {str(p.pk): person_text(viewer, p, reveal=reveal) for p in persons}


def _by_person(viewer: User, rows: QuerySet[Any], reveal: bool) -> dict[str, str]:
    """Rows that belong to a person (enrollments, memberships …) named by their person, for
    persons in the viewer's scope."""
    in_scope = queries.persons_for(viewer)
    rows = rows.select_related("person").filter(person__in=in_scope)
    return {str(row.pk): person_text(viewer, row.person, reveal=reveal) for row in rows}


def describe_enrollments(
    viewer: User, ids: Sequence[str], *, reveal: bool = False
) -> dict[str, str]:
    return _by_person(viewer, Enrollment.objects.filter(pk__in=_ids(ids)), reveal)


def describe_memberships(
    viewer: User, ids: Sequence[str], *, reveal: bool = False
) -> dict[str, str]:
    return _by_person(viewer, GroupMembership.objects.filter(pk__in=_ids(ids)), reveal)


def describe_household_members(
    viewer: User, ids: Sequence[str], *, reveal: bool = False
) -> dict[str, str]:
    return _by_person(viewer, HouseholdMember.objects.filter(pk__in=_ids(ids)), reveal)


def describe_authorisations(
    viewer: User, ids: Sequence[str], *, reveal: bool = False
) -> dict[str, str]:
    return _by_person(viewer, AgentAuthorisation.objects.filter(pk__in=_ids(ids)), reveal)


def describe_households(
    viewer: User, ids: Sequence[str], *, reveal: bool = False
) -> dict[str, str]:
    """A household by its number (the address is personal: it stays in the changes)."""
    households = queries.households_for(viewer).filter(pk__in=_ids(ids))
    return {str(h.pk): h.number for h in households}


def describe_groups(viewer: User, ids: Sequence[str], *, reveal: bool = False) -> dict[str, str]:
    return {str(g.pk): str(g) for g in SpecialGroup.objects.filter(pk__in=_ids(ids))}


# The person filter of the action log.


def search_subjects(viewer: User, term: str) -> list[tuple[str, str]]:
    """Persons in scope a name or document number finds: (id, how they are shown). A number
    search by a viewer who may not reveal numbers is logged and limited (``LookupThrottled``)."""
    found = probes.search_persons(viewer, term).order_by("pk")[:SEARCH_LIMIT]
    return [(str(p.pk), listed_text(viewer, p)) for p in found]


def describe_subject(viewer: User, object_id: str) -> str | None:
    person = queries.persons_for(viewer).filter(pk=int(object_id)).first()
    return listed_text(viewer, person) if person is not None else None


def related_objects(object_id: str) -> list[tuple[str, str]]:
    """The objects whose entries make up a person's history."""
    pk = int(object_id)
    pairs = [(PERSON, str(pk))]
    for object_type, model in (
        ("registry.enrollment", Enrollment),
        ("registry.membership", GroupMembership),
        ("registry.household_member", HouseholdMember),
        ("registry.agent_authorisation", AgentAuthorisation),
    ):
        ids = model.objects.filter(person_id=pk).values_list("pk", flat=True)
        pairs.extend((object_type, str(i)) for i in ids)
    return pairs


def history_of(person: Person) -> QuerySet[ActionLog]:
    """The action-log entries about a person (see ``related_objects``) and acts done on the
    person's behalf, newest first."""
    return ActionLog.objects.filter(subject_filter(f"{PERSON}:{person.pk}")).select_related("actor")


# What the person's page shows of the history.
HISTORY_SIZE = 20
# Entries about reading a person rather than changing their record.
READS = (
    "registry.person.looked_up",
    "registry.person.document_revealed",
    "registry.person.registration_refused",
    "registry.access.refused",
    "registry.agent.refused",
    "registry.agent.viewed_record",
)


def history_context(viewer: User, person: Person) -> dict[str, object]:
    """The newest entries of a person's history for their page, masked for every viewer (the
    action log shows them in clear to a viewer who may reveal, and logs it). Readers of the log
    get every entry and a link to the whole history there; other staff get the changes only.
    Empty without the capability."""
    from jingban.registry.plugin import PERSON_HISTORY

    if not viewer.can(PERSON_HISTORY):
        return {}
    entries = history_of(person)
    link = ""
    if viewer.can(Cap.ACTION_LOG_VIEW):
        link = reverse("core:action_log") + "?" + urlencode({"subject": f"{PERSON}:{person.pk}"})
    else:
        # Staff who serve the person see who changed what; who looked the person up, revealed
        # the number or probed from elsewhere is the auditors' to read.
        entries = entries.exclude(action__in=READS)
    return {
        "history": shown_entries(entries[:HISTORY_SIZE], viewer, reveal=False),
        "history_total": entries.count(),
        "history_link": link,
        "can_open_entries": viewer.can(Cap.ACTION_LOG_VIEW),
    }
