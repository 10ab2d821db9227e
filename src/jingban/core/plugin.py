"""What core brings: its capabilities, its pages, its panels and its action codes."""

from django.utils.translation import gettext_lazy as _

from jingban.core.exports import EXPORT_CAPABILITY
from jingban.core.plugins import (
    ActionCode,
    ApiRouter,
    AppPlugin,
    Capability,
    HomePanel,
    NavEntry,
    ObjectType,
    Routes,
)
from jingban.core.roles import Cap, Role

_STAFF_VIEWERS = {
    Role.OPERATOR,
    Role.REVIEWER,
    Role.ASSESSOR,
    Role.AUDITOR,
    Role.INSTITUTION_STAFF,
    Role.SUPERVISOR,
    Role.ADMIN,
}

# Reference data in entries (a region, an organisation, schemes) by name.
_REFERENCE = "jingban.core.actionlog.objects:reference_value"

PLUGIN = AppPlugin(
    app="core",
    capabilities=(
        Capability(
            Cap.ORGANISATION_VIEW,
            _("View organisations"),
            {Role.INSTITUTION_STAFF, Role.CAREGIVER, Role.SUPERVISOR, Role.ADMIN},
        ),
        Capability(
            Cap.ACTION_LOG_VIEW,
            _("Read the action log"),
            {Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN},
        ),
        Capability(Cap.AUDIT_VERIFY, _("Verify the action log"), {Role.AUDITOR, Role.ADMIN}),
        Capability(Cap.CALENDAR_VIEW, _("View the working-day calendar"), _STAFF_VIEWERS),
        Capability(Cap.CALENDAR_EDIT, _("Edit the working-day calendar"), {Role.ADMIN}),
        Capability(Cap.USER_VIEW, _("View user accounts"), {Role.ADMIN}),
        Capability(Cap.REFERENCE_ADMIN, _("Edit reference data"), {Role.ADMIN}),
        # It writes a whole made-up population into the registry: never an operator's job.
        Capability(Cap.SYNTH_RUN, _("Generate a synthetic city"), {Role.ADMIN}),
        # Downloading a list (CSV, xlsx) takes its rows out of the application: bureau staff
        # who work on lists, not the assessor, the institutions or the insured.
        Capability(
            EXPORT_CAPABILITY,
            _("Download lists as CSV or xlsx (logged)"),
            {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN},
        ),
        Capability(Cap.API_TOKEN_ADMIN, _("List and revoke everyone's API tokens"), {Role.ADMIN}),
    ),
    navigation=(
        NavEntry(_("Home"), "core:home", None, order=0),
        NavEntry(_("Organisations"), "core:organisation_list", Cap.ORGANISATION_VIEW, order=400),
        NavEntry(_("Action log"), "core:action_log", Cap.ACTION_LOG_VIEW, order=500),
        NavEntry(_("Working-day calendar"), "core:calendar", Cap.CALENDAR_VIEW, order=600),
        NavEntry(_("Reference data"), "admin:index", Cap.REFERENCE_ADMIN, order=700),
        NavEntry(_("All API tokens"), "core:token_admin", Cap.API_TOKEN_ADMIN, order=800),
        NavEntry(_("Preferences"), "core:preferences", None, order=1000),
        NavEntry(_("My API tokens"), "core:token_list", None, order=990),
    ),
    home_panels=(
        HomePanel(
            "core.windows",
            "core/_home_windows.html",
            "jingban.core.panels:service_windows",
            Cap.ORGANISATION_VIEW,
            order=200,
        ),
        HomePanel(
            "core.actions",
            "core/_home_actions.html",
            "jingban.core.panels:recent_actions",
            Cap.ACTION_LOG_VIEW,
            order=900,
        ),
    ),
    actions=(
        ActionCode("core.region.imported", _("imported the regions")),
        ActionCode("core.scheme.created", _("created a scheme")),
        ActionCode("core.organisation.created", _("created an organisation")),
        ActionCode("core.window.created", _("created a service window")),
        ActionCode("core.user.created", _("created a user account")),
        ActionCode("core.user.preferences_changed", _("changed their preferences")),
        ActionCode("core.user.password_reset", _("reset a password")),
        ActionCode("core.user.password_changed", _("changed a password")),
        ActionCode("core.api_token.issued", _("issued an API token")),
        ActionCode(
            "core.action_log.personal_data_shown",
            _("was shown personal data in the action log"),
        ),
        ActionCode("core.api_token.revoked", _("revoked an API token")),
        ActionCode("core.signin.succeeded", _("signed in")),
        ActionCode("core.signin.failed", _("failed to sign in")),
        ActionCode("core.signin.throttled", _("was made to wait before signing in")),
        ActionCode("core.signout", _("signed out")),
        ActionCode("core.session.expired", _("was signed out after being idle")),
        ActionCode("core.calendar.seeded", _("filled the working-day calendar")),
        ActionCode("core.calendar.year_added", _("added a year to the calendar")),
        ActionCode("core.calendar.day_set", _("set a day of the calendar")),
        ActionCode("core.calendar.day_removed", _("removed a day from the calendar")),
        ActionCode("core.database.backed_up", _("backed up the database")),
        ActionCode("core.database.restored", _("restored the database")),
        # The reference-data admin: one code per model and write.
        ActionCode("admin.core.region.add", _("added a region")),
        ActionCode("admin.core.region.change", _("changed a region")),
        ActionCode("admin.core.region.delete", _("deleted a region")),
        ActionCode("admin.core.organisation.add", _("added an organisation")),
        ActionCode("admin.core.organisation.change", _("changed an organisation")),
        ActionCode("admin.core.organisation.delete", _("deleted an organisation")),
        ActionCode("admin.core.scheme.add", _("added a scheme")),
        ActionCode("admin.core.scheme.change", _("changed a scheme")),
        ActionCode("admin.core.scheme.delete", _("deleted a scheme")),
        ActionCode("admin.core.calendar_year.add", _("added a calendar year")),
        ActionCode("admin.core.calendar_year.change", _("changed a calendar year")),
        ActionCode("admin.core.calendar_year.delete", _("deleted a calendar year")),
        ActionCode("admin.core.holiday.add", _("added a calendar day")),
        ActionCode("admin.core.holiday.change", _("changed a calendar day")),
        ActionCode("admin.core.holiday.delete", _("deleted a calendar day")),
        ActionCode("core.export.downloaded", _("downloaded a list")),
    ),
    object_types=(
        ObjectType("core.region", _("region"), model="core.Region"),
        ObjectType("core.scheme", _("scheme"), model="core.Scheme"),
        ObjectType(
            "core.organisation",
            _("organisation"),
            url_name="core:organisation_detail",
            capability=Cap.ORGANISATION_VIEW,
            model="core.Organisation",
            value_text=_REFERENCE,
        ),
        ObjectType(
            "core.window", _("service window"), model="core.ServiceWindow", value_text=_REFERENCE
        ),
        ObjectType(
            "core.user",
            _("user account"),
            describe="jingban.core.actionlog.objects:describe_users",
            model="core.User",
            value_text=_REFERENCE,
        ),
        ObjectType("core.api_token", _("API token"), model="core.ApiToken"),
        ObjectType(
            "core.action_log",
            _("action log"),
            fields={"entries": _("entries shown")},
        ),
        ObjectType("core.calendar_year", _("calendar year"), model="core.CalendarYear"),
        ObjectType("core.holiday", _("calendar day"), model="core.Holiday"),
        ObjectType("core.database", _("database")),
        ObjectType(
            "core.export",
            _("downloaded list"),
            describe="jingban.core.actionlog.objects:describe_exports",
            value_text="jingban.core.actionlog.objects:export_value",
            names_itself=True,
        ),
    ),
    urls=Routes("", "jingban.core.urls"),
    api_routers=(ApiRouter("", "jingban.core.api:router"),),
)
