"""axe-core in the browser tests: every page a test visits is checked against WCAG 2 A/AA.

axe-core comes from npm (package.json, package-lock.json; scripts/browser-deps.sh runs
``npm ci``) and is injected from node_modules/ into every document of the test's browser
context: nothing is fetched from the network. ``AxeWatch`` checks each document in its final
state, the one the test leaves it in:

- When a page is about to leave a document (a link, a form submission, ``page.goto``, a script),
  the document's ``beforeunload`` handler starts axe on it and reports the result to Python
  through a binding. A route handler sees the navigation request and holds it until that report
  has arrived, so the old document is still there, unchanged, while axe runs. (The route handler
  cannot evaluate in the page itself: Chromium defers DevTools commands to a frame while it
  navigates, but the page's own scripts and bindings keep running.)
- At the end of the test, the document each page then shows is checked from Python.

A page changed by htmx swaps is therefore checked as it stands when the test moves on, and
``axe_watch.check_now(page)`` checks the current state at any moment. Violations of impact
``serious`` or ``critical`` fail the test (at its teardown), listed with rule, impact, target
selectors and help text; ``moderate`` and ``minor`` ones are recorded, not failed. A document that
loaded and could not be checked fails the test too.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Error, Page, Route

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Every WCAG 2.x level A and AA rule axe-core has.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")
FAILING_IMPACTS = frozenset({"serious", "critical"})
BINDING = "__jingbanAxeReport"
# How long a navigation is held for the old document's report (axe takes well under a second).
REPORT_TIMEOUT_S = 8.0
# How long to wait for a loaded document's beforeunload to announce its check.
START_GRACE_S = 1.0

# Defines window.__jingbanAxe in a document: its state and a function running axe-core on it.
# Only HTML documents with content are checked: not the blank page a context starts on, not a
# stylesheet opened as a page.
_AXE_HELPERS = """
(() => {
    if (window.__jingbanAxe) return;
    const docId = Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
    const state = () => ({
        docId,
        url: location.href,
        checkable: document.contentType === "text/html"
            && !!document.body && document.body.childElementCount > 0,
        care: !!document.body && document.body.classList.contains("care"),
        lang: document.documentElement.getAttribute("lang") || "",
    });
    const run = async (tags) => {
        const results = await window.axe.run(document, {
            runOnly: { type: "tag", values: tags },
            resultTypes: ["violations"],
        });
        return results.violations.map((v) => ({
            rule: v.id,
            impact: v.impact || "",
            help: v.help,
            targets: v.nodes.map((n) => n.target.map(String).join(" ")),
            summaries: v.nodes.map((n) => n.failureSummary || ""),
        }));
    };
    window.__jingbanAxe = { state, run };
})();
"""

# Runs in every top-level document of the context (after axe.min.js and the helpers).
_WATCH_SCRIPT = """
(() => {
    if (window.top !== window || !window.__jingbanAxe || window.__jingbanAxeWatching) return;
    window.__jingbanAxeWatching = true;
    const report = window.%(binding)s;
    const tags = %(tags)s;
    let seq = 0;
    window.addEventListener("load", () => {
        const s = window.__jingbanAxe.state();
        report({ kind: "loaded", docId: s.docId, checkable: s.checkable, url: s.url });
    });
    window.addEventListener("beforeunload", () => {
        const s = window.__jingbanAxe.state();
        seq += 1;
        const key = s.docId + "#" + seq;
        if (!s.checkable) {
            report({ kind: "skipped", key, docId: s.docId });
            return;
        }
        report({ kind: "started", key, docId: s.docId, url: s.url });
        // A test may move on before the page has its stylesheets: check the page as the user
        // sees it, styled (their requests go on while the navigation is held; the load event,
        // though, never comes once a navigation has started).
        const pending = [...document.querySelectorAll('link[rel="stylesheet"]')]
            .filter((link) => !link.sheet)
            .map((link) => new Promise((resolve) => {
                link.addEventListener("load", resolve, { once: true });
                link.addEventListener("error", resolve, { once: true });
            }));
        // (A stylesheet that failed earlier has no sheet and no event to come: 3 s at most.)
        const styled = Promise.race([
            Promise.all(pending),
            new Promise((resolve) => setTimeout(resolve, 3000)),
        ]);
        styled.then(() => window.__jingbanAxe.run(tags)).then(
            (violations) => report({ kind: "done", key, docId: s.docId, state: s, violations }),
            (error) => report({ kind: "failed", key, docId: s.docId, url: s.url,
                                error: String(error) }),
        );
    });
})();
"""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    summaries: tuple[str, ...]

    @property
    def failing(self) -> bool:
        return self.impact in FAILING_IMPACTS

    def describe(self) -> str:
        lines = [f"  [{self.impact}] {self.rule}: {self.help}"]
        for target, summary in list(zip(self.targets, self.summaries, strict=False))[:8]:
            detail = " ".join(summary.split())
            lines.append(f"      {target}" + (f"  — {detail}" if detail else ""))
        if len(self.targets) > 8:
            lines.append(f"      … and {len(self.targets) - 8} more elements")
        return "\n".join(lines)


@dataclass(frozen=True)
class PageCheck:
    url: str
    when: str
    care_mode: bool
    lang: str
    violations: tuple[Violation, ...]

    @property
    def failing(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.failing)

    def rules(self, *, failing_only: bool = False) -> set[str]:
        return {v.rule for v in (self.failing if failing_only else self.violations)}

    def describe(self) -> str:
        mode = "关怀 care mode" if self.care_mode else "normal mode"
        head = f"{self.url} ({self.when}; lang={self.lang or '?'}; {mode})"
        return "\n".join([head, *(v.describe() for v in self.failing)])


def _axe_missing() -> AssertionError:
    return AssertionError(
        f"axe-core is not installed: {AXE_SCRIPT} is missing. Run scripts/browser-deps.sh "
        "(it runs `npm ci --no-audit --no-fund` from package-lock.json)."
    )


def _page_check(state: dict[str, Any], found: list[dict[str, Any]], when: str) -> PageCheck:
    return PageCheck(
        url=str(state["url"]),
        when=when,
        care_mode=bool(state["care"]),
        lang=str(state["lang"]),
        violations=tuple(
            Violation(
                rule=v["rule"],
                impact=v["impact"],
                help=v["help"],
                targets=tuple(v["targets"]),
                summaries=tuple(v["summaries"]),
            )
            for v in found
        ),
    )


def check_page(page: Page, when: str = "checked by the test") -> PageCheck | None:
    """Run axe-core on the page's current document; None if it is not an HTML page."""
    if not AXE_SCRIPT.is_file():
        raise _axe_missing()
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # A document written by page.set_content() on a page without the init script.
        # Evaluated through DevTools rather than added as a <script> tag, which the
        # application's Content-Security-Policy (no inline script) would refuse.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    page.evaluate(_AXE_HELPERS)
    state: dict[str, Any] = page.evaluate("() => window.__jingbanAxe.state()")
    if not state["checkable"]:
        return None
    found: list[dict[str, Any]] = page.evaluate(
        "(tags) => window.__jingbanAxe.run(tags)", list(WCAG_TAGS)
    )
    return _page_check(state, found, when)


