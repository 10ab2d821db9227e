"""What medical settlement brings to the platform: direct settlement for designated hospitals
(the one settlement service, its REST operations and pages), the settlements' pages for the
bureau and the insured person, the demo hospital's settlements and a synthetic year."""

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
    SynthGenerator,
)
from jingban.core.roles import Role

BUREAU = {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}

PLUGIN = AppPlugin(
    app="medical",
    capabilities=(
        Capability(
            "medical.settle",
            _("Settle hospital bills directly"),
            {Role.INSTITUTION_STAFF, Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "medical.settlement.view",
            _("View medical settlements"),
            BUREAU | {Role.INSTITUTION_STAFF},
        ),
        Capability("medical.settlement.own", _("View my medical settlements"), {Role.INSURED}),
    ),
    navigation=(
        NavEntry(
            _("Medical settlements"),
            "medical:settlement_list",
            "medical.settlement.view",
            order=450,
        ),
        NavEntry(
            _("My medical settlements"),
            "medical:own_settlements",
            "medical.settlement.own",
            order=450,
        ),
    ),
    home_panels=(
        HomePanel(
            "medical.today",
            "medical/_home_today.html",
            "jingban.medical.panels:today",
            "medical.settle",
            order=110,
        ),
    ),
    actions=(
        ActionCode("medical.visit.registered", _("registered a visit for direct settlement")),
        ActionCode("medical.visit.updated", _("updated a visit's diagnosis")),
        ActionCode("medical.visit.cancelled", _("cancelled a visit")),
        ActionCode("medical.visit.discharged", _("recorded a discharge")),
        ActionCode("medical.visit.discharge_cancelled", _("cancelled a discharge")),
        ActionCode("medical.fee_lines.recorded", _("recorded fee details")),
        ActionCode("medical.fee_lines.cancelled", _("cancelled fee details")),
        ActionCode("medical.settlement.settled", _("settled a hospital bill")),
        ActionCode("medical.settlement.cancelled", _("cancelled a settlement")),
        ActionCode("medical.settlement.reversed", _("reversed a settlement (2601)")),
        ActionCode("medical.reconciliation.made", _("reconciled settlement totals")),
    ),
    object_types=(
        ObjectType("medical.visit", _("visit"), model="medical.Visit"),
        ObjectType(
            "medical.settlement",
            _("settlement"),
            url_name="medical:settlement_detail",
            capability="medical.settlement.view",
            model="medical.Settlement",
        ),
        ObjectType("medical.reconciliation", _("reconciliation"), model="medical.Reconciliation"),
    ),
    urls=Routes("settlements/", "jingban.medical.urls"),
    api_routers=(ApiRouter("/medical", "jingban.medical.api:router"),),
    demo="jingban.medical.demo:build",
    synth=SynthGenerator(
        "medical", "jingban.medical.synth:generate", after=("registry", "providers")
    ),
    extra={"person_picture": ("jingban.medical.picture:settlements_section",)},
)
