"""Reference codes of the registry, as plain data.

The special-group codes come from the one list in ``jingban.engine.codes`` (claims name the same
codes as person categories). What the registry adds is which schemes each group matters to:
staff see a person's memberships only for the schemes they work on, as with enrollments
(``queries.memberships_for``). The keys are scheme kinds (``core.models.SchemeKind``): a group's
relevance follows the family of the scheme, not one product's code.
"""

from __future__ import annotations

from jingban.engine.codes import SPECIAL_GROUPS as GROUP_CODES

_MEDICAL = ("resident_medical", "employee_medical", "critical_illness")

# group code → scheme kinds whose staff need the membership. The relief groups drive medical
# assistance and the critical-illness tilts; 特困 and 低保 persons also get help with long-term
# care costs, and a severe disability matters to the care-needs assessment and to the
# subsidised resident contribution. No supplementary product in the shipped packs looks at a
# group, so none is listed for "supplementary".
SCHEME_KINDS: dict[str, tuple[str, ...]] = {
    "tekun": (*_MEDICAL, "ltc"),
    "dibao": (*_MEDICAL, "ltc"),
    "fanpin": _MEDICAL,
    "dibao_edge": _MEDICAL,
    "monitored": _MEDICAL,
    "illness_poor": _MEDICAL,
    "severe_disability": ("resident_medical", "ltc"),
}

# code, Chinese name, English name, tier, scheme kinds
SPECIAL_GROUPS = [
    (
        g.code,
        g.name_zh,
        g.name_en,
        g.tier.value if g.tier is not None else "other",
        list(SCHEME_KINDS[g.code]),
    )
    for g in GROUP_CODES
]
