"""Notices (通知): what a user should look at, one row per (user, reminder key)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notice(models.Model):
    """通知: a reminder delivered to one user's inbox.

    ``key`` is the reminder's own key (``packs.version.waiting:12``): a source that names the
    same thing again on the next run finds the notice already there, so a reminder is delivered
    once. Title and body are stored in the recipient's language at delivery. ``resolved_at`` is
    set when the source no longer reports the thing (the version was approved by someone else):
    the notice stays in the inbox but no longer counts as waiting.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=pgettext_lazy("notice", "user"),
    )
    key = models.CharField(pgettext_lazy("notice", "key"), max_length=200)
    # The reminder source (``module:function``) that produced it.
    source = models.CharField(pgettext_lazy("notice", "source"), max_length=200)
    title = models.CharField(pgettext_lazy("notice", "title"), max_length=200)
    body = models.TextField(pgettext_lazy("notice", "text"), blank=True)
    # A path inside the application (``/policies/12/``), never another site.
    url = models.CharField(pgettext_lazy("notice", "link"), max_length=300, blank=True)
    due = models.DateField(pgettext_lazy("notice", "due"), null=True, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("notice", "created"), auto_now_add=True)
    read_at = models.DateTimeField(pgettext_lazy("notice", "read"), null=True, blank=True)
    resolved_at = models.DateTimeField(pgettext_lazy("notice", "resolved"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints: ClassVar = [
            # Key first: the job looks notices up by the keys its sources return.
            models.UniqueConstraint(fields=["key", "user"], name="notice_once_per_user_key"),
        ]
        indexes: ClassVar = [
            # The header's unread count and the home panel, on every page.
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True, resolved_at__isnull=True),
                name="notice_waiting_by_user",
            ),
            models.Index(fields=["user", "-created_at"], name="notice_inbox"),
            # The open notices of a source, which the job resolves when their reminder is gone.
            models.Index(
                fields=["source"],
                condition=models.Q(resolved_at__isnull=True),
                name="notice_open_by_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_waiting(self) -> bool:
        return self.read_at is None and self.resolved_at is None


class NoticePreference(models.Model):
    """Which outside channels (SMS, e-mail …) a user gets notices by, besides the inbox.

    No row: every channel the installation enables (``JINGBAN_NOTICE_CHANNELS``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preference",
        verbose_name=pgettext_lazy("notice", "user"),
    )
    channels = models.JSONField(pgettext_lazy("notice", "channels"), default=list, blank=True)
    updated_at = models.DateTimeField(pgettext_lazy("notice", "updated"), auto_now=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(self.channels)}"
