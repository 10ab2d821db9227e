"""The sections of the policy page (``/public/policy/``): one per pack family, declared by the apps.

A section explains the pack of one family in force for the chosen region, scheme and day. An app
declares its sections in its plugin, under ``extra["public_policy_sections"]``, each a
``PolicySection`` or a plain mapping with the same keys (so an app below the public pages in the
layers needs no import of this module)::

    extra={
        "public_policy_sections": (
            {
                "family": "ltc",
                "title": _("Long-term care insurance benefits"),
                "template": "ltc/public/policy_ltc.html",
                "context": "jingban.ltc.public:policy_context",
                "order": 40,
            },
        )
    }

``context`` names a function ``(pack: PolicyPack, reader: FigureReader) -> Mapping`` (the reader,
``jingban.public.figures``, shows each figure in its unit with its sample mark); the template
receives its result as ``explained`` beside ``pack`` (a ``PackFacts``: title, version, period,
region) and includes ``public/policy/_figure.html`` for each figure. A ``companion`` section
explains every pack of its family in force in the region (the 惠民保 products beside the basic
scheme), for the scheme kinds it ``accompanies``. See docs/public-pages.md.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from jingban.core import plugins

EXTRA_KEY = "public_policy_sections"


@dataclass(frozen=True)
class PolicySection:
    """How the policy page explains the packs of one family."""

    family: str
    title: str | Promise
    template: str
    context: str  # "module:function": (pack, reader) -> Mapping[str, object]
    order: int = 500
    # A line under the heading saying what the section is about.
    intro: str | Promise = ""
    # False: the one pack of this family for the chosen scheme. True: every pack of this family
    # in force in the region, whatever its scheme, shown beside the schemes of ``accompanies``.
    companion: bool = False
    accompanies: frozenset[str] = field(default_factory=frozenset)


class SectionDeclarationError(TypeError):
    """A plugin declares a section the page cannot use (a programming error, caught by the
    plugin tests)."""


def _section(declared: object, app: str) -> PolicySection:
    if isinstance(declared, PolicySection):
        return declared
    if isinstance(declared, Mapping):
        values: dict[str, Any] = dict(declared)
        if "accompanies" in values:
            values["accompanies"] = frozenset(values["accompanies"])
        try:
            return PolicySection(**values)
        except TypeError as err:
            raise SectionDeclarationError(f"{app}: {EXTRA_KEY}: {err}") from err
    raise SectionDeclarationError(f"{app}: {EXTRA_KEY} holds {declared!r}")


@functools.cache
def policy_sections() -> tuple[PolicySection, ...]:
    """Every declared section, in their order (then by family); one section per family."""
    found: dict[str, PolicySection] = {}
    for plugin in plugins.plugins():
        for declared in plugin.extra.get(EXTRA_KEY, ()):
            section = _section(declared, plugin.app)
            if section.family in found:
                raise SectionDeclarationError(
                    f"{plugin.app}: the family {section.family} has a section already"
                )
            found[section.family] = section
    return tuple(sorted(found.values(), key=lambda s: (s.order, s.family)))
