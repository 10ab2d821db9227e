"""How entries about core's own objects name them (``ObjectType.describe`` in core's plugin)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jingban.core import plugins
from jingban.core.models import Organisation, Region, Scheme, User


def describe_users(viewer: User, ids: Sequence[str], *, reveal: bool) -> dict[str, str]:
    """User accounts by the name they go by (staff and agents, not personal data of the insured
    beyond what the account's holder chose to show)."""
    wanted = [int(i) for i in ids if i.isdigit()]
    return {str(u.pk): str(u) for u in User.objects.filter(pk__in=wanted)}


def describe_exports(viewer: User | None, ids: Sequence[str], *, reveal: bool) -> dict[str, str]:
    """A downloaded list (``registry.persons``) named after the object type of its rows."""
    declared = plugins.object_types()
    names: dict[str, str] = {}
    for list_name in ids:
        kind = declared.get(list_name) or declared.get(list_name.removesuffix("s"))
        if kind is not None:
            names[list_name] = _("list of %(things)s") % {"things": kind.label}
    return names


# The filters an export records (``core.export.downloaded``), by key.
_FILTER_LABELS = {
    "date_from": gettext_lazy("From"),
    "date_to": gettext_lazy("To"),
    "actor": gettext_lazy("Who"),
    "subject": gettext_lazy("Person"),
    "object_type": gettext_lazy("Object type"),
    "action": gettext_lazy("Action"),
    "search": gettext_lazy("Search"),
}
_FORMATS = {"csv": "CSV", "xlsx": "Excel (xlsx)"}


def _filter_value(key: str, value: object) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "action":
        return plugins.action_label(str(value))
    if key == "object_type":
        return plugins.object_type_label(str(value))
    return str(value)


def export_value(key: str, value: object) -> str | None:
    """An export entry's values in words: the list's name, the format, the filters by label."""
    if key == "list" and isinstance(value, str):
        return describe_exports(None, [value], reveal=False).get(value)
    if key == "format" and isinstance(value, str):
        return _FORMATS.get(value)
    if key == "filters" and isinstance(value, dict):
        if not value:
            return "—"
        separator = pgettext("list separator", ", ")
        return separator.join(
            f"{_FILTER_LABELS.get(k, k)}: {_filter_value(k, v)}" for k, v in value.items()
        )
    return None


def reference_value(key: str, value: object) -> str | None:
    """Reference data named in an entry about a user or an organisation by its name, the code
    beside it: a region, an organisation, schemes."""
    if key == "region" and isinstance(value, str) and value:
        region = Region.objects.filter(code=value).first()
        return f"{region.name}（{value}）" if region is not None else None
    if key == "organisation" and isinstance(value, str) and value:
        organisation = Organisation.objects.filter(code=value).first()
        return organisation.name if organisation is not None else None
    if key == "schemes" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        if not value:
            return "—"
        names = {scheme.code: str(scheme) for scheme in Scheme.objects.filter(code__in=value)}
        return pgettext("list separator", ", ").join(names.get(str(v), str(v)) for v in value)
    return None
