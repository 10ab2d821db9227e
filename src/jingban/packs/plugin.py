"""What the packs app brings: policy pack versions, their approval and the trial calculation."""

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
from jingban.core.roles import Cap, Role

PLUGIN = AppPlugin(
    app="packs",
    capabilities=(
        Capability(
            Cap.POLICY_VIEW,
            _("View policy packs"),
            {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN},
        ),
        Capability(Cap.POLICY_EDIT, _("Enter policy pack versions"), {Role.ADMIN}),
        # The bureau's supervisor signs off the versions an administrator entered; nobody
        # approves their own (services).
        Capability(
            Cap.POLICY_APPROVE, _("Approve policy pack versions"), {Role.SUPERVISOR, Role.ADMIN}
        ),
    ),
    navigation=(NavEntry(_("Policy packs"), "packs:version_list", Cap.POLICY_VIEW, order=900),),
    home_panels=(
        # For whoever may approve: the drafts others entered. After the role's main list.
        HomePanel(
            "packs.waiting",
            "packs/_home_waiting.html",
            "jingban.packs.panels:waiting_for_approval",
            Cap.POLICY_APPROVE,
            order=140,
        ),
    ),
    actions=(
        ActionCode("packs.version.imported", _("imported a policy pack version")),
        ActionCode("packs.version.drafted", _("drafted a policy pack version")),
        ActionCode("packs.version.updated", _("changed a draft policy pack version")),
        ActionCode("packs.version.approved", _("approved a policy pack version")),
        ActionCode("packs.version.rejected", _("rejected a policy pack version")),
        ActionCode("packs.version.discarded", _("discarded a draft policy pack version")),
        ActionCode("packs.version.shipped", _("recorded a shipped policy pack version")),
    ),
    object_types=(
        ObjectType(
            "packs.version",
            _("policy pack version"),
            url_name="packs:version_detail",
            capability=Cap.POLICY_VIEW,
            model="packs.PackVersion",
        ),
    ),
    urls=Routes("policies/", "jingban.packs.urls"),
    api_routers=(ApiRouter("/policies", "jingban.packs.api:router"),),
    reminders=("jingban.packs.reminders:waiting_for_approval",),
)
