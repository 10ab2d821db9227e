"""What the catalogue app brings to the platform: the medical catalogue (医保目录) for every
signed-in user, its import for the bureau, the classification preview for hospitals, and the
chronic and special outpatient disease registrations (门诊慢特病)."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    ApiRouter,
    AppPlugin,
    Capability,
    NavEntry,
    ObjectType,
    Routes,
)
from jingban.core.roles import Role

IMPORT = "catalogue.version.import"
CHRONIC_VIEW = "catalogue.chronic.view"
CHRONIC_REGISTER = "catalogue.chronic.register"
CHRONIC_OWN = "catalogue.chronic.own"

PLUGIN = AppPlugin(
    app="catalogue",
    # The catalogue is public reference data: every signed-in user reads it, no capability.
    capabilities=(
        Capability(
            IMPORT, _("Import a version of the medical catalogue"), {Role.ADMIN, Role.OPERATOR}
        ),
        Capability(
            CHRONIC_VIEW,
            _("View chronic and special disease registrations"),
            {Role.ADMIN, Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR},
        ),
        Capability(
            CHRONIC_REGISTER,
            _("Register and end chronic and special disease registrations"),
            {Role.ADMIN, Role.OPERATOR},
        ),
        Capability(CHRONIC_OWN, _("View one's own chronic disease registrations"), {Role.INSURED}),
    ),
    navigation=(
        NavEntry(_("Medical catalogue"), "catalogue:item_list", order=460),
        NavEntry(
            _("Chronic and special diseases"),
            "catalogue:chronic_list",
            CHRONIC_VIEW,
            order=465,
        ),
        NavEntry(
            _("My chronic disease registrations"),
            "catalogue:chronic_own",
            CHRONIC_OWN,
            order=465,
        ),
    ),
    actions=(
        ActionCode("catalogue.version.imported", _("imported a catalogue version")),
        ActionCode("catalogue.chronic.registered", _("registered a chronic or special disease")),
        ActionCode("catalogue.chronic.ended", _("ended a chronic disease registration")),
    ),
    object_types=(
        ObjectType("catalogue.version", _("catalogue version"), model="catalogue.CatalogueVersion"),
        ObjectType(
            "catalogue.chronic_registration",
            _("chronic disease registration"),
            model="catalogue.ChronicRegistration",
            url_name="catalogue:chronic_detail",
            capability=CHRONIC_VIEW,
        ),
    ),
    urls=Routes("catalogue/", "jingban.catalogue.urls"),
    api_routers=(ApiRouter("/catalogue", "jingban.catalogue.api:router"),),
    demo="jingban.catalogue.demo:build",
    extra={
        "person_picture": ("jingban.catalogue.picture:chronic_section",),
        # Evidence of a registration (a certificate, a discharge summary) through the files app.
        "file_owners": {"catalogue.chronic_registration": "jingban.catalogue.files:visible"},
        # A person's disease is health data: encrypted in the action log (ADR 0007).
        "personal_fields": {"catalogue.chronic_registration": {"disease": "other"}},
    },
)
