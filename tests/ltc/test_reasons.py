"""One table of the LTC engine's reasons: the settlement pages and the command say the same
sentence for a code, care forms and severities by their labels, and every code the engine's
settlement can give has a sentence."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from jingban.ltc import reasons
from jingban.ltc.texts_settlement import reason_text

SETTLE = Path(reasons.__file__).parents[1] / "engine" / "ltc" / "settle.py"


def test_every_code_the_settlement_engine_gives_has_a_sentence() -> None:
    codes = set(re.findall(r'_reject\(row, "(ltc\.[a-z_]+)"', SETTLE.read_text()))
    assert len(codes) > 10
    assert codes - set(reasons.MESSAGES) == set()


def test_the_pages_and_the_command_say_the_same() -> None:
    item = {"code": "ltc.form_conflict", "params": {"date": "2026-05-03", "other": "home_visit"}}
    with translation.override("en"):
        page = reason_text(item)
        command = reasons.describe_code(item["code"], "fallback", item["params"])
    assert page == "2026-05-03 is already a day of Home care visits"
    assert command.rstrip(".") == page


def test_labels_never_codes_in_chinese() -> None:
    item = {
        "code": "ltc.severity_not_covered",
        "params": {"care_form": "home_visit", "severity": "severe"},
    }
    with translation.override("zh-hans"):
        text = reason_text(item)
    assert "home_visit" not in text and "severe" not in text
    assert text


def test_a_code_given_with_other_parameters_finds_its_own_sentence() -> None:
    with translation.override("en"):
        from_file = reasons.describe_code(
            "ltc.unknown_care_form", "x", {"field": "care_form", "value": "massage"}
        )
        settled = reason_text({"code": "ltc.unknown_care_form", "params": {"care_form": "x"}})
    assert from_file == "Care form: “massage” is not a care form."
    assert settled == "the care form is not one the pack knows"


def test_an_unknown_code_is_not_paid_never_the_code() -> None:
    with translation.override("en"):
        assert reason_text({"code": "ltc.something_new", "params": {}}) == "not paid"
        assert reason_text({"code": "ltc.over_quota", "params": {}}) == "not paid"
