"""The one LTC pack lookup every part uses: the same pack for a region by code, by a row's path
or for a case; a clear refusal where none is in force; what the figures mean."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.engine.policy.header import Family
from jingban.ltc import policy

DAY = dt.date(2026, 3, 2)


def test_by_code_by_path_and_the_standard_agree(db) -> None:
    pack, rules = policy.city_rules("320506", DAY)  # a county: its city's pack
    assert pack.id == "suzhou-ltc"
    assert policy.ltc_rules("320000/320500/320506/", DAY) == rules
    found = policy.rules_for("320506", DAY)
    assert found.rules == rules and found.ref == f"{pack.id}@{pack.version}"
    standard, _rules = policy.standard("320506", DAY)
    assert standard.family is Family.LTC_ASSESSMENT


def test_no_pack_is_a_clear_refusal_or_none(db) -> None:
    assert policy.find_pack("320102", DAY) is None  # Nanjing 玄武区: no LTC pack
    assert policy.ltc_rules("320000/320100/320102/", DAY) is None
    with pytest.raises(policy.NoPack):
        policy.pack_for("320102", DAY)


def test_an_exact_pack_needs_its_hash(db) -> None:
    pack, _rules = policy.city_rules("320500", DAY)
    assert policy.exact_pack(pack.id, pack.version, pack.hash) == pack
    assert policy.exact_pack(pack.id, pack.version, "0" * 64) is None


def test_month_end() -> None:
    assert policy.month_end(dt.date(2028, 2, 10)) == dt.date(2028, 2, 29)
    assert policy.month_end(dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)
