"""What the directory app brings to the platform: the department directory (部门电话) for
staff at /directory/ and for anyone at /public/directory/."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    ApiRouter,
    AppPlugin,
    Capability,
    NavEntry,
    ObjectType,
    PublicPage,
    Routes,
)
from jingban.core.roles import Role

EDIT = "directory.entry.edit"
IMPORT = "directory.entry.import"

PLUGIN = AppPlugin(
    app="directory",
    # Every signed-in user reads the directory (it is public): no capability to view it.
    capabilities=(
        Capability(
            EDIT,
            _("Add and change directory entries of one's region"),
            {Role.ADMIN, Role.OPERATOR},
        ),
        Capability(IMPORT, _("Import the department directory from a file"), {Role.ADMIN}),
    ),
    navigation=(NavEntry(_("Department directory"), "directory:entry_list", order=850),),
    actions=(
        ActionCode("directory.entry.created", _("added a directory entry")),
        ActionCode("directory.entry.changed", _("changed a directory entry")),
        ActionCode("directory.entry.deactivated", _("deactivated a directory entry")),
        ActionCode("directory.entry.reactivated", _("reactivated a directory entry")),
        ActionCode("directory.entry.imported", _("imported directory entries")),
    ),
    object_types=(
        ObjectType(
            "directory.entry",
            _("directory entry"),
            describe="jingban.directory.log:describe_entries",
            model="directory.Entry",
            url_name="directory:entry_edit",
            capability=EDIT,
        ),
    ),
    urls=Routes("", "jingban.directory.urls"),
    api_routers=(ApiRouter("/directory", "jingban.directory.api:router"),),
    public_pages=(
        PublicPage(
            _("Department directory"),
            "directory:public_search",
            _("Phone numbers, addresses and opening hours of the medical insurance offices."),
            order=200,
        ),
    ),
    demo="jingban.directory.demo:build",
)
