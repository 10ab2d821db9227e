"""What the registry's services share."""

from __future__ import annotations

from jingban.core.errors import Forbidden
from jingban.core.models import User
from jingban.core.roles import Cap


def require(user: User, capability: Cap) -> None:
    """Refuse (403) a user without ``capability``, before anything is looked up or written."""
    if not user.can(capability):
        raise Forbidden()
