"""The policy page's extension point: apps declare a section per pack family in their plugin
(``extra["public_policy_sections"]``), as a PolicySection or a plain mapping."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jingban.core import plugins
from jingban.core.plugins import AppPlugin
from jingban.public import sections
from jingban.public.sections import PolicySection, SectionDeclarationError


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[AppPlugin]]:
    extra: list[AppPlugin] = []
    real = plugins.plugins()
    monkeypatch.setattr(plugins, "plugins", lambda: (*real, *extra))
    sections.policy_sections.cache_clear()
    yield extra
    sections.policy_sections.cache_clear()


def test_the_public_app_declares_its_three_families_in_order() -> None:
    families = [s.family for s in sections.policy_sections()]
    assert families[:2] == ["contribution", "medical"]
    assert "supplementary" in families
    supplementary = next(s for s in sections.policy_sections() if s.family == "supplementary")
    assert supplementary.companion
    assert supplementary.accompanies == {"resident_medical", "employee_medical"}


def test_a_later_family_adds_its_section_as_a_mapping(declared: list[AppPlugin]) -> None:
    declared.append(
        AppPlugin(
            app="ltc_example",
            extra={
                sections.EXTRA_KEY: (
                    {
                        "family": "ltc",
                        "title": "长期护理保险待遇",
                        "template": "ltc/public/policy_ltc.html",
                        "context": "jingban.ltc.public:policy_context",
                        "order": 40,
                        "accompanies": ["ltc"],
                    },
                )
            },
        )
    )
    found = {s.family: s for s in sections.policy_sections()}
    assert found["ltc"] == PolicySection(
        family="ltc",
        title="长期护理保险待遇",
        template="ltc/public/policy_ltc.html",
        context="jingban.ltc.public:policy_context",
        order=40,
        accompanies=frozenset({"ltc"}),
    )
    order = [s.family for s in sections.policy_sections()]
    assert order.index("medical") < order.index("ltc") < order.index("supplementary")


@pytest.mark.parametrize(
    "bad",
    [
        {"family": "ltc", "title": "x"},  # no template, no context
        {"family": "ltc", "title": "x", "template": "t", "context": "m:f", "colour": "red"},
        "ltc",
    ],
)
def test_a_bad_declaration_is_refused(declared: list[AppPlugin], bad: object) -> None:
    declared.append(AppPlugin(app="broken", extra={sections.EXTRA_KEY: (bad,)}))
    with pytest.raises(SectionDeclarationError, match="broken"):
        sections.policy_sections()


def test_two_sections_for_one_family_are_refused(declared: list[AppPlugin]) -> None:
    medical = {"family": "medical", "title": "x", "template": "t", "context": "m:f"}
    declared.append(AppPlugin(app="again", extra={sections.EXTRA_KEY: (medical,)}))
    with pytest.raises(SectionDeclarationError, match="medical"):
        sections.policy_sections()
