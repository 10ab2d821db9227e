"""Registry state changes, by concept: persons with their enrollment and special groups
(``persons``), households (``households``), agents and guardians (``agents``). Callers keep
``from jingban.registry import services``; the names below are the public ones."""

from jingban.registry.services.agents import (
    MAX_AUTHORISATION_DAYS,
    AuthorisationInput,
    agent_update_contact,
    agent_viewed_record,
    authorise_agent_act,
    grant_authorisation,
    revoke_authorisation,
)
from jingban.registry.services.households import (
    add_household_member,
    create_household,
    end_household_membership,
    household_number,
)
from jingban.registry.services.persons import (
    EARLIEST_BIRTH,
    MAX_REVEAL_NOTE,
    EnrollmentRow,
    PersonInput,
    add_membership,
    bulk_register_persons,
    bulk_set_enrollments,
    ensure_special_groups,
    link_account,
    register_person,
    reveal_document,
    set_enrollment,
    update_person,
)
from jingban.registry.services.probes import (
    LOOKUPS_PER_MINUTE,
    LookupThrottled,
    authorisation_in_scope,
    find_by_number,
    household_in_scope,
    household_member_in_scope,
    person_in_scope,
    search_persons,
)

__all__ = [
    "EARLIEST_BIRTH",
    "LOOKUPS_PER_MINUTE",
    "MAX_AUTHORISATION_DAYS",
    "MAX_REVEAL_NOTE",
    "AuthorisationInput",
    "EnrollmentRow",
    "LookupThrottled",
    "PersonInput",
    "add_household_member",
    "add_membership",
    "agent_update_contact",
    "agent_viewed_record",
    "authorisation_in_scope",
    "authorise_agent_act",
    "bulk_register_persons",
    "bulk_set_enrollments",
    "create_household",
    "end_household_membership",
    "ensure_special_groups",
    "find_by_number",
    "grant_authorisation",
    "household_in_scope",
    "household_member_in_scope",
    "household_number",
    "link_account",
    "person_in_scope",
    "register_person",
    "reveal_document",
    "revoke_authorisation",
    "search_persons",
    "set_enrollment",
    "update_person",
]
