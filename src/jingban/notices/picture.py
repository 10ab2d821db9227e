"""The notices' section of the person's whole picture (``core.picture``): the latest notices
of the person's own account.

The notices app's rule is that a user reads only their own inbox, whatever their role: staff
and agents see nothing of a person's notices, so the section is the person's own only."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.core.models import User
from jingban.core.picture import PictureSection
from jingban.notices import queries
from jingban.registry.models import Person

LATEST = 10


def notices_section(person: Person, viewer: User, *, year: int | None) -> PictureSection | None:
    """通知: the latest ten notices of the person's inbox, unread first."""
    if person.account_id is None or person.account_id != viewer.pk:
        return None
    inbox = queries.notices_for(viewer)
    latest = list(inbox[:LATEST])
    unread = inbox.filter(read_at__isnull=True).count()
    items = [
        {
            "id": n.pk,
            "title": n.title,
            "body": n.body,
            "due": n.due.isoformat() if n.due else None,
            "read": n.is_read,
            "created_at": n.created_at.isoformat(),
            "link": reverse("notices:open", args=[n.pk]),
        }
        for n in latest
    ]
    return PictureSection(
        key="notices.inbox",
        title=_("Notices"),
        order=800,
        template="notices/picture/inbox.html",
        context={"notices": latest, "unread": unread},
        data={"unread": unread, "latest": items},
        count=inbox.count(),
        link=reverse("notices:inbox"),
    )
