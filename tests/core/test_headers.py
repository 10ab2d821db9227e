"""Security headers on pages and the API: CSP, no-store, no server version, NUL in a query."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from tests.personas import Personas

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "jingban"


def test_person_pages_carry_csp_and_no_store(personas: Personas) -> None:
    client = personas.client("wang")
    pk = personas.in_scope_person.pk
    for url in (reverse("registry:person_list"), reverse("registry:person_detail", args=[pk])):
        response = client.get(url)
        assert response.status_code == 200
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert "no-store" in response["Cache-Control"]
        assert response["Server"] == "jingban"


def test_api_answers_are_not_stored_either(personas: Personas) -> None:
    response = personas.client("wang").get(f"/api/v1/persons/{personas.in_scope_person.pk}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Server"] == "jingban"


def test_static_files_stay_cacheable(client) -> None:
    response = client.get("/static/core/css/jingban.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_nul_byte_in_a_page_query_is_400(personas: Personas) -> None:
    client = personas.client("wang")
    for query in ("q=%00", "q=%E7%8E%8B%00", "page=1&q=a%00b"):
        response = client.get(reverse("registry:person_list") + "?" + query)
        assert response.status_code == 400, query
        # A page in the user's language that says what is wrong, not Django's bare English.
        page = response.content.decode()
        assert "请求无效" in page and "控制字符" in page and "Bad Request" not in page
    assert client.get(reverse("registry:person_list") + "?q=%E7%8E%8B").status_code == 200
    api = client.get("/api/v1/persons?q=%00")
    assert api.status_code == 400 and api.json()["code"] == "invalid"


def test_the_api_docs_need_a_signed_in_user(client, personas: Personas) -> None:
    anonymous = client.get("/api/v1/docs")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("core:login"))
    assert client.get("/api/v1/openapi.json").status_code == 200  # the schema stays public
    assert personas.client("chen").get("/api/v1/docs").status_code == 200


def test_no_template_holds_inline_script_or_style() -> None:
    """The CSP forbids them; this finds them before a browser does."""
    import re

    pattern = re.compile(r"<script(?![^>]*\bsrc=)|<style|\son[a-z]+\s*=|\sstyle\s*=", re.I)
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)!r}"
        for path in TEMPLATES.glob("*/templates/**/*.html")
        # Templates under pdf/ are rendered into PDF files by weasyprint, never served as
        # pages: their print styles are theirs.
        if "pdf" not in path.parts
        for match in pattern.finditer(path.read_text())
    ]
    assert found == []
