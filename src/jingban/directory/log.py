"""How the action log names directory entries: by organisation and name (no personal data)."""

from __future__ import annotations

from collections.abc import Sequence

from jingban.core.models import User
from jingban.directory.models import Entry


def describe_entries(viewer: User | None, ids: Sequence[str], *, reveal: bool) -> dict[str, str]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return {str(e.pk): str(e) for e in Entry.objects.filter(pk__in=wanted)}
