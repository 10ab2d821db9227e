"""The public form's captcha: ALTCHA's proof of work, made and checked here, with no outside
service. The browser's widget solves a challenge (a few hundred thousand hashes); the server
checks the solution's signature and refuses one it has accepted before (replay)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import altcha
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jingban.desk.models import UsedChallenge

ALGORITHM = "SHA-256"
LIFETIME = dt.timedelta(minutes=20)


def _secret() -> str:
    return hashlib.sha256(f"desk-altcha:{settings.SECRET_KEY}".encode()).hexdigest()


def cost() -> int:
    """The work asked of the browser: settings.DESK_CAPTCHA_COST (tests set it low)."""
    return int(getattr(settings, "DESK_CAPTCHA_COST", 5000))


def new_challenge() -> dict[str, Any]:
    challenge = altcha.create_challenge(
        ALGORITHM,
        cost(),
        expires_at=timezone.now() + LIFETIME,
        hmac_secret=_secret(),
    )
    return challenge.to_dict()


def verify(payload: str) -> bool:
    """Whether ``payload`` (the widget's form field) is a valid, unexpired solution that was not
    used before; a valid one is then recorded as used."""
    if not payload or len(payload) > 20_000:
        return False
    try:
        result = altcha.verify_solution(payload, _secret())
    except Exception:
        return False
    if not getattr(result, "verified", False):
        return False
    digest = hashlib.sha256(_fingerprint(payload).encode()).hexdigest()
    try:
        with transaction.atomic():
            UsedChallenge.objects.filter(at__lt=timezone.now() - 2 * LIFETIME).delete()
            UsedChallenge.objects.create(digest=digest, at=timezone.now())
    except IntegrityError:
        return False
    return True


def _fingerprint(payload: str) -> str:
    """The challenge a payload solves (its signature), whatever the encoding around it."""
    import base64

    try:
        data = json.loads(base64.b64decode(payload))
        challenge = data.get("challenge", data)
        return str(challenge.get("signature") or challenge.get("parameters") or payload)
    except (ValueError, TypeError, AttributeError):
        return payload
