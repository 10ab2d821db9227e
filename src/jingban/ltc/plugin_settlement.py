"""What the settlement part of long-term care declares (joined into ``plugin.PLUGIN``): the
capabilities of the four stages (four different people: in the demo wang claims, sun reviews
first, qian reviews second, admin pays), the batch pages, the home panels of batches waiting for
each stage, and the action codes of every step."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    AppPlugin,
    Capability,
    HomePanel,
    NavEntry,
    ObjectType,
)
from jingban.core.roles import Role

PART = AppPlugin(
    app="ltc",
    capabilities=(
        Capability(
            "ltc.settlement.view",
            _("View long-term care settlement batches and statements"),
            {
                Role.OPERATOR,
                Role.REVIEWER,
                Role.AUDITOR,
                Role.SUPERVISOR,
                Role.ADMIN,
                Role.INSTITUTION_STAFF,
            },
        ),
        Capability(
            "ltc.settlement.claim",
            _("Settle a month of long-term care and claim the batch (申报)"),
            {Role.OPERATOR},
        ),
        Capability(
            "ltc.settlement.first_review",
            _("First review of a long-term care settlement batch (初审)"),
            {Role.REVIEWER},
        ),
        Capability(
            "ltc.settlement.second_review",
            _("Second review of a long-term care settlement batch (复核)"),
            {Role.SUPERVISOR},
        ),
        Capability(
            "ltc.settlement.pay",
            _("Pay a long-term care settlement batch (拨付)"),
            {Role.ADMIN},
        ),
    ),
    navigation=(
        NavEntry(_("Long-term care settlement"), "ltc:settlement_list", "ltc.settlement.view", 640),
    ),
    home_panels=(
        HomePanel(
            "ltc.settlement.waiting",
            "ltc/settlement/_home_waiting.html",
            "jingban.ltc.panels_settlement:waiting",
            "ltc.settlement.view",
            order=260,
        ),
    ),
    actions=(
        ActionCode("ltc.settlement.computed", _("settled a month of long-term care")),
        ActionCode("ltc.settlement.recomputed", _("settled a month of long-term care again")),
        ActionCode("ltc.settlement.claimed", _("claimed a long-term care settlement batch")),
        ActionCode(
            "ltc.settlement.first_reviewed",
            _("passed the first review of a long-term care settlement batch"),
        ),
        ActionCode(
            "ltc.settlement.second_reviewed",
            _("passed the second review of a long-term care settlement batch"),
        ),
        ActionCode("ltc.settlement.paid", _("paid a long-term care settlement batch")),
        ActionCode("ltc.settlement.returned", _("sent back a long-term care settlement batch")),
        ActionCode(
            "ltc.settlement.corrected",
            _("recorded adjustments to a paid long-term care settlement batch"),
        ),
    ),
    object_types=(
        ObjectType(
            "ltc.settlement_batch",
            _("long-term care settlement batch"),
            url_name="ltc:settlement_detail",
            capability="ltc.settlement.view",
            model="ltc.SettlementBatch",
        ),
    ),
)
