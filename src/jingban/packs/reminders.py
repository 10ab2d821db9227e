"""Reminders of the packs app: drafts waiting for a second person's approval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.core import plugins
from jingban.core.models import User
from jingban.core.reminders import Reminder, text
from jingban.core.roles import Cap
from jingban.packs.models import PackStatus, PackVersion


def approvers() -> list[User]:
    """Every active account whose role may approve pack versions."""
    roles = [
        role for role, caps in plugins.role_capabilities().items() if Cap.POLICY_APPROVE in caps
    ]
    return list(User.objects.filter(is_active=True, role__in=roles).order_by("id"))


def waiting_for_approval(today: dt.date) -> Iterator[Reminder]:
    """Each draft version, to each user who may approve it: never its author."""
    drafts = PackVersion.objects.filter(status=PackStatus.DRAFT).order_by("id")
    people = approvers()
    for draft in drafts:
        url = reverse("packs:version_detail", args=[draft.pk])
        for user in people:
            if user.pk == draft.author_id:
                continue
            yield Reminder(
                user_id=user.pk,
                key=f"packs.version.waiting:{draft.pk}",
                title=text(_("Policy pack %(spec)s waits for approval"), spec=draft.spec),
                body=text(
                    _("Entered on %(day)s. Another person must approve or reject it."),
                    day=draft.created_at.date().isoformat(),
                ),
                url=url,
            )
