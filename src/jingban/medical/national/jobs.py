"""The interface's daily job: forget the messages older than the retention period.

The message log (``InterfaceMessage``) is what makes a ``msgid`` sent twice answer the same
(ADR 0016) and what 2601 reverses by. A hospital resends a message within minutes or hours, and
reverses one the same day, so a message is needed for days, not for years; what it did stays in
the settlement, visit and fee rows it wrote, and in the action log, which are kept. The answer
it holds names the person (stored encrypted): keeping it for ever would keep personal data no
purpose needs. ``HOSPITAL_MESSAGE_RETENTION_DAYS`` (180: past the half-year within which claims
are reconciled and disputed) says how long. After that a resent old ``msgid`` is run as a new
message; a settlement cannot come twice all the same (a visit settles once).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.models import User
from jingban.jobs.kinds import JobContext, job_kind
from jingban.medical.national.models import InterfaceMessage

MANAGE = "medical.national.manage"


def purge_messages(*, now: dt.datetime | None = None, acting_user: User | None = None) -> int:
    """Delete the messages received before the retention period; one action-log row with the
    count and the cut-off. Returns how many."""
    days = int(settings.HOSPITAL_MESSAGE_RETENTION_DAYS)
    before = (now or timezone.now()) - dt.timedelta(days=days)
    with transaction.atomic():
        count, _by_model = InterfaceMessage.objects.filter(received_at__lt=before).delete()
        if count:
            log_action(
                acting_user=acting_user,
                action="medical.national.messages_purged",
                object_type="medical_national.message",
                after={"count": count, "before": before.isoformat(), "retention_days": days},
            )
    return count


@job_kind(
    "medical.national.messages.purge",
    label=_("Delete hospital interface messages past their retention period"),
    capability=MANAGE,
    labels={"deleted": _("Messages deleted")},
)
def purge(ctx: JobContext) -> dict[str, object]:
    return {"deleted": purge_messages(acting_user=ctx.user)}
