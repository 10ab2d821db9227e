"""Action-log entries as sentences an auditor reads: who did what, to which object, on whose
behalf, and when, in the viewer's language.

An entry stores codes (``registry.person.contact_updated``, ``registry.person`` 3). Each code has
a label its app declares (``ActionCode``, ``ObjectType``), and an app may say how its objects are
named and linked for a viewer (``ObjectType.describe`` and ``link``), so an entry reads "王柜员
修改了人员的电话或地址：参保人 张三（320505********1234）" with a link to the person's page, and
core reads no app's tables. The names come from the app, masked as the app masks them for that
viewer; an undeclared type or id reads as the label alone, never as a code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from jingban.core import plugins
from jingban.core.models import ActionLog, User

# Keys that entries of many kinds hold (bulk loads, exports, lookups, reveals), labelled once here;
# an object type's own labels come first.
COMMON_FIELDS = {
    "rows": gettext_lazy("rows"),
    "digest": gettext_lazy("content digest"),
    "entries": gettext_lazy("entries"),
    "list": pgettext_lazy("action log field", "list"),
    "format": gettext_lazy("file format"),
    "filters": gettext_lazy("filters"),
    "matches": gettext_lazy("matches"),
    "term": gettext_lazy("searched number"),
    "term_digest": gettext_lazy("digest of the searched number"),
    "purpose": gettext_lazy("purpose"),
    "note": gettext_lazy("note"),
    "status": gettext_lazy("status"),
}

Describer = Callable[..., Mapping[str, str]]
Linker = Callable[[User, str], "str | None"]


@dataclass(frozen=True)
class ObjectShown:
    """The object an entry is about, as the viewer may see it."""

    type_label: str
    text: str  # the object's name for this viewer ("" when the app gives none)
    url: str | None


@dataclass(frozen=True)
class Sentence:
    actor: str
    action: str
    object: ObjectShown | None
    on_behalf: ObjectShown | None
    at: dt.datetime  # local time

    @property
    def lead(self) -> str:
        """Who did what ("王柜员修改了人员的电话或地址"), in the active language."""
        return _("%(actor)s %(action)s") % {"actor": self.actor, "action": self.action}


def actor_name(entry: ActionLog) -> str:
    if entry.actor is not None:
        return str(entry.actor)
    if entry.actor_name in ("", "system"):
        return _("the system")
    return entry.actor_name


def _split_principal(value: str) -> tuple[str, str] | None:
    object_type, sep, object_id = value.partition(":")
    return (object_type, object_id) if sep and object_type and object_id else None


def _names(
    viewer: User, wanted: Mapping[str, set[str]], reveal: bool
) -> dict[tuple[str, str], str]:
    """(object type, id) → the object's name for the viewer, one call per declared type."""
    names: dict[tuple[str, str], str] = {}
    declared = plugins.object_types()
    for object_type, ids in wanted.items():
        kind = declared.get(object_type)
        if kind is None or kind.describe is None or not ids:
            continue
        describe: Describer = plugins.load(kind.describe)
        for object_id, text in describe(viewer, sorted(ids), reveal=reveal).items():
            names[(object_type, str(object_id))] = text
    return names


def _link(viewer: User, object_type: str, object_id: str) -> str | None:
    kind = plugins.object_types().get(object_type)
    if kind is None or not object_id:
        return None
    if kind.link is not None:
        linker: Linker = plugins.load(kind.link)
        return linker(viewer, object_id)
    if kind.url_name is None or not object_id.isdigit():
        return None
    if kind.capability is not None and not viewer.can(kind.capability):
        return None
    return reverse(kind.url_name, args=[int(object_id)])


