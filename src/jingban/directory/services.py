"""Changing the directory: each act checks its input, writes the entry and its action-log row
in one transaction. The import of a whole file is in ``imports``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jingban.core.actionlog import log_action
from jingban.core.errors import DomainError, ValidationFailed
from jingban.core.models import Region, User
from jingban.directory import queries
from jingban.directory.models import BusinessLine, Entry, EntryKind
from jingban.directory.phones import PhoneError, clean_phones

OBJECT_TYPE = "directory.entry"
_LIMITS = {
    "name": 200,
    "organisation_name": 200,
    "address": 300,
    "opening_hours": 200,
    "place_name": 100,
    "note": 500,
    "source": 300,
}


@dataclass(frozen=True)
class EntryInput:
    """An entry as a form or a row of a file gives it (phones as typed)."""

    name: str
    organisation_name: str
    phones: str
    business_lines: tuple[str, ...]
    kind: str = EntryKind.DEPARTMENT
    address: str = ""
    opening_hours: str = ""
    region: Region | None = None
    place_name: str = ""
    note: str = ""
    source: str = ""


def check_input(data: EntryInput) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The entry's stored values, and the problems by field name (empty when it is valid).
    Scope and uniqueness are the caller's: they depend on who files it and on the other rows."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for field, limit in _LIMITS.items():
        text = " ".join(str(getattr(data, field) or "").split())
        if len(text) > limit:
            errors.setdefault(field, []).append(
                _("At most %(n)d characters (this has %(m)d).") % {"n": limit, "m": len(text)}
            )
        values[field] = text
    for field in ("name", "organisation_name"):
        if not values[field]:
            errors.setdefault(field, []).append(_("This field is required."))
    if data.kind not in EntryKind.values:
        errors["kind"] = [_("Choose a kind: department, service window or hotline.")]
    values["kind"] = data.kind
    lines = list(dict.fromkeys(data.business_lines))
    unknown = [line for line in lines if line not in BusinessLine.values]
    if unknown:
        errors["business_lines"] = [
            _("Unknown business line: %(lines)s.") % {"lines": "、".join(unknown)}
        ]
    elif not lines:
        errors["business_lines"] = [_("Choose at least one business line.")]
    values["business_lines"] = [line for line in BusinessLine.values if line in lines]
    try:
        values["phones"] = clean_phones(data.phones)
    except PhoneError as err:
        errors["phones"] = [err.message]
    values["region"] = data.region
    if not values["place_name"] and data.region is not None:
        values["place_name"] = data.region.name
    if not values["place_name"]:
        errors["place_name"] = [_("Give the place: a region, or a place name such as 全国.")]
    return values, errors


def _snapshot(entry: Entry) -> dict[str, Any]:
    return {
        "name": entry.name,
        "organisation_name": entry.organisation_name,
        "kind": entry.kind,
        "business_lines": list(entry.business_lines),
        "phones": entry.phones,
        "address": entry.address,
        "opening_hours": entry.opening_hours,
        "region": entry.region.code if entry.region else None,
        "place_name": entry.place_name,
        "note": entry.note,
        "source": entry.source,
        "active": entry.active,
    }


def _region_path(entry: Entry) -> str:
    return entry.region.path if entry.region is not None else ""


def _validated(data: EntryInput, *, acting_user: User, exclude: int | None) -> dict[str, Any]:
    values, errors = check_input(data)
    if not queries.region_in_scope(acting_user, data.region):
        errors.setdefault("region", []).append(
            _("You may file entries only for places in your own region.")
        )
    if "name" not in errors and "organisation_name" not in errors:
        clash = Entry.objects.filter(
            organisation_name=values["organisation_name"], name=values["name"]
        )
        if exclude is not None:
            clash = clash.exclude(pk=exclude)
        if clash.exists():
            errors["name"] = [_("This organisation already has an entry with this name.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return values


@transaction.atomic
def create_entry(data: EntryInput, *, acting_user: User) -> Entry:
    """Add an entry to the directory (active)."""
    values = _validated(data, acting_user=acting_user, exclude=None)
    entry = Entry.objects.create(**values)
    log_action(
        acting_user=acting_user,
        action="directory.entry.created",
        object_type=OBJECT_TYPE,
        object_id=entry.pk,
        region_path=_region_path(entry),
        after=_snapshot(entry),
    )
    return entry


@transaction.atomic
def update_entry(entry: Entry, data: EntryInput, *, acting_user: User) -> Entry:
    """Change an entry; the log keeps what changed, before and after."""
    entry = Entry.objects.select_for_update(of=("self",)).select_related("region").get(pk=entry.pk)
    values = _validated(data, acting_user=acting_user, exclude=entry.pk)
    before = _snapshot(entry)
    for field, value in values.items():
        setattr(entry, field, value)
    after = _snapshot(entry)
    changed = [key for key in after if after[key] != before[key]]
    if not changed:
        return entry
    entry.save()
    log_action(
        acting_user=acting_user,
        action="directory.entry.changed",
        object_type=OBJECT_TYPE,
        object_id=entry.pk,
        region_path=_region_path(entry),
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    return entry


@transaction.atomic
def set_active(entry: Entry, active: bool, *, acting_user: User) -> Entry:
    """Deactivate an entry (the public no longer sees it) or bring it back."""
    entry = Entry.objects.select_for_update(of=("self",)).select_related("region").get(pk=entry.pk)
    if entry.active == active:
        raise DomainError(
            _("This entry is active already.") if active else _("This entry is inactive already.")
        )
    entry.active = active
    entry.save(update_fields=["active", "updated_at"])
    log_action(
        acting_user=acting_user,
        action="directory.entry.reactivated" if active else "directory.entry.deactivated",
        object_type=OBJECT_TYPE,
        object_id=entry.pk,
        region_path=_region_path(entry),
        before={"active": not active},
        after={"active": active},
    )
    return entry
