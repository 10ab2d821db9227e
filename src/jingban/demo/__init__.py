"""The demo world: ``world`` builds the accounts, organisations and persons; ``apps`` makes it
the top app. Its names are also reachable here (``from jingban.demo import build_world``), read
from ``world`` only when asked for, since the package itself is imported while apps load."""

from typing import Any


def __getattr__(name: str) -> Any:
    from jingban.demo import world

    return getattr(world, name)
