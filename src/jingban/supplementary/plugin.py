"""What supplementary insurance (惠民保) brings to the platform: the products on sale, a person's
enrollment and premium, the claims paid with every settlement (contract C1: the products a person
holds are stacked on the public layers, and every settlement written is heard of), the claims a
person asks for afterwards, and the premiums and claims the co-insurance statements split
(contract C3)."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    ApiRouter,
    AppPlugin,
    Capability,
    NavEntry,
    ObjectType,
    Routes,
    SynthGenerator,
)
from jingban.core.roles import Role

STAFF = {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}

PLUGIN = AppPlugin(
    app="supplementary",
    capabilities=(
        Capability(
            "supplementary.enrollment.view",
            _("View supplementary insurance enrollments, premiums and claims"),
            STAFF,
        ),
        Capability(
            "supplementary.enrollment.record",
            _("Record supplementary insurance enrollments, premiums and claims at a window"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "supplementary.own.enroll",
            _("Enroll in supplementary insurance and claim, for oneself or as an agent"),
            {Role.INSURED},
        ),
    ),
    navigation=(
        NavEntry(
            _("Supplementary insurance"),
            "supplementary:list",
            "supplementary.enrollment.view",
            460,
        ),
        NavEntry(
            _("My supplementary insurance"), "supplementary:my", "supplementary.own.enroll", 460
        ),
    ),
    actions=(
        ActionCode("supplementary.enrollment.enrolled", _("enrolled in supplementary insurance")),
        ActionCode("supplementary.premium.paid", _("recorded a supplementary insurance premium")),
        ActionCode(
            "supplementary.enrollment.cancelled",
            _("cancelled a supplementary insurance enrollment"),
        ),
        ActionCode("supplementary.claim.claimed", _("claimed from supplementary insurance")),
    ),
    object_types=(
        ObjectType(
            "supplementary.enrollment",
            _("supplementary insurance enrollment"),
            model="supplementary.Enrollment",
        ),
    ),
    urls=Routes("", "jingban.supplementary.urls"),
    demo="jingban.supplementary.demo:build",
    synth=SynthGenerator(
        "supplementary", "jingban.supplementary.synth:generate", after=("registry", "medical")
    ),
    api_routers=(ApiRouter("/supplementary", "jingban.supplementary.api:router"),),
    extra={
        "person_picture": ("jingban.supplementary.picture:section",),
        "medical_supplementary_packs": "jingban.supplementary.services:supplementary_packs",
        "medical_settled": "jingban.supplementary.services:settled",
        "coinsured_products": "jingban.supplementary.services:coinsured_products",
        "coinsured_items": "jingban.supplementary.services:coinsured_items",
    },
)
