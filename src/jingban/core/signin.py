"""Sign-in throttling: growing delays per address and per account, never a lockout.

django-axes records every failed sign-in (``AccessFailureLog``) and every success
(``AccessLog``) with the client address from ``jingban.core.network``; its own lockout is off
(``AXES_LOCK_OUT_AT_FAILURE = False``) because a lockout keyed on the account lets anyone lock
staff out by typing their user name. This module reads those records and decides how long a
new attempt must wait (ADR 0009):

- Per address: after ``FREE_FAILURES`` failures within ``WINDOW``, each further attempt waits
  ``BASE_DELAY`` doubled per extra failure, up to ``ADDRESS_CAP``, counted from the last failure.
- Per account (failures against one user name from any address): the same growth, capped at
  ``ACCOUNT_CAP`` (short, so an attacker spread over many addresses cannot keep the owner out
  for long), and not applied at an address from which the account signed in within
  ``KNOWN_ADDRESS_DAYS``: the owner's usual desk is never slowed by someone else's guessing.

An attempt made while a delay runs is refused without checking the password and does not count
as a failure, so waiting always works. Attempted user names are stored only as a keyed digest
(a mistyped password often lands in the user-name field).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone

FREE_FAILURES = 5
WINDOW = dt.timedelta(hours=1)
BASE_DELAY = 5  # seconds, for the first failure past the free ones
ADDRESS_CAP = 15 * 60
ACCOUNT_CAP = 60
KNOWN_ADDRESS_DAYS = 30


def username_key(username: str) -> str:
    """The keyed digest under which an attempted user name is recorded."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), username.strip().lower().encode(), hashlib.sha256
    )
    return "h:" + digest.hexdigest()[:32]


def axes_username(request: HttpRequest | None, credentials: dict[str, object] | None) -> str:
    """``AXES_USERNAME_CALLABLE``: axes stores the digest, never the typed text."""
    username = ""
    if credentials:
        username = str(credentials.get("username") or "")
    elif request is not None:
        username = str(request.POST.get("username", ""))
    return username_key(username)


def delay_after(failures: int, cap: int) -> int:
    """Seconds to wait after ``failures`` recent failures (0 while they are few)."""
    if failures < FREE_FAILURES:
        return 0
    return min(BASE_DELAY * 2 ** min(failures - FREE_FAILURES, 20), cap)


@dataclass(frozen=True)
class Throttle:
    wait_seconds: int
    reason: str  # "address" or "account"; "" when the attempt may go ahead


def _remaining(failures: int, last: dt.datetime | None, cap: int, now: dt.datetime) -> int:
    if last is None:
        return 0
    ends = last + dt.timedelta(seconds=delay_after(failures, cap))
    return max(0, int((ends - now).total_seconds() + 0.999))


def throttle_for(address: str, username: str) -> Throttle:
    """How long an attempt from ``address`` for ``username`` must still wait."""
    now = timezone.now()
    recent = AccessFailureLog.objects.filter(attempt_time__gte=now - WINDOW)
    by_address = recent.filter(ip_address=address).aggregate(
        count=Count("id"), last=Max("attempt_time")
    )
    wait = _remaining(by_address["count"], by_address["last"], ADDRESS_CAP, now)
    if wait:
        return Throttle(wait, "address")
    known = AccessLog.objects.filter(
        username__iexact=username.strip(),
        ip_address=address,
        attempt_time__gte=now - dt.timedelta(days=KNOWN_ADDRESS_DAYS),
    ).exists()
    if username and not known:
        by_account = recent.filter(username=username_key(username)).aggregate(
            count=Count("id"), last=Max("attempt_time")
        )
        wait = _remaining(by_account["count"], by_account["last"], ACCOUNT_CAP, now)
        if wait:
            return Throttle(wait, "account")
    return Throttle(0, "")
