"""The demo world: ``world`` builds the accounts, organisations and persons; ``apps`` makes it
the top app. Its names are also reachable here (``from jingban.demo import build_world``), read
from ``world`` only when asked for, since the package itself is imported while apps load."""

from importlib import import_module
from typing import Any


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    world = import_module("jingban.demo.world")
    return world if name == "world" else getattr(world, name)
