"""Who may see whose picture, and the sections it holds.

- Staff with ``registry.person.view`` see the persons of their region scope (the registry's
  ``person_in_scope``: out of scope is 404 like a missing person, and the attempt is logged).
- The insured person sees their own; an agent the persons they hold an authorisation for
  today that covers viewing the record (the registry's ``authorise_agent_act``: anything else
  is 404, and the attempt is logged).
- Everyone else (institution staff, caregivers, co-insurers) gets 403 before any lookup.

Every view of another person's picture is logged (``picture.person.viewed``), an agent's on the
person's behalf. The registry logs an agent's view of a record and not a staff view of a person
page; the picture gathers what every app knows, health data included (settlements, chronic
diseases), so a staff view is logged as well. Opening one's own picture is not logged.

Sections come from every app's ``extra["person_picture"]`` (``core.picture``). A section that
raises fails loudly in development and tests (``strict``); in production the error is logged
(the person's id, never their data) and the page shows that this part could not be loaded,
while the other parts still show.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jingban.core import plugins
from jingban.core.actionlog import log_action
from jingban.core.calendar import today
from jingban.core.errors import Forbidden, NotFound, ValidationFailed
from jingban.core.models import User
from jingban.core.picture import PICTURE_SECTIONS, PictureSection
from jingban.core.roles import Cap
from jingban.registry import queries as registry_queries
from jingban.registry.models import AgentService, Person
from jingban.registry.services import authorise_agent_act, person_in_scope

logger = logging.getLogger("jingban.picture")

VIEWED = "picture.person.viewed"
#: The years a picture may be asked for (a person's records start in the 2000s at the earliest).
FIRST_YEAR = 2000
YEARS_SHOWN = 5


def strict() -> bool:
    """Whether a failing section raises: in development (``JINGBAN_DEBUG``) and under pytest."""
    return bool(settings.DEBUG or os.environ.get("PYTEST_CURRENT_TEST"))


def check_year(year: int | None) -> int:
    """The year asked for, or this year; one outside 2000 … next year is refused."""
    this = today().year
    if year is None:
        return this
    if not FIRST_YEAR <= year <= this + 1:
        raise ValidationFailed(
            fields={
                "year": [
                    _("Choose a year from %(first)s to %(last)s.")
                    % {"first": FIRST_YEAR, "last": this + 1}
                ]
            }
        )
    return year


def year_choices(year: int) -> list[int]:
    this = today().year
    years = set(range(this - YEARS_SHOWN + 1, this + 1)) | {year}
    return sorted(years, reverse=True)


def _log_view(viewer: User, person: Person, *, agent: bool) -> None:
    with transaction.atomic():
        log_action(
            acting_user=viewer,
            action=VIEWED,
            object_type="registry.person",
            object_id=person.pk,
            region_path=person.region.path,
            on_behalf_of=f"registry.person:{person.pk}" if agent else "",
        )


def staff_person(viewer: User, pk: int) -> Person:
    """A person in the staff member's scope, the view logged; 403 without the capability."""
    if not viewer.can(Cap.PERSON_VIEW):
        raise Forbidden()
    person = person_in_scope(viewer, pk)
    _log_view(viewer, person, agent=False)
    return person


@dataclass(frozen=True)
class Choice:
    """Whose picture an insured user opened, and whom else they may switch to."""

    person: Person | None
    own: Person | None
    principals: list[Person]


def insured_person(viewer: User, pk: int | None) -> Choice:
    """The insured user's own picture (``pk`` None or their own), or a principal's (an agent's
    authorisation to view the record, checked and logged by the registry). 403 for a user who
    is neither insured nor an agent."""
    if not (viewer.can(Cap.OWN_RECORD_VIEW) or viewer.can(Cap.AGENT_ACT)):
        raise Forbidden()
    own = registry_queries.own_person(viewer)
    principals = [
        auth.person
        for auth in registry_queries.principals_of(viewer)
        if AgentService.VIEW_RECORD in (auth.services or [])
    ]
    principals = list({p.pk: p for p in principals}.values())
    if pk is None or (own is not None and pk == own.pk):
        return Choice(own, own, principals)
    auth = authorise_agent_act(viewer, pk, AgentService.VIEW_RECORD)
    person = Person.objects.select_related("region").get(pk=auth.person_id)
    _log_view(viewer, person, agent=True)
    return Choice(person, own, principals)


@dataclass(frozen=True)
class Shown:
    """A section as the page shows it: the section, or (``failed``) its place."""

    section: PictureSection | None
    source: str
    failed: bool = False


def _sources() -> list[str]:
    return [
        source for plugin in plugins.plugins() for source in plugin.extra.get(PICTURE_SECTIONS, ())
    ]


def sections(person: Person, viewer: User, year: int) -> list[Shown]:
    """Every app's sections for this viewer, in order. A section the viewer may not see is
    left out; one that fails raises (``strict``) or is shown as not loaded."""
    found: list[Shown] = []
    for source in _sources():
        try:
            section = plugins.load(source)(person, viewer, year=year)
        except (NotFound, Forbidden):
            continue
        except Exception:
            if strict():
                raise
            logger.exception("picture section %s failed for person %s", source, person.pk)
            found.append(Shown(None, source, failed=True))
            continue
        if section is not None:
            found.append(Shown(section, source))
    order = {source: n for n, source in enumerate(_sources())}
    return sorted(
        found,
        key=lambda s: (s.section.order if s.section else 10_000, order[s.source]),
    )
