"""Action-log rows as a viewer may see them: personal values decrypted for a viewer with the
reveal capability, masked for others, and marked erased when their key is gone (ADR 0007)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jingban.core import plugins
from jingban.core.actionlog import personal
from jingban.core.actionlog.sentences import Sentence, choice_label, field_label, sentences
from jingban.core.models import ActionLog, User
from jingban.core.roles import Cap

_VALUE_LIMIT = 200  # characters of one shown value; job results can be long
# Runs of digits long enough to be a document or phone number, in free text.
_NUMBER_RUN = re.compile(r"\d[\dXx\- ]{4,}[\dXx]")


@dataclass
class Change:
    field: str
    before: str
    after: str
    label: str = ""  # the field's label in the viewer's language


@dataclass
class ShownEntry:
    entry: ActionLog
    reason: str
    changes: list[Change] = field(default_factory=list)
    revealed: bool = False  # whether decrypted personal data is shown in clear
    sentence: Sentence | None = None


def _mask_middle(text: str, keep_start: int, keep_end: int, min_hidden: int) -> str:
    if len(text) <= keep_start + keep_end:
        return "*" * max(min_hidden, len(text))
    hidden = max(min_hidden, len(text) - keep_start - keep_end)
    return text[:keep_start] + "*" * hidden + text[len(text) - keep_end :]


def mask(kind: str, value: object) -> str:
    """A personal value as a viewer without the reveal capability sees it."""
    text = str(value).strip()
    if kind == "name":
        return text[:1] + "*" * max(1, len(text) - 1) if text else ""
    if kind == "document":
        if len(text) == 18:
            return _mask_middle(text, 6, 4, 8)
        return _mask_middle(text, 2, 2, 3)
    if kind == "phone":
        if "-" in text:
            area, local = text.split("-", 1)
            return f"{area}-{_mask_middle(local, 0, 2, 3)}"
        if len(text) == 11 and text.startswith("1"):
            return _mask_middle(text, 3, 4, 4)
        return _mask_middle(text, 0, 2, 3)
    if kind == "address":
        return _mask_middle(text, 6, 0, 3)
    if kind == "text":  # free text that may name a person: numbers in it masked
        return mask_free_text(text)
    # Dates (a birth date rebuilds a masked document number) and undeclared kinds: never shown.
    return _("hidden")


def mask_free_text(text: str) -> str:
    """Free text with every long run of digits (a document or phone number) masked."""
    return _NUMBER_RUN.sub(lambda m: _mask_middle(m.group(0), 0, 2, 3), text)


class _Shower:
    def __init__(self, kinds: Mapping[str, str], reveal: bool) -> None:
        self.kinds, self.reveal, self.revealed = kinds, reveal, False

    def value(self, item: Any, key: str | None = None) -> Any:
        if personal.is_token(item):
            try:
                plain = personal.decrypt(key or "", item)
            except personal.Unreadable:
                return _("erased")
            if self.reveal:
                self.revealed = True
                return plain
            return mask(self.kinds.get(key or "", "other"), plain)
        if isinstance(item, dict):
            return {k: self.value(v, k) for k, v in item.items()}
        if isinstance(item, list):
            return [self.value(v) for v in item]
        return item

    def text(self, item: Any, key: str) -> str:
        shown = self.value(item, key)
        if shown is None or shown == []:
            return "—"
        if isinstance(shown, list) and all(isinstance(v, str | int) for v in shown):
            text = pgettext("list separator", ", ").join(
                str(v) for v in shown
            )  # a list of codes or names, as a list
        else:
            text = shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False)
        return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 1] + "…"

    def reason(self, reason: str) -> str:
        if not personal.is_token(reason):
            return reason
        try:
            plain = str(personal.decrypt(personal.REASON_FIELD, reason))
        except personal.Unreadable:
            return _("erased")
        if self.reveal:
            self.revealed = True
            return plain
        return mask_free_text(plain)


def _value_text(shower: _Shower, object_type: str, key: str, value: Any) -> str:
    """A stored choice by its label (居民身份证, not ``resident_id``), anything else as shown."""
    label = choice_label(object_type, key, value)
    return label if label is not None else shower.text(value, key)


def shown_entries(entries: Iterable[ActionLog], viewer: User, *, reveal: bool) -> list[ShownEntry]:
    """Rows ready for a page. ``reveal`` asks for personal values in clear; it is honoured only
    for a viewer with the reveal capability (the caller logs that it showed them)."""
    reveal = reveal and viewer.can(Cap.PERSON_REVEAL)
    declared = personal.personal_fields()
    rows = list(entries)
    said = sentences(rows, viewer, reveal=reveal)
    shown = []
    for entry in rows:
        shower = _Shower(declared.get(entry.object_type, {}), reveal)
        before, after = entry.before or {}, entry.after or {}
        keys = list(dict.fromkeys([*before, *after]))

        changes = [
            Change(
                key,
                _value_text(shower, entry.object_type, key, before.get(key)),
                _value_text(shower, entry.object_type, key, after.get(key)),
                field_label(entry.object_type, key),
            )
            for key in keys
        ]
        reason = shower.reason(entry.reason)
        sentence = said.get(entry.pk)
        if reveal and sentence is not None and _names_person(sentence, entry):
            shower.revealed = True
        shown.append(
            ShownEntry(entry, reason, changes, revealed=shower.revealed, sentence=sentence)
        )
    return shown


def _names_person(sentence: Sentence, entry: ActionLog) -> bool:
    """Whether the sentence names a person (an object type declared ``personal``): showing it
    in clear counts as showing personal data."""
    declared = plugins.object_types()
    named = [(sentence.object, entry.object_type)]
    if sentence.on_behalf is not None:
        named.append((sentence.on_behalf, entry.on_behalf_of.partition(":")[0]))
    for shown, object_type in named:
        kind = declared.get(object_type)
        if shown is not None and shown.text and kind is not None and kind.personal:
            return True
    return False
