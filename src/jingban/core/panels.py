"""Core's home-page panels: the service windows of one's organisation, and recent actions."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.core import queries as core_queries
from jingban.core.actionlog.display import shown_entries
from jingban.core.models import User
from jingban.core.roles import Cap

HOME_LIST_SIZE = 10


def service_windows(user: User) -> Mapping[str, object] | None:
    # Staff who serve persons see them instead; the windows are for the institution's people.
    if user.can(Cap.PERSON_VIEW):
        return None
    windows = core_queries.windows_for(user)
    return {"windows_total": windows.count(), "windows": windows[:HOME_LIST_SIZE]}


def recent_actions(user: User) -> Mapping[str, object] | None:
    actions = core_queries.action_log_for(user)
    # Masked for everyone here: showing personal data in clear is for the action log's page,
    # where it is logged.
    return {
        "actions_total": actions.count(),
        "actions": shown_entries(
            actions.select_related("actor")[:HOME_LIST_SIZE], user, reveal=False
        ),
    }
