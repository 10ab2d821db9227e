"""Accessibility: axe-core finds what it should, and no page of the demo has a serious or
critical WCAG 2 A/AA violation, for any role, in Chinese and English, in normal and 关怀 mode.

The checks on every page visited are automatic (conftest.py, axe.py); the tests here make sure
that the checker really checks, and visit every page each role can reach. The 关怀 mode test
measures text size and contrast itself, with the WCAG formulas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from jingban.core import queries as core_queries
from jingban.core.models import User
from jingban.core.roles import Cap
from jingban.core.services.calendar import seed_from_chinese_calendar
from jingban.demo.world import ACCOUNTS
from tests.browser.axe import AxeWatch, check_page
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

# An image without a text alternative, grey text on white (2.3:1), an unlabelled input.
BROKEN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Broken on purpose</title></head>
<body><main>
  <h1>Broken on purpose</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
  <p style="color: #aaaaaa; background: #ffffff">Pale text that few can read.</p>
  <input type="text" name="nameless">
</main></body></html>"""
BROKEN_RULES = {"image-alt", "color-contrast", "label"}
STYLESHEET = "/static/core/css/jingban.css"


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(base + "/")


def test_the_checker_reports_a_broken_page(page: Page, axe_watch: AxeWatch) -> None:
    page.set_content(BROKEN_PAGE)
    result = check_page(page)
    assert result is not None
    assert BROKEN_RULES <= result.rules(failing_only=True), result.describe()
    image = next(v for v in result.violations if v.rule == "image-alt")
    assert image.impact == "critical"
    assert image.targets == ("img",)
    axe_watch.stop()  # the page stays broken: not a failure of this test


def test_the_watch_checks_a_page_the_test_leaves(
    live_server, page: Page, axe_watch: AxeWatch
) -> None:
    """A page served, then left by navigating: checked on the way out, violations reported."""
    broken = live_server.url + "/broken-on-purpose/"
    page.route(broken, lambda route: route.fulfill(body=BROKEN_PAGE, content_type="text/html"))
    page.goto(broken)
    expect(page.locator("h1")).to_have_text("Broken on purpose")
    page.goto(live_server.url + "/login/")
    expect(page.locator("#id_username")).to_be_visible()
    checks = axe_watch.take()
    left = [c for c in checks if c.url == broken]
    assert len(left) == 1, [c.url for c in checks]
    assert left[0].when == "before leaving it"
    assert BROKEN_RULES <= left[0].rules(failing_only=True)
    # What the test would have failed with at its teardown.
    report = AxeWatch(checks=left).report()
    assert "[critical] image-alt" in report and broken in report
    # The login page itself is clean, and is checked again at the end of the test.
    assert not any(c.failing for c in checks if c.url != broken)


# ------------------------------------------------------------------ every page, every role

USERNAMES = [username for username, *_rest in ACCOUNTS]
LANGUAGES = ["zh-hans", "en"]
# Pages behind a capability, to find one each role is refused (403).
GUARDED = [
    ("/action-log/", Cap.ACTION_LOG_VIEW),
    ("/calendar/", Cap.CALENDAR_VIEW),
    ("/persons/", Cap.PERSON_VIEW),
    ("/persons/me/", Cap.OWN_RECORD_VIEW),
    ("/organisations/", Cap.ORGANISATION_VIEW),
]


CALENDAR_YEAR = 2025


@dataclass(frozen=True)
class Visit:
    path: str
    status: int = 200


def visits_for(personas: Personas, user: User) -> list[Visit]:
    """Every page the role can reach (detail pages of an object in scope), a 403 and a 404."""
    visits = [
        Visit("/"),
        Visit("/preferences/"),
        Visit("/notices/"),
        Visit("/tokens/"),
        Visit("/no-such-page/", 404),
    ]
    if user.can(Cap.PERSON_VIEW):
        person = personas.in_scope_person
        visits += [Visit("/persons/"), Visit(f"/persons/{person.pk}/")]
        if user.can(Cap.PERSON_CREATE):
            visits.append(Visit("/persons/new/"))
        if user.can(Cap.PERSON_EDIT):
            visits.append(Visit(f"/persons/{person.pk}/edit/"))
    if user.can(Cap.OWN_RECORD_VIEW):
        visits.append(Visit("/persons/me/"))
    if user.can(Cap.ORGANISATION_VIEW):
        organisation = core_queries.organisations_for(user).order_by("pk").first()
        assert organisation is not None, user
        visits += [Visit("/organisations/"), Visit(f"/organisations/{organisation.pk}/")]
    if user.can(Cap.ACTION_LOG_VIEW):
        visits.append(Visit("/action-log/"))
    if user.can(Cap.CALENDAR_VIEW):
        # The current year (not covered in the test world) and a year with its holidays.
        visits += [Visit("/calendar/"), Visit(f"/calendar/?year={CALENDAR_YEAR}")]
    refused = next((path for path, cap in GUARDED if not user.can(cap)), None)
    if refused is not None:
        visits.append(Visit(refused, 403))
    return visits


