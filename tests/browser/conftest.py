"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test in tests/browser/ is marked ``browser`` automatically (``pytest -m browser`` runs only
them, ``pytest -m "not browser"`` leaves them out).

A browser test asks for two fixtures:

- ``live_server`` (pytest-django): a real HTTP server running in a thread of the test process,
  serving the application against the test database. That thread has its own database
  connection, so it sees only committed rows: mark every browser test (or its module, with
  ``pytestmark``) ``@pytest.mark.django_db(transaction=True)``. The plain ``django_db`` wraps a
  test in a transaction that is never committed, and the server would not see the test's data.
  A transactional test empties the tables after it runs.
- ``page`` (below): a new page in a fresh browser context with the Chinese locale and Shanghai
  time, so cookies and storage never leak from one test to the next.

A page that trips the application's Content-Security-Policy (Chromium logs each refusal on the
console) fails the test: the policy must not break htmx, the language switch or care mode.

Every page a browser test visits is checked with axe-core (tests/browser/axe.py): each document
in its final state, just before the test navigates away from it and at the end of the test.
A serious or critical WCAG 2 A/AA violation fails the test, listing rule, impact, elements and
help. ``axe_watch`` gives a test the watcher (``axe_watch.check_now(page)`` checks the current
state, e.g. after an htmx swap). axe-core is installed from package-lock.json into node_modules/
by scripts/browser-deps.sh (``npm ci``).

The Chromium is Debian's (``JINGBAN_CHROMIUM``, default /usr/bin/chromium, installed by
scripts/browser-deps.sh, which ``make test`` runs first): ``playwright install`` cannot download
a browser on these machines. A missing executable fails the browser tests; it never skips them.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.browser.axe import AxeWatch

# Playwright's sync API runs an asyncio event loop in the main thread for as long as it is
# started (the whole session here). Django's ORM refuses to run while an event loop is running in
# its thread ("SynchronousOnlyOperation: You cannot call this from an async context"), which
# would break the database fixtures and any ORM call in a browser test. Nothing here is
# actually concurrent, the loop only waits on the browser, so the check is switched off for
# the test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCALE = "zh-CN"
TIMEZONE = "Asia/Shanghai"
DEFAULT_TIMEOUT_MS = 10_000

_HERE = Path(__file__).resolve().parent

# expect(...) assertions wait as long as the page's actions (Playwright's own default is 5 s).
expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser/ ``browser``."""
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _chromium_executable() -> Path:
    path = Path(os.environ.get("JINGBAN_CHROMIUM", "/usr/bin/chromium"))
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"the browser tests need Chromium, and there is no executable at {path}. "
            "Install it with: apt-get install chromium fonts-noto-cjk "
            "(scripts/browser-deps.sh does that as root), or set JINGBAN_CHROMIUM.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    executable = _chromium_executable()
    browser = playwright_instance.chromium.launch(
        executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def axe_watch() -> AxeWatch:
    """The axe-core watcher of the test's browser context (see tests/browser/axe.py)."""
    return AxeWatch()


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_CALL_FAILED] = True
    return report


@pytest.fixture
def page(browser: Browser, axe_watch: AxeWatch, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(locale=LOCALE, timezone_id=TIMEZONE)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    axe_watch.attach(context)
    page = context.new_page()
    # The application's Content-Security-Policy must not refuse anything its own pages use
    # (htmx, the language switch, care mode): Chromium reports each refusal on the console.
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    # A test that failed already is not failed again over the pages it left half-way.
    if request.node.stash.get(_CALL_FAILED, False):
        context.close()
        return
    try:
        axe_watch.finish(context)
    finally:
        context.close()
    report = axe_watch.report()
    if refused:
        report = "\n".join([report, "Refused by the Content-Security-Policy:", *refused]).strip()
    if report:
        pytest.fail(report, pytrace=False)
