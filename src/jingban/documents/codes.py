"""Verification codes: an HMAC-SHA256 over a document's kind, number, date and subject.

100 bits of the MAC, written as 20 base-32 characters in groups of four
(``K7QD-2M5X-…``): short enough to type from paper, far too many to guess, and useless without
the key (``settings.DOCUMENT_KEY``). Only the SHA-256 of the code is stored, to find the row.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re

from django.conf import settings

CODE_CHARS = 20
_NOT_CODE = re.compile(r"[^A-Z2-7]")


def _mac(kind: str, number: str, issued_on: dt.date, subject: str) -> bytes:
    message = "\n".join([kind, number, issued_on.isoformat(), subject]).encode()
    return hmac.new(settings.DOCUMENT_KEY.encode(), message, hashlib.sha256).digest()


def make_code(kind: str, number: str, issued_on: dt.date, subject: str) -> str:
    raw = base64.b32encode(_mac(kind, number, issued_on, subject)).decode()[:CODE_CHARS]
    return "-".join(raw[i : i + 4] for i in range(0, CODE_CHARS, 4))


def normalise(typed: str) -> str:
    """What the user typed, as the bare code: case, spaces and dashes do not matter."""
    return _NOT_CODE.sub("", typed.upper())


def digest(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def matches(code: str, kind: str, number: str, issued_on: dt.date, subject: str) -> bool:
    expected = normalise(make_code(kind, number, issued_on, subject))
    return hmac.compare_digest(normalise(code), expected)
