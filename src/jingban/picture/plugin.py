"""What the person's whole picture brings to the platform: one page and one API that gather
every app's sections of a person (``core.picture``), for staff (a person of their scope) and
for the insured person (their own, or as an agent a principal's)."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import ActionCode, ApiRouter, AppPlugin, NavEntry, Routes
from jingban.core.roles import Cap

PLUGIN = AppPlugin(
    app="picture",
    navigation=(NavEntry(_("My whole picture"), "picture:mine", Cap.OWN_RECORD_VIEW, order=105),),
    actions=(ActionCode("picture.person.viewed", _("viewed a person's whole picture")),),
    urls=Routes("", "jingban.picture.urls"),
    api_routers=(ApiRouter("/picture", "jingban.picture.api:router"),),
)
