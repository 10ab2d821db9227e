"""The intake part of the long-term care demo world."""

from __future__ import annotations

from collections.abc import Mapping

from jingban.core.models import User


def build(admin: User, users: Mapping[str, User]) -> None:
    """Add the part's few demo rows (idempotent)."""
