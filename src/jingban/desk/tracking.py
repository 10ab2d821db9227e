"""Tracking numbers and secret codes: random, not a sequence, so that no one can guess a number
from their own. A number is 11 random characters of an alphabet without look-alikes (no 0/O,
1/I/L) and one check character, so a mistyped number is told apart from an unknown one only
by the staff's pages, never by the public ones (which answer both the same way)."""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password, make_password

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BODY = 11
SECRET_LENGTH = 10


def check_char(body: str) -> str:
    total = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_number() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY))
    return body + check_char(body)


def normalise(typed: str) -> str:
    return "".join(typed.split()).replace("-", "").upper()[:32]


def well_formed(number: str) -> bool:
    return (
        len(number) == BODY + 1
        and all(c in ALPHABET for c in number)
        and check_char(number[:BODY]) == number[BODY]
    )


def new_secret() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))


def hash_secret(secret: str) -> str:
    return make_password(normalise(secret))


def secret_matches(secret: str, hashed: str) -> bool:
    return bool(hashed) and check_password(normalise(secret), hashed)


def last_four(document_number: str) -> str:
    return document_number.strip().upper()[-4:]
