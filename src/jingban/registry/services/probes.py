"""Probes (探查): what staff try outside what they may see, and searches that confirm who a
person is. Each is written to the action log so an auditor can see it; none tells the user more
than a missing object would.

- An object outside the user's scope answers 404 like a missing one, and the attempt is logged
  (``registry.access.refused``), as an agent's attempts are (``registry.agent.refused``).
- Registering a document whose holder is registered outside the user's scope answers a neutral
  message and is logged (``registry.person.registration_refused``).
- A search by a whole document or phone number, by a user who may not reveal full numbers,
  confirms a person's identity without a reveal: it is logged (``registry.person.looked_up``,
  the number masked and as a keyed digest, never in clear) and limited to
  ``LOOKUPS_PER_MINUTE`` per user. A part of a number that says more than a masked number shows
  is refused (``registry.search``).

Each log row carries the region path of the object it names, so it is visible only to those who
may see that region (and to an administrator without a region); a row about an object that does
not exist has no region path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.errors import DomainError, NotFound
from jingban.core.models import User
from jingban.core.roles import Cap
from jingban.registry import queries
from jingban.registry.documents import mask_document, mask_phone
from jingban.registry.models import (
    AgentAuthorisation,
    DocumentType,
    Household,
    HouseholdMember,
    Person,
)
from jingban.registry.search import Filters, Term, may_reveal, parse_term, term_filter

#: Document-number searches a user without the reveal capability may run in a minute.
LOOKUPS_PER_MINUTE = 10
_LOOKUP_WINDOW = dt.timedelta(minutes=1)
# pg_advisory_xact_lock(class, user id): one user's lookups are counted one at a time, across
# processes, so that concurrent searches cannot slip past the limit together.
_LOOKUP_LOCK_CLASS = 0x6A62_6C6B


class LookupThrottled(DomainError):
    code = "throttled"
    status = 429
    default_message = _(
        "You have searched by document number too often. Please wait a minute and try again."
    )


def _region_path(user: User) -> str:
    return user.region.path if user.region_id else ""  # type: ignore[union-attr]


def access_refused(user: User, object_type: str, object_id: object, region_path: str) -> None:
    """Log that ``user`` asked for an object outside their scope (or one that does not exist).
    The row commits even though the request then fails with 404."""
    with transaction.atomic():
        log_action(
            acting_user=user,
            action="registry.access.refused",
            object_type=object_type,
            object_id=object_id,
            region_path=region_path,
        )


_T = TypeVar("_T")


def _logged_refusal(
    user: User, find: Callable[[], _T], object_type: str, pk: int, region_path: QuerySet[Any]
) -> _T:
    """``find()``; when it answers 404, the refusal is logged with the region of the object
    asked for (``region_path``: a one-column query of it), so its region's auditors see it."""
    try:
        return find()
    except NotFound:
        access_refused(user, object_type, pk, region_path.first() or "")
        raise


def person_in_scope(user: User, pk: int) -> Person:
    """``queries.person_for``, with a refusal logged."""
    path = Person.objects.filter(pk=pk).values_list("region__path", flat=True)
    return _logged_refusal(user, lambda: queries.person_for(user, pk), "registry.person", pk, path)


def household_in_scope(user: User, pk: int) -> Household:
    """``queries.household_for``, with a refusal logged."""
    path = Household.objects.filter(pk=pk).values_list("region__path", flat=True)
    return _logged_refusal(
        user, lambda: queries.household_for(user, pk), "registry.household", pk, path
    )


def household_member_in_scope(user: User, household: Household, pk: int) -> HouseholdMember:
    """``queries.household_member_for``, with a refusal logged."""
    path = HouseholdMember.objects.filter(pk=pk).values_list("person__region__path", flat=True)
    return _logged_refusal(
        user,
        lambda: queries.household_member_for(user, household, pk),
        "registry.household_member",
        pk,
        path,
    )


def authorisation_in_scope(user: User, pk: int) -> AgentAuthorisation:
    """``queries.authorisation_for``, with a refusal logged."""
    path = AgentAuthorisation.objects.filter(pk=pk).values_list("person__region__path", flat=True)
    return _logged_refusal(
        user, lambda: queries.authorisation_for(user, pk), "registry.agent_authorisation", pk, path
    )


def registration_refused(user: User, holder: Person) -> None:
    """Log that ``user`` tried to register (or change a record to) the document of a person
    registered outside their scope. The row is in the holder's region."""
    with transaction.atomic():
        log_action(
            acting_user=user,
            action="registry.person.registration_refused",
            object_type="registry.person",
            object_id=holder.pk,
            region_path=holder.region.path,
            after={
                "document_type": holder.document_type,
                "document_number": mask_document(holder.document_type, holder.document_number),
            },
        )


def term_digest(term: str) -> str:
    """A keyed digest of a searched number: the same number always gives the same digest, so
    an auditor holding the number can find its lookups; the log alone does not give it back."""
    key = str(settings.AUDIT_KEY).encode()
    return hmac.new(key, b"registry.lookup:" + term.encode(), hashlib.sha256).hexdigest()[:32]


def _masked_term(term: str) -> str:
    if term.isdigit() and len(term) in range(10, 13) and term[0] in "01":
        return mask_phone(term)
    kind = DocumentType.RESIDENT_ID if len(term) == 18 else DocumentType.PASSPORT
    return mask_document(kind, term)


def _lookup(user: User, term: str, found: QuerySet[Person]) -> None:
    """Count a number lookup against the user's limit, then log it (one transaction)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOOKUP_LOCK_CLASS, user.pk])
        since = timezone.now() - _LOOKUP_WINDOW
        if queries.lookups_since(user, since) >= LOOKUPS_PER_MINUTE:
            raise LookupThrottled()
        matches = list(found.order_by("pk").values_list("pk", "region__path")[:1])
        first = matches[0] if matches else None
        log_action(
            acting_user=user,
            action="registry.person.looked_up",
            object_type="registry.person",
            object_id=first[0] if first else "",
            region_path=first[1] if first else _region_path(user),
            after={
                "term": _masked_term(term),
                "term_digest": term_digest(term),
                "matches": found.count(),
            },
        )


def search_persons(
    user: User, query: str | Term, filters: Filters | None = None
) -> QuerySet[Person]:
    """The persons in scope that ``query`` finds (``search.parse_term``; raises
    ``ValidationFailed`` for a term that cannot be searched), narrowed by ``filters``. A search
    by a whole number by a user without the reveal capability is first counted against the
    limit (``LookupThrottled``) and logged."""
    term = query if isinstance(query, Term) else parse_term(query, may_reveal=may_reveal(user))
    found = term_filter(queries.persons_for(user), term)
    if filters is not None:
        found = filters.apply(found)
    if term.lookup:
        _lookup(user, term.number, found)
    return found


def find_by_number(user: User, number: str) -> Person | None:
    """The person in scope holding this whole document number (any type), or None. Logged and
    limited like a number search for a user without the reveal capability."""
    term = number.replace(" ", "").strip().upper()
    found = queries.persons_for(user).filter(document_number=term)
    if not user.can(Cap.PERSON_REVEAL):
        _lookup(user, term, found)
    return found.order_by("pk").first()
