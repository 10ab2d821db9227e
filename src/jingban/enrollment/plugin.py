"""What the enrollment app brings: enrollment actions and bulk enrollment, contribution payments
(window, tax and bank files with reconciliation), the person's own payment history, and coverage
for settlement."""

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
from jingban.core.roles import Cap, Role
from jingban.enrollment import caps

_STAFF = {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}
_EDITORS = {Role.OPERATOR, Role.ADMIN}

PLUGIN = AppPlugin(
    app="enrollment",
    capabilities=(
        Capability(caps.VIEW, _("View enrollment and contribution payments"), _STAFF),
        Capability(caps.EDIT, _("Enroll, suspend, end and renew enrollment"), _EDITORS),
        Capability(caps.PAYMENT_RECORD, _("Record contribution payments at a window"), _EDITORS),
        Capability(
            caps.PAYMENT_IMPORT, _("Import payment files of the tax authority and banks"), _EDITORS
        ),
    ),
    navigation=(
        NavEntry(_("Enrollment and contributions"), "enrollment:overview", caps.VIEW, order=130),
        NavEntry(_("My contributions"), "enrollment:mine", Cap.OWN_RECORD_VIEW, order=115),
    ),
    actions=(
        ActionCode("enrollment.enrollment.enrolled", _("enrolled a person in a scheme")),
        ActionCode("enrollment.enrollment.suspended", _("suspended an enrollment")),
        ActionCode("enrollment.enrollment.ended", _("ended an enrollment")),
        ActionCode("enrollment.enrollment.renewed", _("renewed an enrollment")),
        ActionCode("enrollment.enrollment.imported", _("enrolled persons from a file")),
        ActionCode("enrollment.payment.recorded", _("recorded a contribution payment")),
        ActionCode("enrollment.payment.imported", _("imported a file of contribution payments")),
        ActionCode("enrollment.payment.viewed", _("viewed a person's payments as an agent")),
    ),
    object_types=(
        ObjectType(
            "enrollment.payment_import",
            _("file of contribution payments"),
            url_name="enrollment:import_detail",
            capability=caps.PAYMENT_IMPORT,
            model="enrollment.PaymentImport",
        ),
    ),
    urls=Routes("enrollment/", "jingban.enrollment.urls"),
    api_routers=(ApiRouter("/enrollment", "jingban.enrollment.api:router"),),
    synth=SynthGenerator("enrollment", "jingban.enrollment.synth:generate", after=("registry",)),
    demo="jingban.enrollment.demo:build",
    extra={
        "person_picture": (
            "jingban.enrollment.picture:coverage_section",
            "jingban.enrollment.picture:contributions_section",
        ),
    },
)
