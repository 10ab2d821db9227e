"""What the registry brings: insured persons, households, agents, enrollment and special groups."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingban.core.plugins import (
    ActionCode,
    ApiRouter,
    AppPlugin,
    Capability,
    HomePanel,
    LogSubject,
    NavEntry,
    ObjectType,
    Routes,
    SynthGenerator,
)
from jingban.core.roles import Cap, Role

_EDITORS = {Role.OPERATOR, Role.ADMIN}
# Who sees a person's history on the person's page (masked there for everyone): staff who work
# on persons. The auditor's full view, in clear and logged, is the action log.
PERSON_HISTORY = "registry.person.history"
# How the action log names and finds the registry's objects (imported only when used).
_LOG = "jingban.registry.log_objects"

PLUGIN = AppPlugin(
    app="registry",
    capabilities=(
        Capability(
            Cap.PERSON_VIEW,
            _("View insured persons"),
            {
                Role.OPERATOR,
                Role.REVIEWER,
                Role.ASSESSOR,
                Role.AUDITOR,
                Role.SUPERVISOR,
                Role.ADMIN,
            },
        ),
        Capability(Cap.PERSON_CREATE, _("Register insured persons"), _EDITORS),
        Capability(Cap.PERSON_EDIT, _("Edit insured persons"), _EDITORS),
        Capability(
            Cap.PERSON_REVEAL,
            _("Show full document numbers (logged)"),
            {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR},
        ),
        Capability(Cap.OWN_RECORD_VIEW, _("View one's own record"), {Role.INSURED}),
        Capability(Cap.HOUSEHOLD_EDIT, _("Edit households"), _EDITORS),
        Capability(Cap.AGENT_GRANT, _("Record agents and guardians"), _EDITORS),
        Capability(Cap.AGENT_ACT, _("Act for another person"), {Role.INSURED}),
        # The history on a person's page: who changed the record, enrolled, added to a household
        # or group, recorded an agent, looked the number up or revealed it. Masked there for
        # everyone; the auditor's full view (in clear, logged) is the action log.
        Capability(
            PERSON_HISTORY,
            _("See a person's history on their page"),
            {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN},
        ),
    ),
    navigation=(
        NavEntry(_("Insured persons"), "registry:person_list", Cap.PERSON_VIEW, order=100),
        NavEntry(_("My records"), "registry:my_record", Cap.OWN_RECORD_VIEW, order=110),
        NavEntry(_("Acting for others"), "registry:acting_list", Cap.AGENT_ACT, order=120),
    ),
    home_panels=(
        HomePanel(
            "registry.persons",
            "registry/_home_persons.html",
            "jingban.registry.panels:recent_persons",
            Cap.PERSON_VIEW,
            order=100,
        ),
        HomePanel(
            "registry.own_enrollment",
            "registry/_home_own_enrollment.html",
            "jingban.registry.panels:own_enrollment",
            Cap.OWN_RECORD_VIEW,
            order=100,
        ),
    ),
    actions=(
        ActionCode("registry.person.registered", _("registered an insured person")),
        ActionCode("registry.person.updated", _("changed an insured person's record")),
        ActionCode("registry.person.document_revealed", _("showed a full document number")),
        ActionCode("registry.person.looked_up", _("searched for a person by document number")),
        ActionCode(
            "registry.person.registration_refused",
            _("was refused registering a document held outside their scope"),
        ),
        ActionCode("registry.access.refused", _("was refused a record outside their scope")),
        ActionCode("registry.person.contact_updated", _("changed a person's phone or address")),
        ActionCode("registry.person.account_linked", _("linked a person to a user account")),
        ActionCode("registry.person.imported", _("loaded insured persons in bulk")),
        ActionCode("registry.enrollment.set", _("recorded an enrollment")),
        ActionCode("registry.enrollment.imported", _("loaded enrollments in bulk")),
        ActionCode("registry.membership.added", _("added a person to a special group")),
        ActionCode("registry.membership.imported", _("loaded special-group memberships in bulk")),
        ActionCode("registry.special_group.imported", _("loaded the special groups")),
        ActionCode("registry.household.created", _("opened a household")),
        ActionCode("registry.household.member_added", _("added a household member")),
        ActionCode("registry.household.member_left", _("recorded that a member left a household")),
        ActionCode("registry.household.imported", _("loaded households in bulk")),
        ActionCode("registry.household_member.imported", _("loaded household members in bulk")),
        ActionCode("registry.agent.granted", _("recorded an agent or guardian")),
        ActionCode("registry.agent.revoked", _("revoked an agent's authorisation")),
        ActionCode("registry.agent.refused", _("was refused acting for a person")),
        ActionCode("registry.agent.viewed_record", _("viewed a record as an agent")),
        ActionCode("admin.registry.special_group.add", _("added a special group")),
        ActionCode("admin.registry.special_group.change", _("changed a special group")),
        ActionCode("admin.registry.special_group.delete", _("deleted a special group")),
    ),
    urls=Routes("persons/", "jingban.registry.urls"),
    api_routers=(
        ApiRouter("/persons", "jingban.registry.api:router"),
        ApiRouter("", "jingban.registry.household_api:router"),
    ),
    object_types=(
        ObjectType(
            "registry.person",
            _("insured person"),
            describe=f"{_LOG}:describe_persons",
            personal=True,
            url_name="registry:person_detail",
            capability=Cap.PERSON_VIEW,
            model="registry.Person",
            # A person's entries also hold an agent authorisation's snapshot and an account link.
            models=("registry.AgentAuthorisation",),
            fields={"name": pgettext_lazy("person", "Name"), "account": _("user account")},
        ),
        ObjectType(
            "registry.household",
            _("household"),
            describe=f"{_LOG}:describe_households",
            url_name="registry:household_detail",
            capability=Cap.PERSON_VIEW,
            model="registry.Household",
        ),
        ObjectType(
            "registry.household_member",
            _("household member"),
            describe=f"{_LOG}:describe_household_members",
            personal=True,
            model="registry.HouseholdMember",
        ),
        ObjectType(
            "registry.enrollment",
            _("enrollment"),
            describe=f"{_LOG}:describe_enrollments",
            personal=True,
            model="registry.Enrollment",
        ),
        ObjectType(
            "registry.membership",
            _("group membership"),
            describe=f"{_LOG}:describe_memberships",
            personal=True,
            model="registry.GroupMembership",
        ),
        ObjectType(
            "registry.special_group",
            _("special group"),
            describe=f"{_LOG}:describe_groups",
            model="registry.SpecialGroup",
        ),
        ObjectType(
            "registry.agent_authorisation",
            _("agent authorisation"),
            describe=f"{_LOG}:describe_authorisations",
            personal=True,
            model="registry.AgentAuthorisation",
        ),
    ),
    log_subjects=(
        LogSubject(
            "registry.person",
            _("insured person"),
            search=f"{_LOG}:search_subjects",
            describe=f"{_LOG}:describe_subject",
            related=f"{_LOG}:related_objects",
        ),
    ),
    synth=SynthGenerator(
        "registry",
        "jingban.registry.synth:generate_for_platform",
        loaded="jingban.registry.synth:city_loaded",
    ),
    # Fields of the action log's before/after that hold personal data, by object type, and how
    # a viewer without the reveal capability sees them: core encrypts them (ADR 0007).
    extra={
        # The person's whole picture: the person, and their agents (contract core.picture).
        "person_picture": (
            "jingban.registry.picture:person_section",
            "jingban.registry.picture:agents_section",
        ),
        "personal_fields": {
            "registry.person": {
                "name": "name",
                "document_number": "document",
                "phone": "phone",
                "address": "address",
                "birth_date": "date",
                "death_date": "date",
                # An agent's authorisation: the document it rests on, free text.
                "basis": "text",
                # A document-number lookup: the searched number, already masked.
                "term": "document",
            },
            "registry.household": {"address": "address"},
        },
        # Files can be attached to persons; registry/files.py says who may see them.
        "file_owners": {"registry.person": "jingban.registry.files:visible"},
    },
)
