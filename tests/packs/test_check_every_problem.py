"""``jingban policy check`` reports every problem of a file in one run, each with its line and
field, and speaks to the user without internals (no ``CommandError:``, no system error text,
no regular expression)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from jingban.core.pack_problems import problem_line
from jingban.engine.policy import PackError, load_pack_text
from jingban.engine.policy.errors import MAX_PROBLEMS
from tests.packs.conftest import line_of, pack_text

# Three problems of three kinds, each of which used to stop the check at the first:
THREE = pack_text(
    3,
    ("    amount: 2000\n", "    amount: 2000\n    amount: 2100\n"),  # a key written twice
    ("  value: half_up\n  sample: true\n", "  value: half_up\n  sample: maybe\n"),  # a bad flag
    ("    amount: 150\n", ""),  # a missing figure
)


def test_three_problems_are_three_reports_with_line_and_field() -> None:
    with pytest.raises(PackError) as caught:
        load_pack_text(THREE, source="three.yaml")
    with translation.override("en"):
        lines = [problem_line(p) for p in caught.value.problems]
    twice = THREE.splitlines().index("    amount: 2100") + 1
    assert lines == [
        f"Line {twice}: The key 'amount' is written twice; keep one.",
        f"Line {line_of(THREE, 'rounding:')}, rounding: sample must be true or false.",
        f"Line {line_of(THREE, '  outpatient_general:')}, caps.outpatient_general.amount: "
        "This figure is required.",
    ]


def test_a_bad_date_is_one_problem_and_the_rest_is_still_checked() -> None:
    text = pack_text(
        3, ("  start: 2025-01-01\n", "  start: 2025-13-01\n"), ("    amount: 150\n", "")
    )
    with pytest.raises(PackError) as caught:
        load_pack_text(text)
    codes = [p.code for p in caught.value.problems]
    assert codes == ["pack.bad_date", "missing"]


def test_the_list_stops_at_the_limit_and_counts_the_rest() -> None:
    many = pack_text(3) + "".join(f"extra_{n}: 1\n" for n in range(MAX_PROBLEMS + 20))
    with pytest.raises(PackError) as caught:
        load_pack_text(many)
    assert caught.value.total == MAX_PROBLEMS + 20
    assert len(caught.value.problems) == MAX_PROBLEMS + 1
    assert caught.value.problems[-1].params == {"count": 20}


def test_the_command_lists_all_three(tmp_path: Path) -> None:
    path = tmp_path / "three.yaml"
    path.write_text(THREE, encoding="utf-8")
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("policy", "check", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    lines = str(refused.value).splitlines()
    assert len(lines) == 3
    assert all(line.startswith("three.yaml: 第 ") or "three.yaml" in line for line in lines)


def test_a_pattern_is_said_in_words() -> None:
    text = pack_text(3, ('region: "000000"\n', 'region: "32-05"\n'))
    with pytest.raises(PackError) as caught:
        load_pack_text(text)
    with translation.override("zh-hans"):
        said = problem_line(caught.value.problems[0])
    assert "六位数字" in said
    assert "\\d" not in said and "^" not in said


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


def test_the_command_line_speaks_without_internals(tmp_path: Path) -> None:
    missing = _jingban("policy", "check", str(tmp_path / "nowhere.yaml"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"{tmp_path / 'nowhere.yaml'}: 无法读取文件：文件不存在"
    folder = _jingban("policy", "check", str(tmp_path))
    assert folder.returncode == 2
    for output in (missing.stderr, folder.stderr):
        assert "CommandError" not in output and "Errno" not in output
    assert "这是文件夹，不是文件" in folder.stderr
    path = tmp_path / "three.yaml"
    path.write_text(THREE, encoding="utf-8")
    three = _jingban("policy", "check", str(path))
    assert three.returncode == 2
    assert len(three.stderr.strip().splitlines()) == 3
    assert "CommandError" not in three.stderr
