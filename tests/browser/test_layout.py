"""Phone layouts: no page scrolls sideways at 360 and 390 px (nor on a tablet), in normal and in
关怀 mode; the navigation marks the current section; detail pages carry breadcrumbs; the menu
folds.

The pages are not a sample: every GET route of the authorization matrix
(``tests/core/test_authorization_matrix.py`` with every app's ``tests/<app>/matrix.py``, so a
route an app adds later is measured here without an edit), for every role the matrix lets open
it, with the object its ``Route.target`` builds in the role's scope; the reference-data admin's
routes (the matrix's ``admin:`` family) for the reference administrator; and the public pages
before signing in. Each page is loaded once and measured at 360 px, then, resized without loading
it again, at 390, 768 and 1024 px, and in 关怀 mode from 1024 px back down to 360 px:
``document.documentElement.scrollWidth <= window.innerWidth``.
A failure names the route, the role, the mode, the width and the widest elements that stick
out.

Downloads (CSV, xlsx, the stored files) and the JSON routes are left out by the content type of
the page's own response, and each left-out page is listed with why. One browser context per role
signs in once and serves both modes (the 关怀 mode is the user's preference, switched in the
database between them). axe-core does not run here: these contexts are not the ``page``
fixture's, which checks every page it visits; tests/browser/test_accessibility.py does that for
every role's pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse
from playwright.sync_api import Browser, BrowserContext, Error, Page, Response, expect

from jingban.core.models import User
from jingban.core.roles import Cap
from jingban.core.services.calendar import seed_from_chinese_calendar
from tests.authz import ROLES
from tests.browser.axe import AxeWatch
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, LOCALE, TIMEZONE
from tests.core.test_admin import _admin_expects, _admin_routes
from tests.core.test_authorization_matrix import (
    ADMIN_FAMILY,
    PAGES,
    PUBLIC,
    _args,
    _walk,
    household,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = 360
PHONE = 390
# Phones first, then a tablet upright and on its side: 关怀 mode's text is large there too.
WIDTHS = (NARROW, PHONE, 768, 1024)
HEIGHT = 780
MODES = {False: "normal mode", True: "关怀 care mode"}
CARE_MIN_PX = 18.0
# How many elements that stick out a failure names, widest first.
OFFENDERS = 3

# The page's width, whether it is in 关怀 mode, and, when it scrolls sideways, the widest
# elements that reach past the window's right edge (not those inside a box that scrolls or clips
# them, which move no scroll bar of the page).
_MEASURE = """(limit) => {
    const doc = document.documentElement;
    const body = document.body;
    const out = {
        scrollWidth: doc.scrollWidth,
        innerWidth: window.innerWidth,
        care: !!body && body.classList.contains("care"),
        lang: doc.getAttribute("lang") || "",
        fontSize: body ? parseFloat(getComputedStyle(body).fontSize) : 0,
        offenders: [],
    };
    if (out.scrollWidth <= out.innerWidth || !body) return out;
    const clipped = (el) => {
        for (let e = el.parentElement; e && e !== body && e !== doc; e = e.parentElement) {
            if (getComputedStyle(e).overflowX !== "visible") return true;
        }
        return false;
    };
    const name = (el) => {
        const id = el.id ? "#" + el.id : "";
        const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
        return el.tagName.toLowerCase() + id + cls;
    };
    const path = (el) => {
        const parts = [];
        for (let e = el; e && e !== body && parts.length < 5; e = e.parentElement) {
            parts.unshift(name(e));
        }
        return parts.join(" > ");
    };
    const sticking = new Set();
    for (const el of body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.right > out.innerWidth + 0.5 && !clipped(el)) sticking.add(el);
    }
    // The outermost ones: a table that sticks out, not also each of its rows.
    const found = [];
    for (const el of sticking) {
        if (sticking.has(el.parentElement)) continue;
        const box = el.getBoundingClientRect();
        const text = (el.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 50);
        found.push({ element: path(el), width: Math.round(box.width),
                     right: Math.round(box.right), text });
    }
    found.sort((a, b) => b.width - a.width);
    out.offenders = found.slice(0, limit);
    return out;
}"""


@dataclass(frozen=True)
class Stop:
    """A page to measure: the route it stands for and its URL."""

    route: str
    url: str
    status: int = 200
    # False for the reference-data admin: Django's own pages, without jingban's shell and its
    # 关怀 mode (they are measured in both modes all the same).
    shell: bool = True


@dataclass
class Walk:
    measured: list[tuple[str, bool, int]]  # (route, care, width)
    skipped: dict[str, str]  # route -> why
    failures: list[str]


def stops_for(personas: Personas, role: str) -> list[Stop]:
    """Every GET route of the matrix the role may open, with its object in the role's scope."""
    stops = []
    for name, route in sorted(PAGES.items()):
        if (route.method != "get" and not route.confirm) or role not in route.allowed:
            continue
        target = route.target(personas, True) if route.target else None
        stops.append(
            Stop(name, reverse(name, args=_args(target)), 200 if route.confirm else route.ok)
        )
    if personas.user(role).can(Cap.REFERENCE_ADMIN):
        for key, url in sorted(_admin_routes(personas).items()):
            if _admin_expects(key) == 200:
                stops.append(Stop(ADMIN_FAMILY + key, url, shell=False))
    return stops


