"""Policy packs: every number of policy as versioned, hashed data (see docs/policy-packs.md)."""

from jingban.engine.policy.loader import (
    Figure,
    PackError,
    PackRef,
    PolicyPack,
    Problem,
    load_pack_file,
    load_pack_text,
)
from jingban.engine.policy.registry import (
    SHIPPED_DIR,
    BadPackSpec,
    PackRegistry,
    UnknownPack,
    parse_spec,
    region_ancestry,
    shipped_registry,
)
from jingban.engine.policy.schema import PackKind, PackRules

__all__ = [
    "SHIPPED_DIR",
    "BadPackSpec",
    "Figure",
    "PackError",
    "PackKind",
    "PackRef",
    "PackRegistry",
    "PackRules",
    "PolicyPack",
    "Problem",
    "UnknownPack",
    "load_pack_file",
    "load_pack_text",
    "parse_spec",
    "region_ancestry",
    "shipped_registry",
]
