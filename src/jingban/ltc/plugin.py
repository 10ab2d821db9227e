"""What the long-term care app brings to the platform, joined from its four parts: intake
(application, acceptance, assessment, review), decision (notice, objection, decision letter,
entitlements, dynamic re-assessment), care (care plans, visits, bed-days, hospital stays) and
settlement (the monthly flow 申报 → 初审 → 复核 → 拨付). Each part declares what it adds in its
own ``plugin_<part>.PART``; this module only puts them together."""

from __future__ import annotations

from typing import Any

from jingban.core.plugins import ApiRouter, AppPlugin, Routes, SynthGenerator
from jingban.ltc import plugin_care, plugin_decision, plugin_intake, plugin_settlement

PARTS: tuple[AppPlugin, ...] = (
    plugin_intake.PART,
    plugin_decision.PART,
    plugin_care.PART,
    plugin_settlement.PART,
)


def _joined(name: str) -> tuple[Any, ...]:
    return tuple(item for part in PARTS for item in getattr(part, name))


def _extra() -> dict[str, Any]:
    """The parts' ``extra`` mappings, one level deep (``file_owners`` from two parts join;
    ``demo_persons`` add up)."""
    joined: dict[str, Any] = {}
    for part in PARTS:
        for key, value in part.extra.items():
            if isinstance(value, dict):
                joined.setdefault(key, {}).update(value)
            elif key == "demo_persons":  # each part's named persons add up
                joined[key] = joined.get(key, 0) + int(value)
            else:
                joined[key] = value
    return joined


PLUGIN = AppPlugin(
    app="ltc",
    capabilities=_joined("capabilities"),
    navigation=_joined("navigation"),
    home_panels=_joined("home_panels"),
    actions=_joined("actions"),
    urls=Routes("", "jingban.ltc.urls"),
    api_routers=(*_joined("api_routers"), ApiRouter("/ltc", "jingban.ltc.api:router")),
    jobs="jingban.ltc.jobs",
    synth=SynthGenerator(
        "ltc", "jingban.ltc.synth:generate", after=("registry", "providers", "workforce")
    ),
    reminders=_joined("reminders"),
    header_templates=_joined("header_templates"),
    object_types=_joined("object_types"),
    log_subjects=_joined("log_subjects"),
    public_pages=_joined("public_pages"),
    demo="jingban.ltc.demo:build",
    extra={**_extra(), "person_picture": ("jingban.ltc.picture:ltc_section",)},
)
