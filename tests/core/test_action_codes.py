"""Action codes: each is a literal declared by the app that writes it, with a label in English and
Chinese; none is assembled from strings at run time, and an undeclared one is refused."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

import jingban
from jingban.core import plugins
from jingban.core.actionlog import log_action

SRC = Path(jingban.__file__).resolve().parent
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+){2,3}$")
_LOGGERS = {"log_action", "log_bulk"}


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _assembled(node: ast.expr) -> bool:
    """An expression that builds a string at run time: an f-string, ``+`` or ``%``, a call."""
    return any(isinstance(n, ast.JoinedStr | ast.BinOp | ast.Call) for n in ast.walk(node))


def _python_files() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if "migrations" not in p.parts]


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)]


def test_no_action_code_is_assembled_at_run_time() -> None:
    assembled = []
    for path in _python_files():
        for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if _name(call.func) not in _LOGGERS:
                continue
            for keyword in call.keywords:
                if keyword.arg == "action" and _assembled(keyword.value):
                    assembled.append(f"{path.relative_to(SRC)}:{call.lineno}")
    assert assembled == []


def _literal_codes() -> dict[str, str]:
    """Every literal code handed to the action log, directly or through a helper's argument:
    a literal in ``action=``, or a literal code passed to a function that forwards its own
    parameter as ``action=`` (``_log("core.database.backed_up", …)``), or an admin's
    ``action_codes`` table."""
    found: dict[str, str] = {}
    forwarders: set[str] = set()
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _python_files()}
    functions = [
        f for tree in trees.values() for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
    ]
    changed = True
    while changed:  # a helper that hands its parameter to another helper forwards it too
        changed = False
        for function in functions:
            if function.name in forwarders:
                continue
            params = {a.arg for a in function.args.args + function.args.kwonlyargs}
            for call in _calls(function):
                callee = _name(call.func)
                passed = [k.value for k in call.keywords if k.arg == "action"]
                if callee in forwarders:
                    passed += list(call.args) + [k.value for k in call.keywords]
                elif callee not in _LOGGERS:
                    continue
                if any(isinstance(v, ast.Name) and v.id in params for v in passed):
                    forwarders.add(function.name)
                    changed = True
                    break
    for path, tree in trees.items():
        where = str(path.relative_to(SRC))
        for node in ast.walk(tree):
            values: list[ast.expr] = []
            if isinstance(node, ast.Call) and _name(node.func) in _LOGGERS | forwarders:
                values += [k.value for k in node.keywords if k.arg == "action"]
                if _name(node.func) in forwarders:
                    values += list(node.args)
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action_codes" for t in node.targets
            ):
                assert isinstance(node.value, ast.Dict)
                values += [v for v in node.value.values if v is not None]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    if CODE.match(value.value):
                        found[value.value] = f"{where}:{node.lineno}"
    return found


def test_every_code_in_use_is_declared() -> None:
    codes = _literal_codes()
    assert len(codes) > 50  # the scan sees the codes of every app
    undeclared = {
        code: where for code, where in codes.items() if code not in plugins.action_labels()
    }
    assert undeclared == {}


def test_the_scan_sees_codes_passed_through_helpers() -> None:
    codes = _literal_codes()
    assert "core.database.backed_up" in codes  # backup's _log(code, …)
    assert "admin.core.region.add" in codes  # the admin's action_codes table
    assert "packs.version.approved" in codes  # packs' _decide(…, code)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_declared_code_has_a_label_in_both_languages(language: str) -> None:
    missing = []
    for code, label in plugins.action_labels().items():
        with translation.override("en"):
            english = str(label)
        with translation.override(language):
            text = str(label)
        chinese = any("\u4e00" <= c <= "\u9fff" for c in text)
        if not text or text == code or (language == "zh-hans" and (not chinese or text == english)):
            missing.append(code)
    assert missing == []


@pytest.mark.django_db
def test_an_undeclared_code_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"registry\.person\.registred"):
        log_action(acting_user=None, action="registry.person.registred")
