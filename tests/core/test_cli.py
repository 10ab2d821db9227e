"""``jingban --help``: jingban's own commands grouped by purpose, one line each, in the
configured language; Django's built-in commands in one line that says how to list them; an
unknown command said plainly."""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management import get_commands

from jingban.cli import _groups


def _jingban(*args: str, language: str = "zh-hans") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JINGBAN_LANGUAGE"] = language
    return subprocess.run(
        [sys.executable, "-m", "jingban.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _own() -> set[str]:
    return {name for name, app in get_commands().items() if app.startswith("jingban")}


def test_every_own_command_is_in_a_group() -> None:
    grouped = [name for _title, entries in _groups() for name, _line in entries]
    assert len(grouped) == len(set(grouped))
    assert _own() <= set(grouped)


def test_help_lists_own_commands_by_purpose_in_chinese() -> None:
    for args in ((), ("help",), ("--help",), ("-h",)):
        shown = _jingban(*args)
        assert shown.returncode == 0, shown.stderr
        lines = shown.stdout.splitlines()
        for title in ("数据库", "演示与模拟数据", "政策包与结算", "运维"):
            assert title in lines
        # One line per own command, and no Django built-in among them.
        listed = [line.split()[0] for line in lines if line.startswith("  ")]
        assert sorted(listed) == sorted(_own())
        assert "migrate" not in shown.stdout and "[auth]" not in shown.stdout
        builtin = len(get_commands()) - len(_own())
        assert f"另有 {builtin} 个 Django 自带命令，列出请用：jingban help --all" in lines
        assert "  policy      检查、列出、查看、导入、批准和同步政策包。" in lines


def test_help_speaks_english_when_configured() -> None:
    shown = _jingban("--help", language="en")
    assert "Policy packs and settlement" in shown.stdout
    assert "  adjudicate  Settle a file of claims with the policy packs." in shown.stdout
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in shown.stdout)


def test_help_all_lists_djangos_commands_and_help_of_one_command_still_works() -> None:
    everything = _jingban("help", "--all")
    assert everything.returncode == 0
    assert "migrate" in everything.stdout and "policy" in everything.stdout
    one = _jingban("help", "policy")
    assert one.returncode == 0
    assert "policy [-h]" in one.stdout and "check" in one.stdout


def test_an_unknown_command_is_said_plainly() -> None:
    unknown = _jingban("polcy")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "jingban 没有 polcy 这个命令。全部命令请见：jingban help"
    assert "Unknown command" not in unknown.stderr
