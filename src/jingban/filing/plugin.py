"""What cross-region filing brings to the platform: the staff's list and approval queue, the
window filing, the insured person's own filings (online, for themself or as an agent), the API
under /api/v1/filings, and the daily expiry job."""

from django.utils.translation import gettext_lazy as _

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
from jingban.core.roles import Role

STAFF = {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}

PLUGIN = AppPlugin(
    app="filing",
    capabilities=(
        Capability("filing.filing.view", _("View cross-region filings"), STAFF),
        Capability(
            "filing.filing.record",
            _("Record cross-region filings at a service window"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "filing.filing.decide",
            _("Approve or refuse cross-region filings"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "filing.filing.cancel",
            _("Cancel cross-region filings"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "filing.own.file",
            _("File for treatment in another region, for oneself or as an agent"),
            {Role.INSURED},
        ),
    ),
    navigation=(
        NavEntry(_("Cross-region filings"), "filing:list", "filing.filing.view", 420),
        NavEntry(_("My cross-region filings"), "filing:my_list", "filing.own.file", 420),
    ),
    home_panels=(
        HomePanel(
            "filing.pending",
            "filing/_home_pending.html",
            "jingban.filing.panels:pending",
            "filing.filing.decide",
            order=230,
        ),
    ),
    actions=(
        ActionCode("filing.filing.filed", _("filed for treatment in another region")),
        ActionCode("filing.filing.approved", _("approved a cross-region filing")),
        ActionCode("filing.filing.refused", _("refused a cross-region filing")),
        ActionCode("filing.filing.cancelled", _("cancelled a cross-region filing")),
        ActionCode("filing.filing.expired", _("marked cross-region filings as expired")),
    ),
    object_types=(
        ObjectType(
            "filing.filing",
            _("cross-region filing"),
            url_name="filing:detail",
            capability="filing.filing.view",
            model="filing.Filing",
        ),
    ),
    urls=Routes("", "jingban.filing.urls"),
    api_routers=(ApiRouter("/filings", "jingban.filing.api:router"),),
    jobs="jingban.filing.jobs",
    reminders=("jingban.filing.reminders:due",),
    demo="jingban.filing.demo:build",
    extra={
        "person_picture": ("jingban.filing.picture:filings_section",),
        "file_owners": {"filing.filing": "jingban.filing.queries:visible"},
        # The reasons of a refusal or a cancellation are free text that may name a person: the
        # action log stores them encrypted (a type with personal fields has its reason so).
        "personal_fields": {"filing.filing": {"note": "text"}},
    },
)
