"""Changing notices: the job records reminders as notices; a user marks theirs read.

Reading one's own notices is not an act on anyone's data: marking read is not written to the
action log. Creating notices is summarised in the reminder job's result (and so in its
``jobs.run.succeeded`` row), not row by row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jingban.core.errors import NotFound, ValidationFailed
from jingban.core.models import User
from jingban.core.reminders import Reminder
from jingban.notices import channels
from jingban.notices.models import Notice, NoticePreference

_TITLE_MAX = Notice._meta.get_field("title").max_length or 200
_KEY_MAX = Notice._meta.get_field("key").max_length or 200
_URL_MAX = Notice._meta.get_field("url").max_length or 300
_BODY_MAX = 2000
_LOCK = 0x6E6F7469  # "noti": one reminder run at a time


@dataclass
class Summary:
    """What one reminder run did, for the job's result."""

    sources: int = 0
    reminders: int = 0
    created: int = 0
    already_delivered: int = 0
    resolved: int = 0
    reopened: int = 0
    skipped: int = 0  # for an inactive or unknown user, or with an unusable key
    recipients: set[int] = field(default_factory=set)

    def as_result(self) -> dict[str, object]:
        return {
            "sources": self.sources,
            "reminders": self.reminders,
            "created": self.created,
            "already_delivered": self.already_delivered,
            "resolved": self.resolved,
            "reopened": self.reopened,
            "skipped": self.skipped,
            "recipients": len(self.recipients),
        }


def safe_url(url: str) -> str:
    """A path of this application, or nothing: a notice never links to another site."""
    url = url.strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url or len(url) > _URL_MAX:
        return ""
    return url


def record_reminders(
    found: Sequence[tuple[str, Sequence[Reminder]]], *, now: dt.datetime | None = None
) -> Summary:
    """Turn the reminders of each source into notices, in one transaction.

    ``found`` holds, per source that ran, everything it returned. A (user, key) that already
    has a notice gets none again; an unresolved notice of one of these sources whose reminder
    is gone is resolved, and a resolved one whose reminder is back is reopened. Returns the
    figures; the new notices go to the outside channels once the transaction commits.
    """
    now = now or timezone.now()
    summary = Summary(sources=len(found))
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Two runs at once would each find the other's notices missing.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        wanted: dict[tuple[int, str], tuple[str, Reminder]] = {}
        for source, reminders in found:
            for reminder in reminders:
                summary.reminders += 1
                if not reminder.key or len(reminder.key) > _KEY_MAX:
                    summary.skipped += 1
                    continue
                wanted.setdefault((reminder.user_id, reminder.key), (source, reminder))
        users = {
            u.pk: u
            for u in User.objects.filter(
                pk__in={user_id for user_id, _key in wanted}, is_active=True
            )
        }
        sources = [source for source, _reminders in found]
        existing = {
            (n.user_id, n.key): n
            # What the sources name now, and what is still open from them before: not every
            # notice they ever produced.
            for n in Notice.objects.filter(
                Q(key__in={key for _user, key in wanted})
                | Q(source__in=sources, resolved_at__isnull=True)
            ).only("id", "user_id", "key", "source", "resolved_at")
        }
        new: list[Notice] = []
        for (user_id, key), (source, reminder) in wanted.items():
            user = users.get(user_id)
            if user is None:
                summary.skipped += 1
                continue
            notice = existing.get((user_id, key))
            if notice is not None:
                summary.already_delivered += 1
                if notice.resolved_at is not None:
                    Notice.objects.filter(pk=notice.pk).update(resolved_at=None)
                    summary.reopened += 1
                continue
            new.append(_notice(user, source, reminder))
            summary.recipients.add(user_id)
        gone = [
            n.pk
            for pair, n in existing.items()
            if pair not in wanted and n.resolved_at is None and n.source in sources
        ]
        summary.resolved = Notice.objects.filter(pk__in=gone).update(resolved_at=now)
        created = Notice.objects.bulk_create(new, batch_size=1000)
        summary.created = len(created)
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _deliver(ids))
    return summary


def _notice(user: User, source: str, reminder: Reminder) -> Notice:
    # Each recipient reads the notice in their own language, fixed when it is delivered.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        title = str(reminder.title)[:_TITLE_MAX]
        body = str(reminder.body)[:_BODY_MAX]
    return Notice(
        user=user,
        key=reminder.key,
        source=source,
        title=title,
        body=body,
        url=safe_url(reminder.url),
        due=reminder.due,
    )


def _deliver(ids: list[int]) -> None:
    if ids:
        channels.deliver(Notice.objects.select_related("user").filter(pk__in=ids).order_by("id"))


def mark_read(notice_id: int, *, acting_user: User) -> Notice:
    """Mark one of the user's own notices read; another user's is NotFound, like a missing one."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id, user=acting_user).first()
        if notice is None:
            raise NotFound()
        if notice.read_at is None:
            notice.read_at = timezone.now()
            notice.save(update_fields=["read_at"])
    return notice


def mark_all_read(*, acting_user: User) -> int:
    """Mark every unread notice of the user read; how many there were."""
    return Notice.objects.filter(user=acting_user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def set_channels(names: Iterable[str], *, acting_user: User) -> list[str]:
    """The outside channels the user wants notices by (among those configured)."""
    available = channels.configured()
    chosen = list(dict.fromkeys(names))
    unknown = [name for name in chosen if name not in available]
    if unknown:
        raise ValidationFailed(fields={"channels": [_("Choose among the channels offered.")]})
    NoticePreference.objects.update_or_create(user=acting_user, defaults={"channels": chosen})
    return chosen
