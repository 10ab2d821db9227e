"""Policy packs: every number of policy as versioned, hashed data (see docs/policy-packs.md)."""

from jingban.engine.policy.loader import (
    Figure,
    Note,
    PackError,
    PackRef,
    PolicyPack,
    Problem,
    WrongFamily,
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
from jingban.engine.policy.schema import Family, PackKind, PackRules

__all__ = [
    "SHIPPED_DIR",
    "BadPackSpec",
    "Family",
    "Figure",
    "Note",
    "PackError",
    "PackKind",
    "PackRef",
    "PackRegistry",
    "PackRules",
    "PolicyPack",
    "Problem",
    "UnknownPack",
    "WrongFamily",
    "load_pack_file",
    "load_pack_text",
    "parse_spec",
    "region_ancestry",
    "shipped_registry",
]
