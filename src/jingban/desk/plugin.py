"""What the desk app brings to the platform: complaints and fraud reports, their public filing
and tracking pages, reminders before a deadline and escalation after it."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    AppPlugin,
    Capability,
    HomePanel,
    NavEntry,
    ObjectType,
    PublicPage,
    Routes,
    SynthGenerator,
)
from jingban.core.roles import Role

STAFF = {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}

PLUGIN = AppPlugin(
    app="desk",
    capabilities=(
        Capability("desk.case.view", _("View complaints and reports"), STAFF),
        Capability(
            "desk.case.intake",
            _("Record complaints and reports received by phone, letter or at the counter"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "desk.case.handle",
            _("Handle complaints and reports: answer, close, escalate, refer to audit"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "desk.case.route", _("Route complaints and reports"), {Role.OPERATOR, Role.ADMIN}
        ),
        Capability(
            "desk.case.supervise",
            _("Supervise escalated complaints and reports"),
            {Role.SUPERVISOR, Role.ADMIN},
        ),
        Capability(
            "desk.reporter.reveal",
            _("See who filed a report (every view logged)"),
            {Role.AUDITOR, Role.SUPERVISOR},
        ),
        # Operators edit the rules of their own region subtree; the administrator, all of them.
        Capability(
            "desk.routing.edit",
            _("Edit the routing rules of the desk"),
            {Role.OPERATOR, Role.ADMIN},
        ),
    ),
    navigation=(NavEntry(_("Complaints and reports"), "desk:case_list", "desk.case.view", 400),),
    home_panels=(
        HomePanel(
            "desk.open",
            "desk/_home_open.html",
            "jingban.desk.panels:open_cases",
            "desk.case.handle",
            order=220,
        ),
        HomePanel(
            "desk.escalated",
            "desk/_home_escalated.html",
            "jingban.desk.panels:escalated",
            "desk.case.supervise",
            order=210,
        ),
    ),
    actions=(
        ActionCode("desk.case.received", _("received a complaint or report")),
        ActionCode("desk.case.routed", _("routed a complaint or report")),
        ActionCode("desk.case.assigned", _("took on a complaint or report")),
        ActionCode("desk.case.noted", _("added a note to a complaint or report")),
        ActionCode("desk.case.answered", _("answered a complaint or report")),
        ActionCode("desk.case.closed", _("closed a complaint or report")),
        ActionCode("desk.case.escalated", _("escalated a complaint or report")),
        ActionCode("desk.case.referred", _("referred a fraud report to audit")),
        ActionCode("desk.case.confirmed", _("recorded the verified amount of a fraud report")),
        ActionCode("desk.reporter.revealed", _("viewed who filed a report")),
        ActionCode("desk.routing.added", _("added a routing rule of the desk")),
        ActionCode("desk.routing.changed", _("changed a routing rule of the desk")),
        ActionCode("desk.routing.deleted", _("deleted a routing rule of the desk")),
    ),
    object_types=(
        ObjectType(
            "desk.case",
            _("complaint or report"),
            url_name="desk:case_detail",
            capability="desk.case.view",
            model="desk.Case",
        ),
        ObjectType(
            "desk.routing_rule",
            _("routing rule of the desk"),
            describe="jingban.desk.queries:describe_rules",
            link="jingban.desk.queries:rule_link",
            model="desk.RoutingRule",
        ),
    ),
    urls=Routes("", "jingban.desk.urls"),
    reminders=("jingban.desk.reminders:due",),
    jobs="jingban.desk.jobs",
    public_pages=(
        PublicPage(
            _("File a complaint or report"),
            "desk:file",
            _("Complain about a service, or report the misuse of the medical insurance fund."),
            order=300,
        ),
        PublicPage(
            _("Track a complaint or report"),
            "desk:track",
            _("See the state of your complaint or report and its answer."),
            order=310,
        ),
    ),
    synth=SynthGenerator("desk", "jingban.desk.synth:generate", after=("registry",)),
    demo="jingban.desk.demo:build",
)
