"""What the files app brings: uploads checked by content, attached to other apps' objects."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import ActionCode, AppPlugin, Capability, ObjectType, Routes
from jingban.core.roles import Role

PLUGIN = AppPlugin(
    app="files",
    capabilities=(
        Capability("files.file.upload", _("Upload materials"), {Role.OPERATOR, Role.ADMIN}),
        # Those who see persons see their materials; the owning app's scope still applies. An
        # institution's staff see only what their institution's objects carry (its checks'
        # evidence, its replies' files): the owning apps' resolvers answer nothing else to them.
        Capability(
            "files.file.view",
            _("View materials"),
            {
                Role.OPERATOR,
                Role.REVIEWER,
                Role.ASSESSOR,
                Role.AUDITOR,
                Role.SUPERVISOR,
                Role.INSTITUTION_STAFF,
                Role.ADMIN,
            },
        ),
    ),
    actions=(
        ActionCode("files.file.uploaded", _("uploaded a file")),
        ActionCode("files.file.downloaded", _("downloaded a file")),
    ),
    object_types=(ObjectType("files.file", _("file"), model="files.StoredFile"),),
    urls=Routes("files/", "jingban.files.urls"),
)
