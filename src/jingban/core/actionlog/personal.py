"""Personal data in the action log, encrypted under a key kept outside the database.

Apps declare which fields of their objects' before/after are personal, and of what kind (the kind
decides how a viewer without the reveal capability sees them), in their plugin::

    extra={"personal_fields": {"registry.person": {"name": "name", "phone": "phone", ...}}}

``log_action`` replaces each such value (at any depth) with a token ``pii:v1:<key id>:<data>``:
AES-256-GCM under ``JINGBAN_PII_KEY``, the field name bound in as associated data. The reason of a
row about such an object is free text that may name a person, so it is encrypted whole. The chain
and the row MAC cover the tokens, so verifying needs no personal-data key; destroying a key makes
every token under it unreadable (crypto-shredding). ``JINGBAN_PII_OLD_KEYS`` keeps earlier keys
for reading after a rotation. See docs/adr/0007-action-log-row-mac-and-personal-data.md.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

TOKEN_PREFIX = "pii:v1:"  # noqa: S105 (a marker, not a secret)
REASON_FIELD = "reason"  # the associated data of an encrypted reason
_NONCE = 12

# How a personal value is shown to a viewer without the reveal capability.
KINDS = frozenset({"name", "document", "phone", "address", "date", "text", "other"})


class Unreadable(Exception):
    """The key a token names is gone (erased by rotation) or the token was tampered with."""


def _derive(secret: str) -> tuple[str, AESGCM]:
    # The configured value may be any long random string; HKDF turns it into an AES-256 key.
    # The key id is a separate hash of it, so it names the key without revealing anything usable.
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"jingban action-log pii v1"
    ).derive(secret.encode())
    key_id = hashlib.sha256(b"jingban pii key id v1\0" + secret.encode()).hexdigest()[:16]
    return key_id, AESGCM(key)


@functools.lru_cache(maxsize=4)
def _keyring(current: str, old: tuple[str, ...]) -> tuple[str, dict[str, AESGCM]]:
    ring: dict[str, AESGCM] = {}
    for secret in (current, *old):
        key_id, cipher = _derive(secret)
        ring.setdefault(key_id, cipher)
    return _derive(current)[0], ring


def keyring() -> tuple[str, dict[str, AESGCM]]:
    """The current key id and every key id this process can decrypt with."""
    return _keyring(str(settings.PII_KEY), tuple(settings.PII_OLD_KEYS))


def current_key_id() -> str:
    return keyring()[0]


def encrypt(field: str, value: object) -> str:
    key_id, ring = keyring()
    nonce = os.urandom(_NONCE)
    data = json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
    sealed = ring[key_id].encrypt(nonce, data, f"{key_id}/{field}".encode())
    return TOKEN_PREFIX + key_id + ":" + base64.urlsafe_b64encode(nonce + sealed).decode()


def is_token(value: object) -> bool:
    return isinstance(value, str) and value.startswith(TOKEN_PREFIX)


def token_key_id(token: str) -> str:
    return token[len(TOKEN_PREFIX) :].split(":", 1)[0]


def decrypt(field: str, token: str) -> object:
    """The value a token holds; ``Unreadable`` if its key is gone or it was changed."""
    key_id, _sep, data = token[len(TOKEN_PREFIX) :].partition(":")
    cipher = keyring()[1].get(key_id)
    if cipher is None:
        raise Unreadable(key_id)
    try:
        raw = base64.urlsafe_b64decode(data.encode())
        plain = cipher.decrypt(raw[:_NONCE], raw[_NONCE:], f"{key_id}/{field}".encode())
        return json.loads(plain)
    except (InvalidTag, ValueError) as err:
        raise Unreadable(key_id) from err


def personal_fields() -> dict[str, dict[str, str]]:
    """Object type → {field: kind}, from every installed app's plugin."""
    from jingban.core.plugins import plugins

    declared: dict[str, dict[str, str]] = {}
    for plugin in plugins():
        for object_type, fields in plugin.extra.get("personal_fields", {}).items():
            for name, kind in fields.items():
                if kind not in KINDS:
                    raise ValueError(f"{plugin.app}: unknown personal field kind {kind!r}")
                declared.setdefault(object_type, {})[name] = kind
    return declared


def _protect(value: Any, fields: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        return {
            key: (
                encrypt(key, item)
                if key in fields and item is not None and item != ""
                else _protect(item, fields)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_protect(item, fields) for item in value]
    return value


def protect(object_type: str, values: dict[str, Any] | None) -> dict[str, Any] | None:
    """``values`` with every personal field of ``object_type`` encrypted (None stays None)."""
    fields = personal_fields().get(object_type)
    if values is None or not fields:
        return values
    protected: dict[str, Any] = _protect(values, fields)
    return protected


def protect_reason(object_type: str, reason: str) -> str:
    """The reason, encrypted when the row is about an object with personal fields."""
    if not reason or object_type not in personal_fields():
        return reason
    return encrypt(REASON_FIELD, reason)


def _open(value: Any, field: str | None = None) -> Any:
    if is_token(value):
        return decrypt(field or "", value)
    if isinstance(value, dict):
        return {key: _open(item, key) for key, item in value.items()}
    if isinstance(value, list):
        return [_open(item) for item in value]
    return value


@dataclass(frozen=True)
class Decrypted:
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str


def decrypted(entry: Any) -> Decrypted:
    """An ``ActionLog`` row's before, after and reason in clear; ``Unreadable`` if a key is gone.

    For code that needs the values themselves (tests, an auditor's export). Pages show rows
    through ``display``, which masks them for viewers without the reveal capability.
    """
    reason = entry.reason
    return Decrypted(
        before=_open(entry.before),
        after=_open(entry.after),
        reason=str(decrypt(REASON_FIELD, reason)) if is_token(reason) else reason,
    )
