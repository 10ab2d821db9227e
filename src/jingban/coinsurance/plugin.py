"""What co-insurance brings to the platform: the panels of the co-insured products (insurers,
shares, chief), the insurers' monthly statements split item by item, their PDFs, the pages and
the API under /api/v1/coinsurance, the monthly job, and the co-insurer's own statements (the
only thing their staff see)."""

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

STAFF = {Role.OPERATOR, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}

PLUGIN = AppPlugin(
    app="coinsurance",
    capabilities=(
        Capability("coinsurance.panel.view", _("View co-insurance panels"), STAFF),
        Capability("coinsurance.panel.edit", _("Set up co-insurance panels"), {Role.ADMIN}),
        Capability(
            "coinsurance.statement.view",
            _("View and print the co-insurers' monthly statements"),
            STAFF,
        ),
        Capability(
            "coinsurance.statement.generate",
            _("Generate the co-insurers' monthly statements"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "coinsurance.own.view",
            _("Read one's own organisation's co-insurance statements"),
            {Role.COINSURER},
        ),
        Capability(
            "coinsurance.own.download",
            _("Download one's own organisation's co-insurance statements"),
            {Role.COINSURER},
        ),
    ),
    navigation=(
        NavEntry(
            _("Co-insurance"), "coinsurance:statement_list", "coinsurance.statement.view", 560
        ),
        NavEntry(_("My share statements"), "coinsurance:my_list", "coinsurance.own.view", 560),
    ),
    home_panels=(
        HomePanel(
            "coinsurance.own",
            "coinsurance/_home_own.html",
            "jingban.coinsurance.panels:own",
            "coinsurance.own.view",
            order=150,
        ),
    ),
    actions=(
        ActionCode("coinsurance.panel.created", _("set up a co-insurance panel")),
        ActionCode(
            "coinsurance.statement.generated", _("generated co-insurers' monthly statements")
        ),
    ),
    object_types=(
        ObjectType(
            "coinsurance.panel",
            _("co-insurance panel"),
            url_name="coinsurance:panel_detail",
            capability="coinsurance.panel.view",
            model="coinsurance.Panel",
        ),
        ObjectType(
            "coinsurance.run",
            _("monthly statements of a co-insured product"),
            model="coinsurance.StatementRun",
        ),
        ObjectType(
            "coinsurance.statement",
            _("co-insurer's monthly statement"),
            url_name="coinsurance:statement_detail",
            capability="coinsurance.statement.view",
            model="coinsurance.Statement",
        ),
    ),
    urls=Routes("coinsurance/", "jingban.coinsurance.urls"),
    api_routers=(ApiRouter("/coinsurance", "jingban.coinsurance.api:router"),),
    jobs="jingban.coinsurance.jobs",
    demo="jingban.coinsurance.demo:build",
)
