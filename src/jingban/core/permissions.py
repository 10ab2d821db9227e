"""The one capability check of the services: a user without the capability is refused (403)
before anything is read or written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingban.core.errors import Forbidden

if TYPE_CHECKING:
    from jingban.core.models import User


def require_capability(user: User | None, capability: str) -> None:
    """Raise ``Forbidden`` unless ``user`` holds ``capability``.

    ``None`` is the system itself (a command run by the operator of the machine, a scheduled
    job), which services let through: the command line has no account to check.
    """
    if user is not None and not user.can(capability):
        raise Forbidden()
