"""A broken pack's problems stop at a limit, and a paste of thousands of keys is refused in one
pass (a 15,000-key paste once took 8.7 s and returned a 2.3 MB page)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from jingban.core.errors import ValidationFailed
from jingban.engine.policy.errors import MAX_PROBLEMS
from jingban.engine.policy.loader import PackError, load_pack_text
from jingban.packs.services import import_pack_text
from tests.personas import Personas

SHIPPED = Path(__file__).resolve().parents[2] / "src/jingban/engine/policy/packs"


def _with_junk(keys: int) -> str:
    base = (SHIPPED / "sample-resident-2025.yaml").read_text()
    return base + "\n" + "\n".join(f"junk_{i}: {i}" for i in range(keys)) + "\n"


def test_problems_stop_at_the_limit_with_a_count_of_the_rest() -> None:
    with pytest.raises(PackError) as caught:
        load_pack_text(_with_junk(150))
    problems = caught.value.problems
    assert caught.value.total == 150
    assert len(problems) == MAX_PROBLEMS + 1 == 101
    assert problems[-1].code == "pack.more" and problems[-1].params == {"count": 50}


def test_a_paste_of_thousands_of_keys_is_one_problem() -> None:
    with pytest.raises(PackError) as caught:
        load_pack_text(_with_junk(15_000))
    assert [p.code for p in caught.value.problems] == ["pack.too_many_values"]


def test_the_import_names_the_total_and_says_the_rest_in_the_users_language(
    personas: Personas,
) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        import_pack_text(_with_junk(150), acting_user=personas.user("admin"))
    messages = caught.value.fields["content"]
    assert len(messages) == 101
    assert str(messages[-1]) == "… and 50 more problems."
    assert "150" in str(caught.value.message)
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        import_pack_text(_with_junk(15_000), acting_user=personas.user("admin"))
    assert len(caught.value.fields["content"]) == 1
