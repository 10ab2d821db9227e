"""The navigation marks the section the page belongs to; detail pages get breadcrumbs."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from jingban.core.navigation import NavItem, current_section, navigation_for
from tests.personas import Personas

ITEMS = [
    NavItem("Home", "/", "core"),
    NavItem("Persons", "/persons/", "registry"),
    NavItem("My records", "/persons/me/", "registry"),
    NavItem("My tokens", "/tokens/", "core"),
    NavItem("All tokens", "/tokens/all/", "core"),
    NavItem("Cases", "/ltc/cases/", "ltc"),
]


def _label(item: NavItem | None) -> object:
    return None if item is None else item.label


@pytest.mark.parametrize(
    ("path", "namespace", "expected"),
    [
        ("/", "core", "Home"),
        ("/persons/", "registry", "Persons"),
        ("/persons/7/edit/", "registry", "Persons"),
        # The longest prefix wins over a shorter one of the same app.
        ("/persons/me/", "registry", "My records"),
        ("/tokens/all/", "core", "All tokens"),
        ("/tokens/", "core", "My tokens"),
        # "/" is the home page only, not the prefix of every page.
        ("/preferences/", "core", None),
        # No prefix: the only entry of the view's namespace.
        ("/ltc/assessments/3/", "ltc", "Cases"),
        # No prefix and several entries in the namespace: nothing is guessed.
        ("/calendar/5/", "core", None),
        ("/no-such-page/", None, None),
    ],
)
def test_the_current_section(path: str, namespace: str | None, expected: str | None) -> None:
    assert _label(current_section(ITEMS, path, namespace)) == expected


def test_only_the_users_entries_are_marked(personas: Personas) -> None:
    person = personas.in_scope_person
    items = navigation_for(personas.user("wang"), f"/persons/{person.pk}/", "registry")
    assert [item.url for item in items if item.current] == [reverse("registry:person_list")]
    # chen may not see the person list: its own record is its section under /persons/.
    items = navigation_for(personas.user("chen"), reverse("registry:my_record"), "registry")
    assert [item.url for item in items if item.current] == [reverse("registry:my_record")]
    assert reverse("registry:person_list") not in {item.url for item in items}


CRUMBS = Template("{% load layout %}{% breadcrumbs %}{{ crumb }}{% endbreadcrumbs %}")


def _crumbs(crumb: str, path: str, namespace: str = "registry") -> str:
    items = [
        NavItem(
            item.label, item.url, item.namespace, item is current_section(ITEMS, path, namespace)
        )
        for item in ITEMS
    ]
    current = next((item for item in items if item.current), None)
    context = {"crumb": crumb, "nav_items": items, "nav_current": current}
    return CRUMBS.render(Context(context))


def test_breadcrumbs_name_home_the_section_and_the_page() -> None:
    html = _crumbs("王<小>明", "/persons/7/")
    assert 'aria-label="导航路径"' in html
    assert html.index('href="/"') < html.index('href="/persons/"') < html.index("王&lt;小&gt;明")
    assert '<span aria-current="page">王&lt;小&gt;明</span>' in html
    assert html.count("<li>") == 3


def test_no_crumb_no_breadcrumbs() -> None:
    assert _crumbs("  ", "/persons/7/") == ""


def test_a_page_outside_any_section_starts_from_home() -> None:
    html = _crumbs("Something", "/elsewhere/1/", "elsewhere")
    assert html.count("<li>") == 2
    assert 'href="/"' in html and "/persons/" not in html
