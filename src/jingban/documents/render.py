"""Rendering an official document to PDF (weasyprint, Noto CJK embedded as a subset).

Documents are in Chinese whatever the user's language: they are the bureau's official papers.
The renderer fetches nothing: no network, no file from the disk, so a template can never pull
in anything but its own text.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    # Heavy (pango, fonts): loaded only when a document is made.
    import weasyprint
    from weasyprint.urls import URLFetcher

    class NoFetch(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"documents fetch nothing ({url})")

    with translation.override("zh-hans"):
        html = render_to_string(template, context)
    return bytes(weasyprint.HTML(string=html, url_fetcher=NoFetch()).write_pdf())
