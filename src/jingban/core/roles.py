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
    Role.SUPERVISOR: _("Supervisor"),
    Role.ADMIN: _("Administrator"),
}


class Cap(StrEnum):
    """Named capabilities."""

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
    JOB_VIEW = "jobs.run.view"
    JOB_RUN = "jobs.run.start"
    REFERENCE_ADMIN = "core.reference.admin"
    POLICY_VIEW = "packs.version.view"
    POLICY_EDIT = "packs.version.edit"
    POLICY_APPROVE = "packs.version.approve"


ROLE_CAPABILITIES: dict[Role, frozenset[Cap]] = {
    Role.OPERATOR: frozenset(
        {
            Cap.PERSON_VIEW,
            Cap.PERSON_CREATE,
            Cap.PERSON_EDIT,
            Cap.PERSON_REVEAL,
            Cap.CALENDAR_VIEW,
            Cap.HOUSEHOLD_EDIT,
            Cap.AGENT_GRANT,
            Cap.JOB_VIEW,
            Cap.JOB_RUN,
            Cap.POLICY_VIEW,
        }
    ),
    Role.REVIEWER: frozenset(
        {Cap.PERSON_VIEW, Cap.PERSON_REVEAL, Cap.CALENDAR_VIEW, Cap.POLICY_VIEW}
    ),
    Role.ASSESSOR: frozenset({Cap.PERSON_VIEW, Cap.CALENDAR_VIEW}),
    Role.AUDITOR: frozenset(
        {
            Cap.PERSON_VIEW,
            Cap.PERSON_REVEAL,
            Cap.ACTION_LOG_VIEW,
            Cap.AUDIT_VERIFY,
            Cap.CALENDAR_VIEW,
            Cap.POLICY_VIEW,
        }
    ),
    Role.INSTITUTION_STAFF: frozenset({Cap.ORGANISATION_VIEW, Cap.CALENDAR_VIEW}),
    Role.CAREGIVER: frozenset({Cap.ORGANISATION_VIEW}),
    Role.INSURED: frozenset({Cap.OWN_RECORD_VIEW, Cap.AGENT_ACT}),
    Role.SUPERVISOR: frozenset(
        {
            Cap.PERSON_VIEW,
            Cap.ORGANISATION_VIEW,
            Cap.ACTION_LOG_VIEW,
            Cap.CALENDAR_VIEW,
            # The bureau's supervisor signs off the policy packs an administrator entered.
            Cap.POLICY_VIEW,
            Cap.POLICY_APPROVE,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Cap.PERSON_VIEW,
            Cap.PERSON_CREATE,
            Cap.PERSON_EDIT,
            Cap.HOUSEHOLD_EDIT,
            Cap.AGENT_GRANT,
            Cap.ORGANISATION_VIEW,
            Cap.ACTION_LOG_VIEW,
            Cap.AUDIT_VERIFY,
            Cap.CALENDAR_VIEW,
            Cap.CALENDAR_EDIT,
            Cap.USER_VIEW,
            Cap.REFERENCE_ADMIN,
            Cap.JOB_VIEW,
            Cap.JOB_RUN,
            Cap.POLICY_VIEW,
            Cap.POLICY_EDIT,
            # Another administrator's draft only: nobody approves their own (services).
            Cap.POLICY_APPROVE,
        }
    ),
}


def capabilities_of(role: str) -> frozenset[Cap]:
    try:
        return ROLE_CAPABILITIES[Role(role)]
    except ValueError:
        return frozenset()