def sentences(
    entries: Iterable[ActionLog], viewer: User, *, reveal: bool = False
) -> dict[int, Sentence]:
    """Entry id → its sentence for ``viewer`` (the names of a page's objects read in one query
    per object type). ``reveal``: the viewer may see personal data in clear here (the caller
    checked the capability and logs the showing); names are masked otherwise."""
    rows = list(entries)
    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in rows:
        if entry.object_type and entry.object_id:
            wanted[entry.object_type].add(entry.object_id)
        principal = _split_principal(entry.on_behalf_of)
        if principal is not None:
            wanted[principal[0]].add(principal[1])
    names = _names(viewer, wanted, reveal)

    declared = plugins.object_types()

    def shown(object_type: str, object_id: str) -> ObjectShown:
        text = names.get((object_type, object_id), "")
        kind = declared.get(object_type)
        label = plugins.object_type_label(object_type)
        if text and kind is not None and kind.names_itself:
            label, text = text, ""
        return ObjectShown(type_label=label, text=text, url=_link(viewer, object_type, object_id))

    result: dict[int, Sentence] = {}
    for entry in rows:
        principal = _split_principal(entry.on_behalf_of)
        result[entry.pk] = Sentence(
            actor=actor_name(entry),
            action=plugins.action_label(entry.action),
            object=shown(entry.object_type, entry.object_id) if entry.object_type else None,
            on_behalf=shown(*principal) if principal else None,
            at=timezone.localtime(entry.at),
        )
    return result


def field_label(object_type: str, key: str) -> str:
    """The label of a key of an entry's before/after: declared by the object type, else the
    verbose name of its model's field, else a common key's label, else the key itself (a key
    nobody labelled)."""
    kind = plugins.object_types().get(object_type)
    if kind is not None and key in kind.fields:
        return str(kind.fields[key])
    model_field = _model_field(object_type, key)
    if model_field is not None and hasattr(model_field, "verbose_name"):
        return str(model_field.verbose_name)
    if key in COMMON_FIELDS:
        return str(COMMON_FIELDS[key])
    return key


def _model_field(object_type: str, key: str) -> Any:
    """The model field an entry's key stands for: in the object type's model, else in the
    further models it declares."""
    kind = plugins.object_types().get(object_type)
    if kind is None:
        return None
    for name in (kind.model, *kind.models):
        if not name:
            continue
        try:
            return apps.get_model(name)._meta.get_field(key)
        except (FieldDoesNotExist, LookupError):
            continue
    return None


def _choices(model_field: Any) -> dict[object, str]:
    base = getattr(model_field, "base_field", None)  # a list of choices (ArrayField)
    flat = getattr(base if base is not None else model_field, "flatchoices", None) or []
    return {stored: str(label) for stored, label in flat}


def choice_label(object_type: str, key: str, value: object) -> str | None:
    """A stored choice by its label (``resident_id`` → 居民身份证; a list of choices joined), when
    the key is a model field with choices; else the object type's own ``value_text``; else None
    (the value is shown as stored)."""
    kind = plugins.object_types().get(object_type)
    if kind is not None and kind.value_text is not None:
        shown: Callable[[str, object], str | None] = plugins.load(kind.value_text)
        text = shown(key, value)
        if text is not None:
            return text
    model_field = _model_field(object_type, key)
    choices = _choices(model_field) if model_field is not None else {}
    if not choices:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        separator = pgettext("list separator", ", ")
        return separator.join(str(choices.get(v, v)) for v in value) if value else "—"
    if isinstance(value, str | int) and not isinstance(value, bool) and value in choices:
        return choices[value]
    return None


def plain_sentence(sentence: Sentence) -> str:
    """The sentence as one line of text (an export's cell)."""
    text = sentence.lead
    if sentence.object is not None:
        about = sentence.object.type_label
        if sentence.object.text:
            about = f"{about} {sentence.object.text}"
        text += _(": %(object)s") % {"object": about}
    if sentence.on_behalf is not None:
        whom = sentence.on_behalf.text or sentence.on_behalf.type_label
        text += _(" (on behalf of %(person)s)") % {"person": whom}
    return text
