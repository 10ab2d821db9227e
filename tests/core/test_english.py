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
