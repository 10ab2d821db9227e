"""No page loads anything from another origin, and none carries inline script or style.

Walks every GET route of the authorization matrix (as a role allowed to see it, on an object in
its scope) and the API's documentation page; parses each answer and fails on a script, style
sheet, icon, image, frame or form that points outside the app's own origin, on inline script
(a ``<script>`` without ``src``, an ``on…=`` handler, a ``javascript:`` URL) and on ``style``
elements or attributes; and checks the Content-Security-Policy header of each.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.core.test_authorization_matrix import PAGES, _args
from tests.personas import Personas

URL_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "form": ("action",),
    "input": ("src", "formaction"),
    "button": ("formaction",),
    "base": ("href",),
}
# JSON data blocks are not executed (Swagger UI's settings); any other inline script is.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class AssetAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style")
            if value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        for name in URL_ATTRIBUTES.get(tag, ()):
            for url in _urls(values.get(name, ""), srcset=name.endswith("srcset")):
                if _foreign(url):
                    self.problems.append(f"<{tag} {name}={url!r}> loads from another origin")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and "src" not in values:
            if values.get("type", "").lower() not in DATA_SCRIPT_TYPES:
                self.problems.append("inline <script>")

    handle_startendtag = handle_starttag


def _urls(value: str, *, srcset: bool) -> list[str]:
    if not value:
        return []
    if srcset:
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value.strip()]


def _foreign(url: str) -> bool:
    """A URL that leaves the page's own origin (absolute to a host, or scheme-relative)."""
    if url.startswith("//"):
        return True
    parts = urlsplit(url)
    if parts.scheme in {"", "data"}:
        return False  # relative to this origin, or inline data (allowed for img-src only)
    return parts.netloc not in {"testserver", ""}


def _check_csp(header: str) -> list[str]:
    directives = {
        part.strip().split(" ")[0]: part.strip().split(" ")[1:]
        for part in header.split(";")
        if part.strip()
    }
    problems = []
    script = directives.get("script-src", directives.get("default-src"))
    if script is None:
        problems.append("no script-src")
    elif "'unsafe-inline'" in script or "'unsafe-eval'" in script:
        problems.append(f"script-src allows inline code: {script}")
    elif any(source not in {"'self'", "'none'"} for source in script):
        problems.append(f"script-src allows other origins: {script}")
    if "'unsafe-inline'" in directives.get("style-src", []):
        problems.append("style-src allows inline style")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append("frame-ancestors is not 'none'")
    return problems


def _audit(response) -> list[str]:
    problems = _check_csp(response.get("Content-Security-Policy", ""))
    if "text/html" in response.get("Content-Type", ""):
        parser = AssetAudit()
        parser.feed(response.content.decode())
        problems += parser.problems
    return problems


GET_PAGES = sorted(name for name, route in PAGES.items() if route.method == "get")


@pytest.mark.parametrize("name", GET_PAGES)
def test_a_page_loads_nothing_from_another_origin(personas: Personas, name: str) -> None:
    route = PAGES[name]
    role = sorted(route.allowed)[0]
    target = route.target(personas, True) if route.target else None
    response = personas.client(role).get(reverse(name, args=_args(target)))
    assert response.status_code == route.ok, (name, role, response.status_code)
    assert _audit(response) == [], name


def test_the_sign_in_page_and_the_api_docs_load_nothing_from_another_origin(
    client, personas: Personas
) -> None:
    login = client.get(reverse("core:login"))
    assert _audit(login) == []
    docs = personas.client("wang").get("/api/v1/docs")
    assert docs.status_code == 200
    assert "swagger-ui-bundle.js" in docs.content.decode()
    assert _audit(docs) == []


def test_the_audit_catches_what_it_looks_for() -> None:
    bad = (
        '<script src="https://cdn.example.com/x.js"></script>'
        '<link rel="stylesheet" href="//cdn.example.com/x.css">'
        '<img src="http://tracker.example.net/p.gif">'
        "<script>alert(1)</script>"
        '<button onclick="go()">x</button>'
        '<p style="color:red">x</p>'
        "<style>p{}</style>"
        '<a href="javascript:void(0)">x</a>'
    )
    parser = AssetAudit()
    parser.feed(bad)
    assert len(parser.problems) == 8, parser.problems
    good = AssetAudit()
    good.feed(
        '<script src="/static/core/js/app.js"></script><img src="data:image/png;base64,AA">'
        '<script type="application/json" id="s">{"a": 1}</script>'
        '<a href="https://www.gov.cn/">a link is not an asset</a>'
    )
    assert good.problems == []
    assert _check_csp("script-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
    assert _check_csp("default-src 'self'; script-src 'self' https://cdn.example.com")
