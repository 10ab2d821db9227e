"""The authorization matrix's vocabulary, shared by every app's ``tests/<app>/matrix.py``.

``tests/core/test_authorization_matrix.py`` walks every URL pattern and API operation; an app
adds the routes it brings in its own ``tests/<app>/matrix.py`` module, with ``PAGES`` (URL name →
``Route``), ``API`` ((method, path) → ``Route``) and optionally ``PUBLIC`` and ``API_PUBLIC``
(sets), so a new app needs no edit to the core test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.personas import Personas

ROLES = ["admin", "wang", "sun", "li", "zhao", "kangning", "zhou", "chen", "qian", "gongbao"]
PERSON_VIEWERS = {"admin", "wang", "sun", "li", "zhao", "qian"}
PERSON_EDITORS = {"admin", "wang"}
REVEALERS = {"wang", "sun", "zhao"}
HOUSEHOLD_EDITORS = {"admin", "wang"}
GRANTERS = {"admin", "wang"}
AGENTS = {"chen"}
ORG_VIEWERS = {"admin", "kangning", "zhou", "qian"}
LOG_VIEWERS = {"admin", "zhao", "qian"}
CALENDAR_VIEWERS = {"admin", "wang", "sun", "li", "zhao", "kangning", "qian"}
JOB_USERS = {"admin", "wang"}
POLICY_VIEWERS = {"admin", "wang", "sun", "zhao", "qian"}
POLICY_EDITORS = {"admin"}
POLICY_APPROVERS = {"admin", "qian"}
EVERYONE = set(ROLES)
# Admin has no region: its scope is every region, so nothing is out of its scope.
UNRESTRICTED = {"admin"}

Target = Callable[[Personas, bool], object]


@dataclass
class Route:
    allowed: set[str]
    target: Target | None = None  # builds the object argument; None: a route without one
    method: str = "get"
    data: dict[str, object] | str | Callable[[Personas], dict[str, object]] = field(
        default_factory=dict
    )
    ok: int = 200  # status for an allowed role in scope
    denied: int = 403
    # Roles outside ``allowed`` that hold the capability but see no such object: 404, not 403
    # (e.g. institution staff, who see their own institution's files, on a person's file).
    denied_as: dict[str, int] = field(default_factory=dict)
    # False for reference data without a region: "out of scope" is then an absent object,
    # which is 404 for every role, admin included.
    regional: bool = True
    # A POST route whose GET is the page that asks for confirmation (approve, discard …): the
    # GET answers 200 to the same roles, and is a page like any other (measured at 360 px).
    confirm: bool = False