def visit(page: Page, base: str, where: Visit, *, care: bool, language: str) -> None:
    response = page.goto(base + where.path)
    assert response is not None and response.status == where.status, (where, response)
    expect(page.locator("html")).to_have_attribute("lang", language)
    if page.locator("body > header.site-header").count():  # pages of jingban's own shell
        body_class = page.locator("body").get_attribute("class") or ""
        assert ("care" in body_class.split()) is care, (where.path, body_class)


def use_htmx_and_forms(page: Page, base: str, user: User, personas: Personas) -> None:
    """States that only interaction reaches: an htmx search, a reveal, a form with errors."""
    if user.can(Cap.PERSON_VIEW):
        page.goto(base + "/persons/")
        name = personas.in_scope_person.name
        page.locator("#q").fill(name)
        page.locator("#q").press("Enter")
        expect(page.locator("#person-results tbody tr")).not_to_have_count(0)
        expect(page.locator("#person-results")).to_contain_text(name)
    if user.can(Cap.PERSON_REVEAL):
        page.goto(base + f"/persons/{personas.in_scope_person.pk}/")
        page.locator("#id_purpose").select_option("identity_check")
        page.locator("#document-reveal form button").click()
        expect(page.locator("#document-number")).to_have_class(re.compile("revealed"))
    if user.can(Cap.PERSON_CREATE):
        page.goto(base + "/persons/new/")
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".errorlist").first).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", USERNAMES)
def test_every_page_of_every_role_passes_axe(
    live_server, page: Page, personas: Personas, axe_watch: AxeWatch, username: str, language: str
) -> None:
    base = live_server.url
    user = personas.user(username)
    seed_from_chinese_calendar([CALENDAR_YEAR], acting_user=None)
    User.objects.filter(pk=user.pk).update(language=language, care_mode=False)
    sign_in(page, base, username, personas.world.passwords[username])
    visits = visits_for(personas, user)
    # Whatever the navigation offers is visited too, so a new page is covered once it is linked.
    hrefs = page.locator("nav.site-nav a").evaluate_all("(as) => as.map((a) => a.pathname)")
    known = {v.path for v in visits}
    visits += [Visit(href) for href in hrefs if href not in known]
    first = len(axe_watch.checks)
    shell: set[str] = set()
    # Each page is loaded once and checked twice: as the server sent it (normal mode), then in
    # 关怀 mode, which is the body's ``care`` class and nothing else (the base template's only
    # use of the preference), switched in place; leaving the page checks that state.
    # test_care_mode_text_is_large_and_has_aa_contrast checks that the server sets the class.
    for where in visits:
        visit(page, base, where, care=False, language=language)
        if where.status == 200 and page.locator("body > header.site-header").count():
            shell.add(where.path)
            axe_watch.check_now(page, "in normal mode")
            page.evaluate("() => document.body.classList.add('care')")
    # What only interaction reaches, in both modes as the server renders them.
    for care in (False, True):
        User.objects.filter(pk=user.pk).update(care_mode=care)
        use_htmx_and_forms(page, base, user, personas)
    # Leaving the last page checks it; a stylesheet is a document axe-core does not check.
    page.goto(base + STYLESHEET)
    checks = axe_watch.checks[first:]
    assert all(c.lang == language for c in checks)
    # Every page of jingban's shell was really checked in both modes (the page is the one axe
    # saw), the others (an error page, Django's admin) once.
    for care in (False, True):
        checked = {c.url.removeprefix(base) for c in checks if c.care_mode is care}
        assert shell <= checked, (care, sorted(shell - checked))
    assert {v.path for v in visits} <= {c.url.removeprefix(base) for c in checks}
    assert "/" in shell and len(shell) > len(visits) // 2


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_before_signing_in_pass_axe(
    live_server, page: Page, axe_watch: AxeWatch, language: str, care: bool
) -> None:
    base = live_server.url
    page.context.add_cookies(
        [
            {"name": "jingban_language", "value": language, "url": base},
            {"name": "jingban_care", "value": "1" if care else "0", "url": base},
        ]
    )
    visit(page, base, Visit("/login/"), care=care, language=language)
    page.locator("#id_username").fill("nobody")
    page.locator("#id_password").fill("wrong")
    page.locator("form.login-form button[type=submit]").click()
    expect(page.locator("#login-errors")).to_be_visible()
    visit(page, base, Visit("/public/verify/"), care=care, language=language)
    visit(page, base, Visit("/no-such-page/", 404), care=care, language=language)
    page.goto(base + STYLESHEET)
    checked = [c.url.removeprefix(base) for c in axe_watch.checks]
    assert checked == ["/login/", "/login/", "/public/verify/", "/no-such-page/"]
    assert all(c.care_mode is care and c.lang == language for c in axe_watch.checks)


