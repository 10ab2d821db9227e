"""The long-term care part of the demo world: each part's rows, in the order of the case (a
part may use what the parts before it added)."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.core.models import User
from jingban.ltc import demo_care, demo_decision, demo_intake, demo_settlement


def build(admin: User, users: Mapping[str, User]) -> None:
    for part in (demo_intake, demo_decision, demo_care, demo_settlement):
        part.build(admin, users)
