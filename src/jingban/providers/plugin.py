"""What the providers app brings to the platform: designated institutions, their agreements,
checks, checklists and outcome rules, and the institution's own pages."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    AppPlugin,
    Capability,
    HomePanel,
    NavEntry,
    ObjectType,
    Routes,
    SynthGenerator,
)
from jingban.core.roles import Role

BUREAU = {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}

PLUGIN = AppPlugin(
    app="providers",
    capabilities=(
        Capability("providers.institution.view", _("View designated institutions"), BUREAU),
        Capability(
            "providers.institution.manage",
            _("Record checks, warnings and rectification orders"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "providers.agreement.decide",
            _("Suspend, lift, terminate and renew agreements"),
            {Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN},
        ),
        Capability(
            "providers.checklist.edit",
            _("Edit checklists and outcome rules"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability("providers.own.view", _("View our institution"), {Role.INSTITUTION_STAFF}),
        Capability(
            "providers.own.reply", _("Reply to rectification orders"), {Role.INSTITUTION_STAFF}
        ),
        Capability(
            "providers.own.edit", _("Keep our long-term care zone"), {Role.INSTITUTION_STAFF}
        ),
    ),
    navigation=(
        NavEntry(
            _("Designated institutions"),
            "providers:institution_list",
            "providers.institution.view",
            order=400,
        ),
        NavEntry(_("Our institution"), "providers:own", "providers.own.view", order=400),
    ),
    home_panels=(
        HomePanel(
            "providers.own_orders",
            "providers/_home_orders.html",
            "jingban.providers.panels:own_orders",
            "providers.own.view",
            order=120,
        ),
    ),
    actions=(
        ActionCode("providers.agreement.applied", _("recorded an agreement application")),
        ActionCode("providers.agreement.acceptance", _("recorded an acceptance check")),
        ActionCode("providers.agreement.take_effect", _("put an agreement into force")),
        ActionCode("providers.agreement.evaluation", _("recorded an annual evaluation")),
        ActionCode("providers.agreement.assessment", _("recorded an on-site assessment")),
        ActionCode("providers.agreement.warning", _("warned an institution")),
        ActionCode("providers.agreement.rectification", _("ordered a rectification")),
        ActionCode("providers.agreement.rectification_closed", _("closed a rectification")),
        ActionCode("providers.agreement.suspension", _("suspended an agreement")),
        ActionCode("providers.agreement.lifting", _("lifted an agreement's suspension")),
        ActionCode("providers.agreement.termination", _("terminated an agreement")),
        ActionCode("providers.agreement.expiry", _("recorded an agreement's expiry")),
        ActionCode("providers.agreement.renewal", _("renewed an agreement")),
        ActionCode("providers.check.recorded", _("recorded a check")),
        ActionCode("providers.order.replied", _("replied to a rectification order")),
        ActionCode("providers.rule.saved", _("saved an outcome rule")),
        ActionCode("providers.checklist.changed", _("changed a checklist")),
        ActionCode("providers.checklist.versioned", _("made a new checklist version")),
        ActionCode("providers.institution.designated", _("designated an institution")),
        ActionCode("providers.institution.designation_added", _("added a designation")),
        ActionCode("providers.institution.zone_updated", _("updated a long-term care zone")),
    ),
    object_types=(
        ObjectType(
            "providers.agreement",
            _("agreement"),
            model="providers.Agreement",
        ),
        ObjectType("providers.check", _("check"), model="providers.Check"),
        ObjectType(
            "providers.order", _("rectification order"), model="providers.RectificationOrder"
        ),
        ObjectType("providers.reply", _("reply"), model="providers.OrderReply"),
        ObjectType("providers.rule", _("outcome rule"), model="providers.OutcomeRule"),
        ObjectType("providers.checklist", _("checklist"), model="providers.Checklist"),
        ObjectType(
            "providers.institution",
            _("designated institution"),
            url_name="providers:institution_detail",
            capability="providers.institution.view",
            model="providers.Institution",
        ),
    ),
    urls=Routes("institutions/", "jingban.providers.urls"),
    jobs="jingban.providers.jobs",
    reminders=("jingban.providers.reminders:deadlines",),
    demo="jingban.providers.demo:build",
    synth=SynthGenerator(
        "providers",
        "jingban.providers.synth:generate",
        after=("registry",),
        loaded="jingban.providers.synth:loaded",
    ),
    extra={
        "file_owners": {
            "providers.check": "jingban.providers.files:visible",
            "providers.reply": "jingban.providers.files:reply_visible",
        },
        # A reply's files are those its institution sent with it (services.reply_to_order).
        "file_attach_only": ("providers.reply",),
    },
)
