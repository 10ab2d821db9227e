"""Throttling the public pages, in the database so that every worker process counts the same
tries: filings per address, and wrong tracking lookups per address AND per tracking number (a
number guessed from many addresses is throttled too)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from jingban.core import network
from jingban.desk.models import Attempt

WINDOW = dt.timedelta(minutes=1)
KEEP = dt.timedelta(hours=1)
# Five wrong lookups a minute; the sixth is refused.
WRONG_LOOKUPS_PER_MINUTE = 5
# Filings from one address in an hour.
FILINGS_PER_HOUR = 5


def client_address(request: HttpRequest) -> str:
    return (network.client_address(request) or "unknown")[:64]


def _recent(keys: list[str], since: dt.datetime) -> dict[str, int]:
    return {key: Attempt.objects.filter(key=key, at__gte=since).count() for key in keys}


def _lock(keys: list[str]) -> None:
    with connection.cursor() as cursor:
        for key in sorted(keys):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"desk:{key}"])


def lookup_blocked(client: str, number: str) -> bool:
    """Whether lookups from ``client`` or of ``number`` are throttled now (five wrong ones in
    the last minute)."""
    since = timezone.now() - WINDOW
    counts = _recent([f"track:ip:{client}", f"track:no:{number}"], since)
    return any(n >= WRONG_LOOKUPS_PER_MINUTE for n in counts.values())


def count_wrong_lookup(client: str, number: str) -> None:
    now = timezone.now()
    keys = [f"track:ip:{client}", f"track:no:{number}"]
    with transaction.atomic():
        _lock(keys)
        Attempt.objects.filter(at__lt=now - KEEP).delete()
        Attempt.objects.bulk_create([Attempt(key=key, at=now) for key in keys])


def allow_filing(client: str) -> bool:
    """Count one filing from ``client``; False when it made the allowed number this hour."""
    now = timezone.now()
    key = f"file:ip:{client}"
    with transaction.atomic():
        _lock([key])
        if Attempt.objects.filter(key=key, at__gte=now - dt.timedelta(hours=1)).count() >= (
            FILINGS_PER_HOUR
        ):
            return False
        Attempt.objects.create(key=key, at=now)
    return True
