"""Navigation by role: a link appears only when the user holds its capability."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jingban.core.roles import Cap


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capability: Cap | None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAVIGATION = [
    NavItem(_("Home"), "core:home", None),
    NavItem(_("Insured persons"), "registry:person_list", Cap.PERSON_VIEW),
    NavItem(_("My records"), "registry:my_record", Cap.OWN_RECORD_VIEW),
    NavItem(_("Acting for others"), "registry:acting_list", Cap.AGENT_ACT),
    NavItem(_("Organisations"), "core:organisation_list", Cap.ORGANISATION_VIEW),
    NavItem(_("Action log"), "core:action_log", Cap.ACTION_LOG_VIEW),
    NavItem(_("Working-day calendar"), "core:calendar", Cap.CALENDAR_VIEW),
    NavItem(_("Reference data"), "admin:index", Cap.REFERENCE_ADMIN),
    NavItem(_("Background jobs"), "jobs:run_list", Cap.JOB_VIEW),
    NavItem(_("Policy packs"), "packs:version_list", Cap.POLICY_VIEW),
    NavItem(_("Preferences"), "core:preferences", None),
]


def navigation_for(user: object) -> list[NavItem]:
    can = getattr(user, "can", None)
    return [
        item for item in NAVIGATION if item.capability is None or (can and can(item.capability))
    ]
