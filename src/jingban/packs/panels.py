"""The home page's panel of the packs app: the draft versions waiting for this user's approval
(drafts someone else entered: nobody approves their own)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language

from jingban.core.models import User
from jingban.core.roles import Cap
from jingban.packs.models import PackStatus, PackVersion

PANEL_SIZE = 10


def waiting_for_approval(user: User) -> Mapping[str, object] | None:
    if not user.can(Cap.POLICY_APPROVE):
        return None
    drafts = (
        PackVersion.objects.select_related("author")
        .filter(status=PackStatus.DRAFT)
        .exclude(author=user)
        .order_by("created_at", "id")
    )
    language = get_language() or ""
    rows = [(row, row.title(language)) for row in drafts[:PANEL_SIZE]]
    return {"drafts_total": drafts.count(), "drafts": rows}
