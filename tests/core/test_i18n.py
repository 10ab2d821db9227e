"""The translation catalogs: zh-Hans is complete and current, placeholders survive translation,
and pages render in Chinese by default and in English when chosen."""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

import jingban
from jingban.config import VARIABLES

SRC = Path(jingban.__file__).resolve().parent
ZH_PO = SRC / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
_SKIP_DIRS = {"locale", "static", "__pycache__"}

# A catalog entry is identified by (msgctxt, msgid).
Key = tuple[str | None, str]


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or None, entry.msgid)


@pytest.fixture(scope="module")
def zh() -> polib.POFile:
    return polib.pofile(str(ZH_PO))


@pytest.fixture(scope="module")
def zh_keys(zh: polib.POFile) -> set[Key]:
    return {_key(e) for e in zh if not e.obsolete}


@pytest.fixture(scope="session")
def compiled_catalogs() -> None:
    """Compile the .mo files so rendering always uses the current catalogs."""
    call_command("i18n", "compile", stdout=StringIO())
    # Entering and leaving an override fires ``setting_changed``, which makes Django drop the
    # catalogs it may have cached before they were compiled.
    with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
        pass


# --- the catalogs themselves ---------------------------------------------------------------------


def test_zh_header(zh: polib.POFile) -> None:
    assert zh.metadata["Language"] == "zh_Hans"
    assert zh.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert zh.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert not zh.metadata_is_fuzzy


def test_zh_catalog_is_complete(zh: polib.POFile) -> None:
    untranslated = [e.msgid for e in zh.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in zh.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    for entry in zh:
        if entry.msgid_plural:
            assert set(entry.msgstr_plural) == {0}, entry.msgid  # nplurals=1


def test_en_catalog_has_no_fuzzy_entry() -> None:
    en = polib.pofile(str(EN_PO))
    assert en.metadata["Language"] == "en"
    assert en.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert not en.metadata_is_fuzzy
    assert [e.msgid for e in en.fuzzy_entries()] == []


def test_i18n_check_command_passes() -> None:
    out = StringIO()
    call_command("i18n", "check", stdout=out, stderr=StringIO())
    assert "complete" in out.getvalue()


_PLACEHOLDER = re.compile(r"%\((\w+)\)")


@pytest.mark.parametrize("po_path", [ZH_PO, EN_PO], ids=["zh_Hans", "en"])
def test_placeholders_are_preserved(po_path: Path) -> None:
    wrong = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        expected = set(_PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            expected |= set(_PLACEHOLDER.findall(entry.msgid_plural))
            translations = [s for s in entry.msgstr_plural.values() if s]
        else:
            translations = [entry.msgstr] if entry.msgstr else []
        wrong += [
            (entry.msgid, t) for t in translations if set(_PLACEHOLDER.findall(t)) != expected
        ]
    assert wrong == []


# --- every marked string is in the catalog -------------------------------------------------------


def _source_files(suffix: str) -> Iterator[Path]:
    for path in sorted(SRC.rglob(f"*{suffix}")):
        if not _SKIP_DIRS.intersection(path.relative_to(SRC).parts):
            yield path


_GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
_PGETTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def _python_msgids(path: Path) -> Iterator[Key]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        args = [
            a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
            for a in node.args
        ]
        first, second = [*args, None, None][:2]
        if name in _GETTEXT and first is not None:
            yield (None, first)
        elif name in _PGETTEXT and first is not None and second is not None:
            yield (first, second)


_STR = r"""(?:"(?P<{0}d>[^"]*)"|'(?P<{0}s>[^']*)')"""
_TRANSLATE_TAG = re.compile(
    r"{%\s*trans(?:late)?\s+" + _STR.format("m") + r"(?:\s+context\s+" + _STR.format("c") + ")?"
)
_UNDERSCORE = re.compile(r"\b_\(" + _STR.format("m") + r"\)")
_BLOCK = re.compile(
    r"{%\s*blocktrans(?:late)?(?P<opts>[^%]*)%}(?P<body>.*?)"
    r"{%\s*(?:plural|endblocktrans(?:late)?)\s*%}",
    re.S,
)
_CONTEXT_OPT = re.compile(r"\bcontext\s+" + _STR.format("c"))
_VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def _group(match: re.Match[str], prefix: str) -> str | None:
    value = match.group(f"{prefix}d")
    return value if value is not None else match.group(f"{prefix}s")


def _template_msgids(path: Path) -> Iterator[Key]:
    text = path.read_text(encoding="utf-8")
    for match in _TRANSLATE_TAG.finditer(text):
        yield (_group(match, "c"), _group(match, "m") or "")
    for match in _UNDERSCORE.finditer(text):
        yield (None, _group(match, "m") or "")
    for match in _BLOCK.finditer(text):
        opts = match.group("opts")
        context = _CONTEXT_OPT.search(opts)
        body = _VARIABLE.sub(r"%(\1)s", match.group("body").replace("%", "%%"))
        if re.search(r"\btrimmed\b", opts):
            body = re.sub(r"\s*\n\s*", " ", body.strip())
        yield (_group(context, "c") if context else None, body)


def test_scan_finds_marked_strings() -> None:
    """The scanner below is only useful if it sees the strings: check it on known ones."""
    python = {k for p in _source_files(".py") for k in _python_msgids(p)}
    templates = {k for p in _source_files(".html") for k in _template_msgids(p)}
    assert (None, "Operator") in python
    assert (None, "Sign in to Jingban") in templates
    assert (None, "Username") in templates  # _("...") inside a tag's arguments
    assert (None, "Welcome, %(name)s") in templates  # blocktranslate with a variable


def test_every_marked_string_is_in_the_zh_catalog(zh_keys: set[Key]) -> None:
    found = {(k, p) for p in _source_files(".py") for k in _python_msgids(p)}
    found |= {(k, p) for p in _source_files(".html") for k in _template_msgids(p)}
    missing = sorted(
        (str(path.relative_to(SRC)), msgid)
        for (ctx, msgid), path in found
        if msgid and (ctx, msgid) not in zh_keys
    )
    assert missing == [], "run `make messages` and translate the new entries"


@pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgmerge")), reason="needs GNU gettext"
)
def test_makemessages_finds_nothing_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The authoritative check: Django's own extraction, run on a copy of the sources."""
    copy = tmp_path / "jingban"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command(
            "makemessages",
            locale=["zh_Hans"],
            no_obsolete=True,
            add_location="file",
            verbosity=0,
        )
    merged = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    new = [e.msgid for e in merged if not e.obsolete and (e.fuzzy or not e.translated())]
    assert new == [], "run `make messages` and translate the new entries"


# --- rendering -----------------------------------------------------------------------------------


def test_chinese_is_the_configured_default() -> None:
    assert VARIABLES["JINGBAN_LANGUAGE"].default == "zh-hans"


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client, settings, compiled_catalogs: None) -> None:
    settings.LANGUAGE_CODE = VARIABLES["JINGBAN_LANGUAGE"].default
    # The browser's language is deliberately ignored.
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in body
    assert "登录经办系统" in body
    assert "Sign in to Jingban" not in body


@pytest.mark.django_db
def test_login_page_is_english_when_chosen(client, settings, compiled_catalogs: None) -> None:
    settings.LANGUAGE_CODE = VARIABLES["JINGBAN_LANGUAGE"].default
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/login/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in body
    assert "Sign in to Jingban" in body
    assert "登录经办系统" not in body
