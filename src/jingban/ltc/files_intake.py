"""The intake part's answer to the files app: may this user see case X (its materials, and the
photos and notes the assessors attached as evidence). An assessor sees the files of the cases
drawn to them only, as everything else of a case (``queries_intake.cases_for``)."""

from __future__ import annotations

from jingban.core.models import User
from jingban.ltc.queries_intake import cases_for


def visible(user: User, object_id: str) -> str | None:
    """The case's region path when the user may see the case, else None."""
    if not object_id.isdigit():
        return None
    return cases_for(user).filter(pk=int(object_id)).values_list("region_path", flat=True).first()
