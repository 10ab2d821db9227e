"""What the decision part of long-term care declares (joined into ``plugin.PLUGIN``): public
notices and objections, decisions and their letters, entitlements and their changes, and
institutions' status reports."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    AppPlugin,
    Capability,
    HomePanel,
    NavEntry,
    ObjectType,
    PublicPage,
)
from jingban.core.roles import Role

VIEWERS = {
    Role.OPERATOR,
    Role.REVIEWER,
    Role.ASSESSOR,
    Role.AUDITOR,
    Role.SUPERVISOR,
    Role.ADMIN,
    Role.INSTITUTION_STAFF,
}
OPERATORS = {Role.OPERATOR, Role.ADMIN}

PART = AppPlugin(
    app="ltc",
    capabilities=(
        Capability(
            "ltc.entitlement.view",
            _("View long-term care entitlements (an institution: its own beneficiaries)"),
            VIEWERS,
        ),
        Capability(
            "ltc.notice.manage",
            _("Post long-term care results on public notice and record objections"),
            OPERATORS,
        ),
        Capability("ltc.decision.issue", _("Issue long-term care decisions"), OPERATORS),
        Capability(
            "ltc.entitlement.change",
            _("Suspend, resume or stop long-term care benefits and order re-assessments"),
            OPERATORS,
        ),
        Capability(
            "ltc.status.report",
            _("Report a beneficiary's change of condition (institutions)"),
            {Role.INSTITUTION_STAFF},
        ),
    ),
    navigation=(
        NavEntry(_("Public notices"), "ltc:notice_list", "ltc.notice.manage", 452),
        NavEntry(_("LTC decisions"), "ltc:decision_list", "ltc.decision.issue", 454),
        NavEntry(_("LTC entitlements"), "ltc:entitlement_list", "ltc.entitlement.view", 456),
    ),
    home_panels=(
        HomePanel(
            "ltc.decision.work",
            "ltc/decision/_home_work.html",
            "jingban.ltc.panels_decision:work",
            "ltc.decision.issue",
            order=262,
        ),
        HomePanel(
            "ltc.decision.beneficiaries",
            "ltc/decision/_home_beneficiaries.html",
            "jingban.ltc.panels_decision:beneficiaries",
            "ltc.status.report",
            order=264,
        ),
    ),
    actions=(
        ActionCode("ltc.notice.posted", _("posted a long-term care result on public notice")),
        ActionCode("ltc.notice.ended", _("closed a public notice that ended")),
        ActionCode("ltc.objection.filed", _("recorded an objection to a public notice")),
        ActionCode("ltc.reassessment.drawn", _("drew the re-assessment after an objection")),
        ActionCode("ltc.decision.issued", _("issued a long-term care decision")),
        ActionCode("ltc.entitlement.granted", _("granted a long-term care entitlement")),
        ActionCode("ltc.entitlement.superseded", _("replaced an entitlement by a new decision")),
        ActionCode("ltc.entitlement.suspended", _("suspended a long-term care benefit")),
        ActionCode("ltc.entitlement.resumed", _("resumed a long-term care benefit")),
        ActionCode("ltc.entitlement.stopped", _("stopped a long-term care benefit")),
        ActionCode("ltc.entitlement.expired", _("recorded the expiry of an entitlement")),
        ActionCode("ltc.reassessment.ordered", _("ordered a long-term care re-assessment")),
        ActionCode("ltc.status.reported", _("reported a beneficiary's change of condition")),
        ActionCode("ltc.decision.letter_downloaded", _("downloaded a decision letter")),
    ),
    object_types=(
        ObjectType(
            "ltc.entitlement",
            _("long-term care entitlement"),
            url_name="ltc:entitlement_detail",
            capability="ltc.entitlement.view",
            model="ltc.Entitlement",
        ),
    ),
    public_pages=(
        PublicPage(
            _("Long-term care public notices"),
            "ltc:public_notices",
            _("Assessment results on public notice in your village or community; object online."),
            order=420,
        ),
    ),
    # The demo's named persons (``demo_decision.PEOPLE``), registered beside the city.
    extra={"demo_persons": 6},
)
