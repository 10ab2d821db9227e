"""The per-account limit on 1101 (a person looked up by document number).

A hospital account that reads people by document number faster than any registration desk
could (``HOSPITAL_LOOKUPS_PER_MINUTE``, 120 by default) is harvesting, or broken: the lookups
above the limit are refused with infcode −1 and a Chinese message until a minute has passed.
The window slides: the lookups of the last 60 seconds count, in the database so that every
worker process counts the same ones, one account at a time (an advisory lock) so parallel
requests cannot slip under the limit together. A refused lookup is not counted, so waiting
always helps. The first refusal of a window is written to the action log
(``medical.national.lookups_throttled``, no document number in it) and every one to the
server log.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jingban.core.actionlog import log_action
from jingban.core.models import ActionLog, User
from jingban.medical.national.models import PersonLookup

logger = logging.getLogger(__name__)
WINDOW = dt.timedelta(minutes=1)
# pg_advisory_xact_lock(class, account id): one account's lookups are counted one at a time.
_LOCK_CLASS = 0x6A62_3131
THROTTLED = "medical.national.lookups_throttled"


def allow_lookup(account: User) -> bool:
    """Count one 1101 of ``account``; False (nothing counted, the refusal logged) when it made
    the allowed number in the last minute."""
    limit = int(settings.HOSPITAL_LOOKUPS_PER_MINUTE)
    now = timezone.now()
    since = now - WINDOW
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, account.pk])
        PersonLookup.objects.filter(account=account, at__lt=since).delete()
        if PersonLookup.objects.filter(account=account).count() < limit:
            PersonLookup.objects.create(account=account, at=now)
            return True
        logger.warning("hospital interface: account %s over %d lookups a minute", account.pk, limit)
        if not ActionLog.objects.filter(actor=account, action=THROTTLED, at__gte=since).exists():
            organisation = account.organisation
            log_action(
                acting_user=account,
                action=THROTTLED,
                object_type="core.user",
                object_id=account.pk,
                after={
                    "limit": limit,
                    "institution": organisation.code if organisation is not None else "",
                },
            )
    return False
