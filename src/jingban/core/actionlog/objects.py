"""How entries about core's own objects name them (``ObjectType.describe`` in core's plugin)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from jingban.core import plugins
from jingban.core.models import User


def describe_users(viewer: User, ids: Sequence[str], *, reveal: bool) -> dict[str, str]:
    """User accounts by the name they go by (staff and agents, not personal data of the insured
    beyond what the account's holder chose to show)."""
    wanted = [int(i) for i in ids if i.isdigit()]
    return {str(u.pk): str(u) for u in User.objects.filter(pk__in=wanted)}


def describe_exports(viewer: User, ids: Sequence[str], *, reveal: bool) -> dict[str, str]:
    """A downloaded list (``registry.persons``) named after the object type of its rows."""
    declared = plugins.object_types()
    names: dict[str, str] = {}
    for list_name in ids:
        kind = declared.get(list_name) or declared.get(list_name.removesuffix("s"))
        if kind is not None:
            names[list_name] = _("list of %(things)s") % {"things": kind.label}
    return names
