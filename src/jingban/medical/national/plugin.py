"""What the national hospital interface brings: the capability to call it (hospital staff) and
to run its housekeeping (administrators), its route, its daily job (deleting old messages) and
the action codes of its gateway credentials, lookups and housekeeping."""

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
        Capability(
            "medical.national.manage",
            _("Run the hospital interface's housekeeping (deleting old messages)"),
            {Role.ADMIN},
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
        ActionCode(
            "medical.national.lookups_throttled",
            _("was refused person lookups through the hospital interface (too many a minute)"),
        ),
        ActionCode(
            "medical.national.messages_purged",
            _("deleted hospital interface messages past their retention period"),
        ),
    ),
    object_types=(
        ObjectType("medical_national.gateway", _("hospital gateway credential")),
        ObjectType("medical_national.message", _("hospital interface message")),
    ),
    jobs="jingban.medical.national.jobs",
    urls=Routes("", "jingban.medical.national.urls"),
)
