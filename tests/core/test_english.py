"""English is complete: no page template carries Chinese text outside a translation tag (except
what is Chinese on purpose and says so with ``lang="zh-Hans"``), and every message has an English
source. Data (names, regions) is what it is in either language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import jingban

SRC = Path(jingban.__file__).resolve().parent
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Rendered by Django without any context when everything else failed: both languages, fixed.
BILINGUAL_BY_DESIGN = {"core/templates/500.html"}

_STRIP = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*blocktranslate\b.*?\{%\s*endblocktranslate\s*%\}", re.S),
    re.compile(r"\{%\s*translate\b.*?%\}", re.S),
    # An element that declares itself Chinese (the brand, the language switch's own name).
    re.compile(r"<(\w+)[^>]*\blang=\"zh-Hans\"[^>]*>.*?</\1>", re.S),
]


def _templates() -> list[Path]:
    return sorted(p for p in SRC.rglob("templates/**/*.html"))


def untranslatable_text(source: str) -> list[str]:
    """Lines of a template that still hold Chinese once translated parts are taken out."""
    for pattern in _STRIP:
        source = pattern.sub("", source)
    return [line.strip() for line in source.splitlines() if CJK.search(line)]


def test_the_scan_sees_chinese_outside_translation_tags() -> None:
    assert untranslatable_text('<p>{% translate "Save" %}</p>\n<p>保存</p>') == ["<p>保存</p>"]
    assert untranslatable_text('<span lang="zh-Hans">经办</span>{# 注释 #}') == []


@pytest.mark.parametrize(
    "path", _templates(), ids=lambda p: str(p.relative_to(SRC)).replace("/templates/", ":")
)
def test_templates_hold_no_untranslated_chinese(path: Path) -> None:
    relative = str(path.relative_to(SRC))
    text = path.read_text(encoding="utf-8")
    if relative in BILINGUAL_BY_DESIGN:
        assert "Server error" in text
        return
    assert untranslatable_text(text) == []


def test_every_message_has_an_english_source() -> None:
    import polib

    zh = polib.pofile(str(SRC / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    chinese_only = [e.msgid for e in zh if not e.obsolete and not re.search(r"[A-Za-z]", e.msgid)]
    # Punctuation-only or placeholder-only entries are allowed; ideographs are not.
    assert [m for m in chinese_only if CJK.search(m)] == []


# --- and no English in the Chinese pages ---------------------------------------------------------

# Latin words a Chinese page may show: product and format names, and the pattern of a date.
ALLOWED_LATIN = {"API", "PDF", "CSV", "Excel", "xlsx", "JPEG", "PNG", "MB", "YYYY", "MM", "DD"}
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


def visible_latin(html: str) -> list[str]:
    """Latin words of the text a user reads (scripts, styles and tags left out; titles,
    labels and placeholders in), less the allowed ones."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            # An element that declares itself English (the language switch's own name) is so
            # on purpose; so are scripts and styles, which are not read.
            english = any(k == "lang" and (v or "").startswith("en") for k, v in attrs)
            opens = tag not in _VOID  # an element without an end tag closes nothing
            if opens and (tag in ("script", "style") or english or self.skip):
                self.skip += 1
            if not self.skip:
                self.parts += [
                    v for k, v in attrs if k in ("title", "aria-label", "placeholder") and v
                ]

        def handle_endtag(self, tag: str) -> None:
            if self.skip:
                self.skip -= 1

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    words = _LATIN_WORD.findall(" ".join(parser.parts))
    return [w for w in words if w not in ALLOWED_LATIN]


def test_the_scan_sees_english_in_a_page() -> None:
    page = '<p title="Search">保存 <b>Save</b> PDF</p><script>var x;</script>'
    assert visible_latin(page) == ["Search", "Save"]
    assert visible_latin('<a href="?lang=en"><span lang="en">English</span></a> 中文') == []
    assert visible_latin('<p lang="en">Hi <br> there</p><p>Leak</p>') == ["Leak"]


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("wang", "/persons/new/"),
        ("wang", "/calendar/?year=2025"),
        ("admin", "/jobs/"),
        ("admin", "/admin/"),
        ("admin", "/admin/core/holiday/"),
        ("admin", "/admin/core/region/add/"),
        ("chen", "/"),
        ("wang", "/"),
    ],
)
def test_chinese_pages_show_no_english(personas, role: str, url: str) -> None:
    from jingban.core.services.calendar import seed_from_chinese_calendar

    seed_from_chinese_calendar([2025], acting_user=None)
    response = personas.client(role).get(url)
    assert response.status_code == 200
    # Names of the demo's people and places are data; their usernames are not shown.
    assert visible_latin(response.content.decode()) == []
