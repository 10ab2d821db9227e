"""Pack variants for tests: a shipped pack with some figures changed, loaded like any other."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from jingban.engine.policy import PolicyPack, load_pack_text, shipped_registry


def shipped(pack_id: str, version: int | None = None) -> PolicyPack:
    """A shipped pack: the given version, or the latest (the one in force)."""
    return shipped_registry().get(pack_id, version)


DELETE = object()  # a change that removes the entry


def variant(pack_id: str, changes: Mapping[str, Any], version: int | None = None) -> PolicyPack:
    """The shipped pack (the latest version unless ``version`` is given) with each
    ``dotted.path: value`` of ``changes`` set. The paths are the same in both layouts."""
    data = yaml.safe_load(shipped(pack_id, version).text)
    for path, value in changes.items():
        *parents, last_part = path.split(".")
        node = data
        for part in parents:
            node = node[_key(node, part)]
        last = _key(node, last_part)
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return load_pack_text(yaml.safe_dump(data, allow_unicode=True), source=f"{pack_id}*")


def _key(node: dict[Any, Any], part: str) -> Any:
    """Hospital levels are integer keys in the YAML."""
    return int(part) if part.isdigit() and int(part) in node else part