# ------------------------------------------------------------------ 关怀 mode: size, contrast

CARE_MIN_PX = 18.0
# WCAG 2 "large text": at least 18 pt (24 px), or 14 pt (18.66 px) and bold.
LARGE_PX = 24.0
LARGE_BOLD_PX = 18.66
AA_NORMAL = 4.5
AA_LARGE = 3.0

# For every element that shows text of its own (a non-blank text node child), what it looks
# like: font size and weight, text colour, and the background colours from the element up to
# the root (the first opaque one ends the list), and whether a background image is in the way.
_TEXT_STYLES = """() => {
    const visible = (el) => {
        for (let e = el; e; e = e.parentElement) {
            const s = getComputedStyle(e);
            if (s.display === "none" || s.visibility === "hidden" || parseFloat(s.opacity) === 0) {
                return false;
            }
        }
        const box = el.getBoundingClientRect();
        return box.width > 1 && box.height > 1;
    };
    const describe = (el) => {
        const id = el.id ? "#" + el.id : "";
        const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
        return el.tagName.toLowerCase() + id + cls;
    };
    const out = [];
    for (const el of document.body.querySelectorAll("*")) {
        if (["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(el.tagName)) continue;
        const text = [...el.childNodes]
            .filter((n) => n.nodeType === Node.TEXT_NODE)
            .map((n) => n.textContent).join("").replace(/\\s+/g, " ").trim();
        const control = ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)
            && el.type !== "hidden" && el.type !== "checkbox" && el.type !== "radio";
        if (!text && !control) continue;
        if (!visible(el)) continue;
        const s = getComputedStyle(el);
        const backgrounds = [];
        let image = false;
        for (let e = el; e; e = e.parentElement) {
            const b = getComputedStyle(e);
            if (b.backgroundImage !== "none") image = true;
            backgrounds.push(b.backgroundColor);
            const alpha = b.backgroundColor.match(/rgba\\(.*,\\s*([\\d.]+)\\)$/);
            if (!alpha || parseFloat(alpha[1]) >= 1) break;
        }
        out.push({
            element: describe(el),
            text: (text || el.value || "").slice(0, 40),
            size: parseFloat(s.fontSize),
            weight: parseInt(s.fontWeight, 10),
            color: s.color,
            backgrounds,
            image,
        });
    }
    return out;
}"""

_RGB = re.compile(r"rgba?\(\s*([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\s*\)")

Rgba = tuple[float, float, float, float]


def parse_colour(css: str) -> Rgba:
    match = _RGB.fullmatch(css.strip())
    assert match, f"unexpected computed colour {css!r}"
    r, g, b, a = match.groups()
    return float(r), float(g), float(b), float(a) if a is not None else 1.0


def over(top: Rgba, bottom: tuple[float, float, float]) -> tuple[float, float, float]:
    """Alpha-composite a colour over an opaque one."""
    alpha = top[3]
    return (
        top[0] * alpha + bottom[0] * (1 - alpha),
        top[1] * alpha + bottom[1] * (1 - alpha),
        top[2] * alpha + bottom[2] * (1 - alpha),
    )


def effective_background(layers: list[str]) -> tuple[float, float, float]:
    """The colour behind the text: the layers from the element outwards, over the white canvas."""
    colour = (255.0, 255.0, 255.0)
    for layer in reversed(layers):
        colour = over(parse_colour(layer), colour)
    return colour


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2: L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised sRGB channels."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG 2: (L1 + 0.05) / (L2 + 0.05), the lighter colour's luminance over the darker's."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula() -> None:
    black, white = (0.0, 0.0, 0.0), (255.0, 255.0, 255.0)
    assert contrast_ratio(black, white) == pytest.approx(21.0)
    assert contrast_ratio(white, white) == pytest.approx(1.0)
    # #767676 on white is the classic 4.54:1, #777777 just fails AA.
    assert contrast_ratio((118.0, 118.0, 118.0), white) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio((119.0, 119.0, 119.0), white) < AA_NORMAL
    # Half-transparent black over white is mid grey.
    assert over((0.0, 0.0, 0.0, 0.5), white) == (127.5, 127.5, 127.5)
    assert effective_background(["rgba(0, 0, 0, 0)", "rgb(11, 58, 110)"]) == (11.0, 58.0, 110.0)


