"""What the national hospital interface brings: the capability to call it (hospital staff),
its route, and the action codes of its gateway credentials."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import ActionCode, AppPlugin, Capability, ObjectType, Routes
from jingban.core.roles import Role

PLUGIN = AppPlugin(
    app="medical_national",
    capabilities=(
        Capability(
            "medical.national.call",
            _("Settle through the national hospital interface"),
            {Role.INSTITUTION_STAFF},
        ),
    ),
    actions=(
        ActionCode("medical.national.gateway_issued", _("issued a hospital gateway credential")),
        ActionCode("medical.national.gateway_renewed", _("renewed a hospital gateway secret")),
        ActionCode("medical.national.gateway_revoked", _("revoked a hospital gateway credential")),
        ActionCode(
            "medical.national.person_queried",
            _("read a person's information through the hospital interface"),
        ),
    ),
    object_types=(ObjectType("medical_national.gateway", _("hospital gateway credential")),),
    urls=Routes("", "jingban.medical.national.urls"),
)