def public_stops() -> list[Stop]:
    """The matrix's public routes that are pages without arguments (the others need an object
    or a POST, and are no page of their own)."""
    stops = []
    for name in sorted(PUBLIC):
        try:
            stops.append(Stop(name, reverse(name)))
        except NoReverseMatch:
            continue
    return stops


def new_context(browser: Browser, base: str) -> BrowserContext:
    context = browser.new_context(
        locale=LOCALE,
        timezone_id=TIMEZONE,
        viewport={"width": NARROW, "height": HEIGHT},
        base_url=base,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


def _content_type(headers: dict[str, str]) -> str:
    return headers.get("content-type", "").split(";")[0].strip()


def _goto(page: Page, url: str) -> Response | None:
    """``page.goto``, once more when the browser was still finishing the previous stop's own
    navigation (a JSON answer just shown, say) and that one interrupted this."""
    try:
        return page.goto(url)
    except Error as error:
        if "interrupted by another navigation" not in str(error):
            raise
        page.wait_for_load_state()
        return page.goto(url)


def open_stop(page: Page, stop: Stop, walk: Walk) -> Response | None:
    """Load the stop's page and give its response; None, with the stop listed as left out and
    why, when it is no HTML page (a download, JSON, a route that only posts). Each page is
    requested once: only what the browser does not show as a page (a download, an empty 405)
    is asked for again, to name its type."""
    try:
        response = _goto(page, stop.url)
    except Error:
        answer = page.context.request.get(stop.url)
        kind, status = _content_type(answer.headers), answer.status
        answer.dispose()
        if kind == "text/html" and status != 405:
            raise  # an HTML page the browser could not show
        walk.skipped[stop.route] = f"{kind or 'no content type'} ({status}, not shown)"
        return None
    assert response is not None
    kind = _content_type(response.headers)
    if kind != "text/html" or response.status == 405:
        walk.skipped[stop.route] = f"{kind or 'no content type'} ({response.status})"
        return None
    return response


def measure(page: Page, stop: Stop, who: str, walk: Walk, language: str = "zh-hans") -> bool:
    """Load the page once and measure it in normal mode, then in 关怀 mode; False when the stop
    is no HTML page (left out, see ``open_stop``).

    关怀 mode is the ``care`` class on <body> and nothing else (the base template's only use of
    the preference), so the page is switched in place rather than loaded again: the same markup
    the server sends in 关怀 mode, at half the loads. ``test_the_server_renders_care_mode`` checks
    that the server does set the class. The reference-data admin's pages (Django's own, without
    jingban's shell) have no 关怀 mode and are measured once. The widths go up in one mode and
    down in the other, so the page is resized once per width and mode and ends at the
    narrowest, where the next page loads."""
    response = open_stop(page, stop, walk)
    if response is None:
        return False
    if response.status != stop.status:
        walk.failures.append(f"{stop.route} as {who}: HTTP {response.status}, not {stop.status}")
        return True
    page.wait_for_load_state("load")
    measure_widths(page, stop, who, False, walk, language, WIDTHS)
    if stop.shell:
        page.evaluate("() => document.body.classList.add('care')")
        measure_widths(page, stop, who, True, walk, language, WIDTHS[::-1])
    else:
        page.set_viewport_size({"width": NARROW, "height": HEIGHT})
    return True


def measure_widths(
    page: Page,
    stop: Stop,
    who: str,
    care: bool,
    walk: Walk,
    language: str = "zh-hans",
    widths: tuple[int, ...] = WIDTHS,
) -> None:
    """Measure the loaded page at each width, in the order given."""
    for width in widths:
        if page.viewport_size != {"width": width, "height": HEIGHT}:
            page.set_viewport_size({"width": width, "height": HEIGHT})
        found = page.evaluate(_MEASURE, OFFENDERS)
        walk.measured.append((stop.route, care, width))
        if stop.shell and found["lang"] != language:
            walk.failures.append(f"{stop.route} as {who}: lang={found['lang']!r}")
        if stop.shell and found["care"] is not care:
            walk.failures.append(f"{stop.route} as {who}: not in {MODES[care]}")
        if stop.shell and care and found["fontSize"] < CARE_MIN_PX:
            walk.failures.append(f"{stop.route} as {who}: body text {found['fontSize']}px")
        if found["scrollWidth"] > found["innerWidth"]:
            widest = "; ".join(
                f"{o['element']} ({o['width']}px wide, right edge at {o['right']}px) {o['text']!r}"
                for o in found["offenders"]
            )
            walk.failures.append(
                f"{stop.route} ({stop.url}) as {who}, {MODES[care]}, {width}px: scrollWidth "
                f"{found['scrollWidth']} > innerWidth {found['innerWidth']}; widest: {widest}"
            )


def report(walk: Walk) -> str:
    lines = [f"{len(walk.failures)} problems:", *walk.failures]
    if walk.skipped:
        lines.append(
            "left out (not HTML): " + ", ".join(f"{r}: {w}" for r, w in walk.skipped.items())
        )
    return "\n".join(lines)


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = new_context(browser, live_server.url)
    yield context
    context.close()


def test_the_routes_include_every_get_page_of_the_matrix(personas: Personas) -> None:
    """The walk is the URL configuration's, through the matrix: every page route but those the
    matrix calls with POST only is some role's stop, each role's own ones in its scope."""
    seed_from_chinese_calendar([2025], acting_user=None)  # the admin's calendar year to open
    routes = {name for name, _route in _walk(get_resolver().url_patterns)}
    pages = {name for name in routes if not name.startswith(("api:", ADMIN_FAMILY))} - PUBLIC
    posted = {name for name, route in PAGES.items() if route.method != "get" and not route.confirm}
    walked = {role: stops_for(personas, role) for role in ROLES}
    names = {stop.route for stops in walked.values() for stop in stops}
    assert {name for name in names if not name.startswith(ADMIN_FAMILY)} == pages - posted
    assert {"registry:person_detail", "packs:version_trial", "notices:inbox"} <= names
    # Each role walks exactly what the matrix lets it open: chen its own record, not the list.
    chen = {stop.route for stop in walked["chen"]}
    assert "registry:my_record" in chen and "registry:person_list" not in chen
    admin_pages = {name for name in names if name.startswith(ADMIN_FAMILY)}
    # The reference-data admin's pages: the administrator's only.
    assert len(admin_pages) > 20
    assert all(stop.shell for role in ROLES if role != "admin" for stop in walked[role])
    assert {stop.route for stop in public_stops()} >= {"core:login", "documents:verify"}


# Every role in Chinese; in English (longer words, fewer places to break a line) the roles that
# between them open nearly every page: the administrator, the counter operator, the insured.
WALKS = [(role, "zh-hans") for role in ROLES] + [(role, "en") for role in ("admin", "wang", "chen")]


@pytest.mark.parametrize(("role", "language"), WALKS)
def test_no_page_scrolls_sideways(
    context: BrowserContext, personas: Personas, role: str, language: str
) -> None:
    seed_from_chinese_calendar([2025], acting_user=None)
    user = personas.user(role)
    User.objects.filter(pk=user.pk).update(care_mode=False, language=language)
    page = context.new_page()
    sign_in(page, role, personas.world.passwords[role])
    walk = Walk([], {}, [])
    stops = [
        stop
        for stop in stops_for(personas, role)
        if measure(page, stop, f"{role} ({language})", walk, language)
    ]
    assert not walk.failures, report(walk)
    # Every page was measured at every width, jingban's own in both modes; only downloads were
    # left out.
    shell = sum(1 for stop in stops if stop.shell)
    assert len(walk.measured) == (len(stops) + shell) * len(WIDTHS)
    assert {care for _route, care, _width in walk.measured} == set(MODES)
    assert all(not why.startswith("text/html") for why in walk.skipped.values()), walk.skipped
    assert stops, role


def test_the_server_renders_care_mode(context: BrowserContext, personas: Personas) -> None:
    """The walk switches 关怀 mode in the page; here the server does it, from the preference and
    from the cookie of a visitor, with the large text the walk measures."""
    user = personas.user("wang")
    page = context.new_page()
    sign_in(page, "wang", personas.world.passwords["wang"])
    for care in MODES:
        User.objects.filter(pk=user.pk).update(care_mode=care)
        for path in ("/", "/persons/"):
            page.goto(path)
            found = page.evaluate(_MEASURE, OFFENDERS)
            assert found["care"] is care, (path, care)
            assert (found["fontSize"] >= CARE_MIN_PX) is care, (path, found["fontSize"])
    page.context.clear_cookies()
    for care in MODES:
        page.context.add_cookies(
            [{"name": "jingban_care", "value": "1" if care else "0", "url": page.url}]
        )
        page.goto("/login/")
        assert page.evaluate(_MEASURE, OFFENDERS)["care"] is care


def test_no_public_page_scrolls_sideways(context: BrowserContext) -> None:
    page = context.new_page()
    walk = Walk([], {}, [])
    for stop in public_stops():
        measure(page, stop, "a visitor", walk)
    assert not walk.failures, report(walk)
    assert {route for route, _care, _width in walk.measured} >= {"core:login", "documents:verify"}
    assert {care for _route, care, _width in walk.measured} == set(MODES)


def test_the_measurement_names_what_sticks_out(context: BrowserContext) -> None:
    page = context.new_page()
    page.set_content(
        '<html lang="en"><body style="margin: 0"><main><p>fits</p>'
        '<table id="wide" style="width: 900px"><tr><td>wide</td></tr></table>'
        '<div style="overflow-x: auto"><pre id="inside" style="width: 2000px">x</pre></div>'
        "</main></body></html>"
    )
    found = page.evaluate(_MEASURE, OFFENDERS)
    assert found["scrollWidth"] == 900 and found["innerWidth"] == NARROW
    assert found["offenders"][0]["element"] == "main > table#wide"
    assert found["offenders"][0]["width"] == 900
    assert not any("inside" in o["element"] for o in found["offenders"])


# ------------------------------------------------------------------ navigation and crumbs


def test_the_section_is_marked_and_detail_pages_have_breadcrumbs(
    context: BrowserContext, personas: Personas
) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": HEIGHT})
    sign_in(page, "admin", personas.world.passwords["admin"])
    nav = page.locator("nav.site-nav")
    crumbs = page.get_by_role("navigation", name="导航路径")

    page.goto("/persons/")
    expect(nav.locator("[aria-current]")).to_have_count(1)
    expect(nav.locator('a[aria-current="page"]')).to_have_text("参保人")
    expect(crumbs).to_have_count(0)  # a list is no detail page

    person = personas.in_scope_person
    page.goto(f"/persons/{person.pk}/")
    expect(nav.locator("[aria-current]")).to_have_count(1)
    expect(nav.locator('a[aria-current="true"]')).to_have_text("参保人")
    items = crumbs.locator("ol > li")
    expect(items).to_have_count(3)
    expect(items.nth(0).locator("a")).to_have_attribute("href", "/")
    expect(items.nth(1).locator("a")).to_have_attribute("href", "/persons/")
    expect(items.nth(1)).to_have_text("参保人")
    expect(items.nth(2).locator('[aria-current="page"]')).to_have_text(person.name)

    # The longest matching entry wins: /tokens/all/ is not "My API tokens" at /tokens/.
    page.goto("/tokens/all/")
    expect(nav.locator("a[aria-current]")).to_have_attribute("href", "/tokens/all/")
    expect(nav.locator("[aria-current]")).to_have_count(1)
    page.goto("/")
    expect(nav.locator('a[aria-current="page"]')).to_have_attribute("href", "/")


def test_the_menu_folds_on_a_phone(context: BrowserContext, personas: Personas) -> None:
    page = context.new_page()
    sign_in(page, "wang", personas.world.passwords["wang"])
    toggle = page.get_by_role("button", name="菜单")
    links = page.locator("nav.site-nav a")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(links.first).to_be_hidden()
    expect(page.locator("#header-tools")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(links.first).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(links.first).to_be_hidden()
    # On a wide screen there is nothing to fold: no button, the navigation shown.
    page.set_viewport_size({"width": 1280, "height": HEIGHT})
    expect(toggle).to_be_hidden()
    expect(links.first).to_be_visible()


def test_without_scripts_nothing_is_folded(
    browser: Browser, live_server, personas: Personas
) -> None:
    context = browser.new_context(
        locale=LOCALE,
        viewport={"width": NARROW, "height": HEIGHT},
        base_url=live_server.url,
        java_script_enabled=False,
    )
    page = context.new_page()
    sign_in(page, "wang", personas.world.passwords["wang"])
    expect(page.locator("nav.site-nav a").first).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    expect(page.locator(".menu-toggle")).to_be_hidden()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW
    context.close()


_LABELS = """(table) => [...table.tBodies].flatMap((body) => [...body.rows]).map((row) =>
    [...row.cells].map((cell) => cell.getAttribute("data-label")))"""


def test_tables_become_labelled_cards_on_a_phone(
    context: BrowserContext, personas: Personas
) -> None:
    page = context.new_page()
    sign_in(page, "wang", personas.world.passwords["wang"])
    page.goto(reverse("registry:household_detail", args=[household(personas, True)]))
    table = page.locator("main table").first
    headings = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert len(headings) > 3, headings
    # Every cell of every row carries its column's heading; the table stays a table.
    rows = table.evaluate(_LABELS)
    assert rows and all(row == headings for row in rows), (headings, rows)
    expect(table).to_have_attribute("role", "table")
    first_cell = table.locator("tbody td").first
    before = first_cell.evaluate("(c) => getComputedStyle(c, '::before').content")
    assert before.startswith(f'"{headings[0]}"'), before
    thead = table.locator("thead")
    expect(thead).to_have_css("position", "absolute")  # out of sight, still read
    # A tablet keeps the grid in normal mode; 关怀 mode's larger text still wants cards there.
    page.set_viewport_size({"width": 768, "height": HEIGHT})
    expect(thead).not_to_have_css("position", "absolute")
    User.objects.filter(username="wang").update(care_mode=True)
    page.reload()
    expect(thead).to_have_css("position", "absolute")
    page.set_viewport_size({"width": 1280, "height": HEIGHT})
    expect(thead).not_to_have_css("position", "absolute")
    # A table htmx swaps in later is labelled too.
    labels = page.evaluate(
        """() => {
            const box = document.createElement("div");
            box.innerHTML = "<table><thead><tr><th>甲</th><th colspan=2>乙</th></tr></thead>"
                + "<tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>";
            document.querySelector("main").append(box);
            box.dispatchEvent(new CustomEvent("htmx:load", { bubbles: true }));
            return [...box.querySelectorAll("td")].map((td) => td.getAttribute("data-label"));
        }"""
    )
    assert labels == ["甲", "乙", "乙"]


def test_the_phone_layout_passes_axe(
    page: Page, live_server, personas: Personas, axe_watch: AxeWatch
) -> None:
    """The cards, the folded and the opened menu and the breadcrumbs, in 关怀 mode at 360 px,
    checked by axe-core (the ``page`` fixture's watcher checks every page it leaves)."""
    User.objects.filter(username="wang").update(care_mode=True)
    page.set_viewport_size({"width": NARROW, "height": HEIGHT})
    base = live_server.url
    page.goto(base + "/login/")
    page.locator("#id_username").fill("wang")
    page.locator("#id_password").fill(personas.world.passwords["wang"])
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(base + "/")
    page.get_by_role("button", name="菜单").click()
    expect(page.locator("nav.site-nav a").first).to_be_visible()
    axe_watch.check_now(page, "with the menu open")
    for path in ("/persons/", f"/persons/{personas.in_scope_person.pk}/", "/jobs/"):
        page.goto(base + path)
        expect(page.locator("body")).to_have_class(re.compile(r"\bcare\b"))
    checked = {check.url.removeprefix(base) for check in axe_watch.checks}
    assert {"/", "/persons/", f"/persons/{personas.in_scope_person.pk}/"} <= checked
