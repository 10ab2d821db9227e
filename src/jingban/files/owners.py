"""Which app owns which kind of object a file can be attached to, and who may see one.

An app that lets files be attached to its objects declares, in its plugin,
``extra={"file_owners": {"registry.person": "jingban.registry.files:visible"}}``: the object type
and a resolver ``(user, object_id: str) -> str | None`` that answers the object's region path
when the user may see the object, and None when the object is missing or outside the user's
scope. The files app so never imports a domain app, and scope stays the owning app's decision.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from jingban.core import plugins
from jingban.core.errors import NotFound

if TYPE_CHECKING:
    from jingban.core.models import User

Resolver = Callable[["User", str], "str | None"]


@functools.cache
def resolvers() -> dict[str, str]:
    """Object type → the dotted name of its resolver, from every installed app's plugin."""
    found: dict[str, str] = {}
    for plugin in plugins.plugins():
        for object_type, dotted in plugin.extra.get("file_owners", {}).items():
            found[str(object_type)] = str(dotted)
    return found


@functools.cache
def attach_only() -> frozenset[str]:
    """Object types whose files arrive only through their owning app's own service (declared as
    ``extra={"file_attach_only": ("providers.reply",)}``): an institution's reply carries the
    files its staff sent with it, and nobody adds to it later through the files app's upload."""
    found: set[str] = set()
    for plugin in plugins.plugins():
        found.update(str(t) for t in plugin.extra.get("file_attach_only", ()))
    return frozenset(found)


def visible_region(user: User, object_type: str, object_id: str) -> str:
    """The region path of an object the user may see; NotFound for anything else (an unknown
    type, a missing object and one outside the scope look alike)."""
    dotted = resolvers().get(object_type)
    if dotted is None:
        raise NotFound()
    resolver: Resolver = plugins.load(dotted)
    region = resolver(user, str(object_id))
    if region is None:
        raise NotFound()
    return region
