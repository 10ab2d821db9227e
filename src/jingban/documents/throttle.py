"""Throttling the public verification page by client address, in the database.

In the database rather than a per-process cache, so that every worker process of the server
counts the same attempts. A counter, not a business record: it is not in the action log.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from jingban.core import network
from jingban.documents.models import VerificationAttempt

WINDOW = dt.timedelta(minutes=1)
KEEP = dt.timedelta(hours=1)


def client_address(request: HttpRequest) -> str:
    # The client's address as sign-in sees it: X-Forwarded-For is believed only from the
    # proxies JINGBAN_TRUSTED_PROXIES names, so a visitor cannot pick a fresh address per try.
    return (network.client_address(request) or "unknown")[:64]


def allow(client: str) -> bool:
    """Count one check from ``client``; False when it already made the allowed number in the
    last minute (the refused attempt is not counted, so waiting a minute always helps)."""
    now = timezone.now()
    with transaction.atomic():
        # One client's attempts are counted one at a time, so parallel requests cannot all
        # slip under the limit.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"verify:{client}"])
        VerificationAttempt.objects.filter(at__lt=now - KEEP).delete()
        recent = VerificationAttempt.objects.filter(client=client, at__gte=now - WINDOW).count()
        if recent >= int(settings.VERIFY_PER_MINUTE):
            return False
        VerificationAttempt.objects.create(client=client, at=now)
    return True
