"""What elderly accident insurance (安康关爱) brings to the platform: group enrollment by list
import and single enrollment at a window, the group's premium payment, accident claims reported
by the person, an agent or an operator and paid by the pack's rules; the API under
/api/v1/accident, the co-insured items (C3), the person's picture section (C4), the demo rows
and the synthetic volume at the seed's rates."""

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

STAFF = {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}

PLUGIN = AppPlugin(
    app="accident",
    capabilities=(
        Capability("accident.view", _("View elderly accident insurance"), STAFF),
        Capability(
            "accident.enroll",
            _("Enroll elderly people in accident insurance, one by one or by a group's list"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "accident.claim.report",
            _("Report accident claims at a service window"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "accident.claim.decide",
            _("Review and pay or refuse accident claims"),
            {Role.REVIEWER, Role.ADMIN},
        ),
        Capability(
            "accident.own",
            _("See one's accident insurance and report accidents, for oneself or as an agent"),
            {Role.INSURED},
        ),
    ),
    navigation=(
        NavEntry(_("Elderly accident insurance"), "accident:claim_list", "accident.view", 460),
        NavEntry(_("My accident insurance"), "accident:my", "accident.own", 460),
    ),
    home_panels=(
        HomePanel(
            "accident.waiting",
            "accident/_home_waiting.html",
            "jingban.accident.panels:waiting",
            "accident.claim.decide",
            order=240,
        ),
    ),
    actions=(
        ActionCode("accident.enrollment.enrolled", _("enrolled a person in accident insurance")),
        ActionCode("accident.payment.imported", _("imported a group's accident insurance list")),
        ActionCode("accident.claim.reported", _("reported an accident claim")),
        ActionCode("accident.claim.paid", _("paid an accident claim")),
        ActionCode("accident.claim.refused", _("refused an accident claim")),
    ),
    object_types=(
        ObjectType(
            "accident.enrollment",
            _("accident insurance enrollment"),
            url_name="accident:enrollment_detail",
            capability="accident.view",
            model="accident.Enrollment",
        ),
        ObjectType(
            "accident.payment",
            _("accident insurance premium payment"),
            url_name="accident:payment_detail",
            capability="accident.view",
            model="accident.Payment",
        ),
        ObjectType(
            "accident.claim",
            _("accident claim"),
            url_name="accident:claim_detail",
            capability="accident.view",
            model="accident.Claim",
        ),
    ),
    urls=Routes("", "jingban.accident.urls"),
    api_routers=(ApiRouter("/accident", "jingban.accident.api:router"),),
    synth=SynthGenerator(
        "accident",
        "jingban.accident.synth:generate",
        after=("registry",),
        loaded="jingban.accident.synth:loaded",
    ),
    demo="jingban.accident.demo:build",
    extra={
        "file_owners": {"accident.claim": "jingban.accident.queries:visible"},
        # What happened and the reasons of a refusal are free text that may name a person.
        "personal_fields": {"accident.claim": {"description": "text"}},
        "coinsured_products": "jingban.accident.coinsured:products",
        "coinsured_items": "jingban.accident.coinsured:items",
        "person_picture": ("jingban.accident.picture:section",),
    },
)
