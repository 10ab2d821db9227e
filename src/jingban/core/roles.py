"""Roles and the named capabilities they carry.

A capability is a dotted name for one kind of act (``registry.person.reveal``); code asks for a
capability, never for a role, so a role can be re-cut without touching views.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    OPERATOR = "operator"
    REVIEWER = "reviewer"
    ASSESSOR = "assessor"
    AUDITOR = "auditor"
    INSTITUTION_STAFF = "institution_staff"
    CAREGIVER = "caregiver"
    INSURED = "insured"
    # Staff of an insurer that co-underwrites a product (联合承保): they read their own
    # organisation's share statements and nothing else.
    COINSURER = "coinsurer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.OPERATOR: _("Operator"),
    Role.REVIEWER: _("Reviewer"),
    Role.ASSESSOR: _("Assessor"),
    Role.AUDITOR: _("Auditor"),
    Role.INSTITUTION_STAFF: _("Institution staff"),
    Role.CAREGIVER: _("Caregiver"),
    Role.INSURED: _("Insured person or agent"),
    Role.COINSURER: _("Co-insurer staff"),
    Role.SUPERVISOR: _("Supervisor"),
    Role.ADMIN: _("Administrator"),
}


class Cap(StrEnum):
    """Named capabilities of the first apps. Which roles hold each is declared by the app that
    owns it (its ``plugin`` module); a later app names its own in its own module."""

    PERSON_VIEW = "registry.person.view"
    PERSON_CREATE = "registry.person.create"
    PERSON_EDIT = "registry.person.edit"
    PERSON_REVEAL = "registry.person.reveal"
    OWN_RECORD_VIEW = "registry.own_record.view"
    HOUSEHOLD_EDIT = "registry.household.edit"
    AGENT_GRANT = "registry.agent.grant"
    AGENT_ACT = "registry.agent.act"
    ORGANISATION_VIEW = "core.organisation.view"
    ACTION_LOG_VIEW = "core.action_log.view"
    AUDIT_VERIFY = "core.audit.verify"
    CALENDAR_VIEW = "core.calendar.view"
    CALENDAR_EDIT = "core.calendar.edit"
    USER_VIEW = "core.user.view"
    API_TOKEN_ADMIN = "core.api_token.admin"  # noqa: S105 - a capability name
    JOB_VIEW = "jobs.run.view"
    JOB_RUN = "jobs.run.start"
    REFERENCE_ADMIN = "core.reference.admin"
    SYNTH_RUN = "core.synth.run"
    POLICY_VIEW = "packs.version.view"
    POLICY_EDIT = "packs.version.edit"
    POLICY_APPROVE = "packs.version.approve"


def capabilities_of(role: str) -> frozenset[str]:
    """The capabilities the installed apps grant ``role`` (their ``plugin`` modules)."""
    from jingban.core import plugins

    return plugins.role_capabilities().get(role, frozenset())
