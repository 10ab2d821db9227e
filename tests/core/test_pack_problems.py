"""Every problem the pack schema can report is said in the user's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from jingban.core.pack_problems import MESSAGES, problem_line, problem_text
from jingban.engine.policy import PackError, Problem, load_pack_text
from jingban.engine.policy import loader as pack_loader
from jingban.engine.policy import schema as pack_schema

MONEY_CODES = {"money.empty", "money.negative", "money.not_a_number", "money.too_precise"}


def test_every_code_of_the_schema_has_a_message() -> None:
    source = Path(pack_schema.__file__).read_text("utf-8")
    codes = set(re.findall(r'_problem\(\s*"([a-z_.]+)"', source)) | MONEY_CODES
    loader = Path(pack_loader.__file__).read_text("utf-8")
    codes |= set(re.findall(r'"(pack\.[a-z_]+)"', loader)) - {"pack.invalid"}
    assert {"pack.alias", "pack.too_deep", "pack.duplicate_key", "pack.bad_date"} <= codes
    assert len(codes) > 25
    assert codes - set(MESSAGES) == set()


def test_a_problem_in_chinese_and_english() -> None:
    problem = Problem(
        "critical_illness.bands", 141, "bands 1 and 2 overlap", "pack.bands_overlap",
        {"first": 1, "second": 2},
    )  # fmt: skip
    with translation.override("zh-hans"):
        assert problem_line(problem) == "第 141 行，critical_illness.bands：第 1 段与第 2 段重叠。"
    with translation.override("en"):
        assert problem_line(problem) == "Line 141, critical_illness.bands: Bands 1 and 2 overlap."


def test_an_unknown_code_or_unfit_parameters_keep_the_engine_english() -> None:
    unknown = Problem("x", None, "something odd", "a.code.nobody.knows")
    unfit = Problem("x", None, "bands 1 and 2 overlap", "pack.bands_overlap", {"first": 1})
    with translation.override("zh-hans"):
        assert problem_text(unknown) == "something odd"
        assert problem_text(unfit) == "bands 1 and 2 overlap"
        assert problem_line(unknown) == "x：something odd"


def test_pydantic_type_errors_are_translated() -> None:
    with pytest.raises(PackError) as caught:
        load_pack_text("id: sample-x\nversion: one\n")
    problems = {p.path: p for p in caught.value.problems}
    with translation.override("zh-hans"):
        assert problem_text(problems["version"]) == "必须是整数。"
        assert problem_text(problems["kind"]) == "此数字为必填项。"