def text_problems(page: Page, *, care: bool) -> list[str]:
    """Every text element that is too small for 关怀 mode or misses WCAG AA contrast."""
    styles = page.evaluate(_TEXT_STYLES)
    assert len(styles) > 5, f"{page.url}: hardly any text found"
    problems = []
    for item in styles:
        where = f"{item['element']} {item['text']!r}"
        size, bold = item["size"], item["weight"] >= 700
        if care and size < CARE_MIN_PX:
            problems.append(f"{where}: {size:.1f}px < {CARE_MIN_PX}px")
        if item["image"]:
            problems.append(f"{where}: a background image makes the contrast unmeasurable")
            continue
        background = effective_background(item["backgrounds"])
        colour = over(parse_colour(item["color"]), background)
        ratio = contrast_ratio(colour, background)
        large = size >= LARGE_PX or (bold and size >= LARGE_BOLD_PX)
        needed = AA_LARGE if large else AA_NORMAL
        if ratio < needed:
            problems.append(f"{where}: contrast {ratio:.2f}:1 < {needed}:1 ({size:.1f}px)")
    return problems


def test_the_measurement_finds_small_and_pale_text(page: Page, axe_watch: AxeWatch) -> None:
    page.set_content(
        """<!DOCTYPE html><html lang="en"><head><title>t</title></head>
        <body class="care" style="font-size: 20px; background: #ffffff; color: #111111">
        <main><h1>Readable heading</h1><p>Readable text</p>
        <p style="font-size: 14px">Small text</p>
        <p style="color: #949494">Pale text</p>
        <p style="font-size: 26px; color: #949494">Large pale text</p>
        <div style="background: rgba(0, 0, 0, 0.5)"><span style="color: #333333">Dimmed</span></div>
        <p>one</p><p>two</p><p>three</p></main></body></html>"""
    )
    problems = text_problems(page, care=True)
    assert len(problems) == 3, problems
    assert "'Small text': 14.0px < 18.0px" in problems[0]
    # #949494 on white is 3.03:1: too pale for body text, enough for large text.
    assert "'Pale text': contrast 3.03:1 < 4.5:1" in problems[1]
    # Half-transparent black over white is a mid grey behind the #333333 text: 3.18:1.
    assert "'Dimmed': contrast 3.18:1 < 4.5:1" in problems[2]
    axe_watch.stop()  # broken on purpose


def measure(page: Page, *, care: bool) -> None:
    # Computed styles are only final once the stylesheet has loaded (the "load" event).
    page.wait_for_load_state("load")
    body = page.evaluate(
        "() => ({ size: parseFloat(getComputedStyle(document.body).fontSize),"
        " care: document.body.classList.contains('care') })"
    )
    assert body["care"] is care, page.url
    if care:
        assert body["size"] >= CARE_MIN_PX, (page.url, body)
        for selector in ("p", "td", "th", "label", "li"):
            sizes = page.locator(f"main {selector}").evaluate_all(
                "(els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize))"
            )
            assert all(s >= CARE_MIN_PX for s in sizes), (page.url, selector, sizes)
    problems = text_problems(page, care=care)
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


@pytest.mark.parametrize("care", [True, False], ids=["care", "normal"])
def test_care_mode_text_is_large_and_has_aa_contrast(
    live_server, page: Page, personas: Personas, care: bool
) -> None:
    base = live_server.url
    # Before signing in, the mode comes from a cookie; the login page with an error.
    page.context.add_cookies([{"name": "jingban_care", "value": "1" if care else "0", "url": base}])
    page.goto(base + "/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill("not the password")
    page.locator("form.login-form button[type=submit]").click()
    expect(page.locator("#login-errors")).to_be_visible()
    measure(page, care=care)

    User.objects.filter(username="admin").update(care_mode=care, language="zh-hans")
    sign_in(page, base, "admin", personas.world.passwords["admin"])
    person = personas.in_scope_person
    organisation = core_queries.organisations_for(personas.user("admin")).first()
    assert organisation is not None
    for path in (
        "/",
        "/persons/",
        f"/persons/{person.pk}/",
        f"/organisations/{organisation.pk}/",
        "/action-log/",
        "/calendar/",
        "/preferences/",
        "/no-such-page/",
    ):
        page.goto(base + path)
        measure(page, care=care)
    page.goto(base + "/persons/new/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    measure(page, care=care)

    # The insured person's own pages, in English.
    User.objects.filter(username="chen").update(care_mode=care, language="en")
    page.get_by_role("button", name=re.compile("退出")).click()
    sign_in(page, base, "chen", personas.world.passwords["chen"])
    for path in ("/", "/persons/me/"):
        page.goto(base + path)
        measure(page, care=care)