@dataclass
class _PageState:
    loaded: str | None = None  # docId of the last document whose load event fired
    # Checks running: key -> (docId, URL).
    started: dict[str, tuple[str, str]] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)  # docIds with a finished check


@dataclass
class AxeWatch:
    """Checks every document shown in a browser context's pages; collects the results."""

    checks: list[PageCheck] = field(default_factory=list)
    # Documents that went away without a check, or whose check failed (should stay empty).
    missed: list[str] = field(default_factory=list)
    stopped: bool = False
    _pages: dict[int, _PageState] = field(default_factory=dict)

    def attach(self, context: BrowserContext) -> None:
        """Watch every page of the context (call before its first page is opened)."""
        if not AXE_SCRIPT.is_file():
            raise _axe_missing()
        context.expose_binding(BINDING, self._on_report)
        # One script, since the order of several init scripts is not defined.
        watch = _WATCH_SCRIPT % {"binding": BINDING, "tags": json.dumps(list(WCAG_TAGS))}
        source = AXE_SCRIPT.read_text(encoding="utf-8")
        context.add_init_script(script=f"{source}\n;{_AXE_HELPERS}\n;{watch}")
        context.route("**/*", self._before_request)

    def _state(self, page: Page) -> _PageState:
        return self._pages.setdefault(id(page), _PageState())

    def _on_report(self, source: dict[str, Any], message: dict[str, Any]) -> None:
        state = self._state(source["page"])
        kind = message["kind"]
        if kind == "loaded":
            # A new document: a check still running in an earlier one died with it. That
            # happens only when the page left it without a network request (about:blank, data:
            # URLs), which cannot be held.
            for key, (doc, url) in list(state.started.items()):
                if doc != message["docId"]:
                    del state.started[key]
                    if not self.stopped:
                        self.missed.append(
                            f"{url}: left for a page that is not fetched over the network "
                            "before axe-core finished; call axe_watch.check_now(page) first"
                        )
            state.loaded = message["docId"] if message["checkable"] else None
        elif kind == "started":
            state.started[message["key"]] = (message["docId"], message["url"])
        else:
            state.started.pop(message.get("key", ""), None)
            state.reported.add(message["docId"])
            if kind == "done" and not self.stopped:
                self.checks.append(
                    _page_check(message["state"], message["violations"], "before leaving it")
                )
            elif kind == "failed" and not self.stopped:
                self.missed.append(f"{message['url']}: axe-core failed: {message['error']}")

    def _before_request(self, route: Route) -> None:
        try:
            request = route.request
            if request.is_navigation_request() and request.frame.parent_frame is None:
                self._wait_for_report(request.frame.page)
        finally:
            route.fallback()

    def _wait_for_report(self, page: Page) -> None:
        """Hold a navigation until the document it leaves has been checked."""
        state = self._state(page)
        url = page.url
        start = time.monotonic()
        while True:
            # beforeunload runs before the request is made, so the "started" of a document
            # that loaded is normally here already; it gets a short grace.
            unchecked = state.loaded is not None and state.loaded not in state.reported
            if not unchecked and not state.started:
                return
            waited = time.monotonic() - start
            problem = ""
            if unchecked and not state.started and waited > START_GRACE_S:
                problem = f"{url}: left without a beforeunload check"
            elif waited > REPORT_TIMEOUT_S:
                problem = f"{url}: axe-core took over {REPORT_TIMEOUT_S:.0f} s"
            if problem:
                if not self.stopped:
                    self.missed.append(problem)
                state.loaded = None
                state.started.clear()
                return
            page.wait_for_timeout(20)

    def check_now(self, page: Page, when: str = "checked by the test") -> PageCheck | None:
        """Check the page's current state now (e.g. after an htmx swap) and record it."""
        try:
            result = check_page(page, when)
        except Error as error:
            self.missed.append(f"{page.url} ({when}): {error.message.splitlines()[0]}")
            return None
        if result is not None:
            self.checks.append(result)
        return result

    def stop(self) -> None:
        """Check nothing more in this test (tests of the checker break pages on purpose)."""
        self.stopped = True

    def finish(self, context: BrowserContext) -> None:
        """Check the document every open page shows at the end of the test."""
        if self.stopped:
            return
        for page in context.pages:
            if page.is_closed():
                continue
            try:
                page.wait_for_load_state("load")
            except Error:
                pass
            self.check_now(page, "at the end of the test")

    def take(self) -> list[PageCheck]:
        """Hand over the checks so far and forget them (for tests of the checker itself)."""
        taken, self.checks = self.checks, []
        return taken

    @property
    def failing(self) -> list[PageCheck]:
        return [check for check in self.checks if check.failing]

    def report(self) -> str:
        """Why the test fails, or an empty string."""
        parts: list[str] = []
        failing = self.failing
        if failing:
            parts.append(
                "axe-core found serious or critical accessibility violations (WCAG 2 A/AA) "
                f"in {len(failing)} of {len(self.checks)} page checks:"
            )
            parts.extend(check.describe() for check in failing)
        if self.missed:
            parts.append("pages that axe-core could not check:")
            parts.extend(f"  {m}" for m in self.missed)
        return "\n".join(parts)
