"""The registry's reference data in the admin: special-group codes (特殊群体)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jingban.core.admin_site import ReferenceAdmin, site
from jingban.core.models import SchemeKind
from jingban.registry.models import SpecialGroup


@admin.register(SpecialGroup, site=site)
class SpecialGroupAdmin(ReferenceAdmin):
    """A group's code is what memberships, rules and past action rows name: fixed once made.
    A group with members cannot be deleted (its memberships protect it)."""

    action_codes = {
        "add": "admin.registry.special_group.add",
        "change": "admin.registry.special_group.change",
        "delete": "admin.registry.special_group.delete",
    }

    audit_type = "registry.special_group"
    fields = ("code", "name_zh", "name_en", "tier", "scheme_kinds")
    list_display = ("code", "name_zh", "name_en", "tier", "scheme_kind_labels")
    list_filter = ("tier",)
    search_fields = ("code", "name_zh", "name_en")
    identity_fields = ("code",)

    @admin.display(description=_("relevant to schemes"))
    def scheme_kind_labels(self, obj: SpecialGroup) -> str:
        """The scheme kinds by their names in the user's language, not their codes."""
        labels = dict(SchemeKind.choices)
        return "、".join(str(labels.get(kind, kind)) for kind in obj.scheme_kinds) or "—"
