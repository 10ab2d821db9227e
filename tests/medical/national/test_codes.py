"""The code tables are data with a Chinese and an English label for every code."""

from __future__ import annotations

from django.utils import translation

from jingban.medical.national import codes

EXPECTED = {
    "med_type": {"11", "14", "21", "52"},
    "insutype": {"310", "390", "392", "410", "510"},
    "fund_pay_type": {"390100", "390200", "610100"},
    "mdtrt_cert_type": {"01", "02", "03"},
    "psn_setlway": {"01", "02"},
}


def test_every_table_has_both_labels() -> None:
    assert set(EXPECTED) <= set(codes.tables())
    for name in codes.tables():
        table = codes.table(name)
        assert table, name
        for entry in table.values():
            assert entry.zh and entry.en, (name, entry.code)


def test_tables_hold_the_interface_codes() -> None:
    for name, expected in EXPECTED.items():
        assert expected <= set(codes.table(name)), name
    with translation.override("zh-hans"):
        assert codes.label("med_type", "14") == "门诊慢特病"
    with translation.override("en"):
        assert codes.label("fund_pay_type", "390200") == "Resident critical illness insurance"
    # fund_pay_type is open-ended: an unknown sub-code is shown as it is
    assert codes.label("fund_pay_type", "390101") == "390101"


def test_every_supported_transaction_is_in_the_infno_table() -> None:
    from jingban.medical.national.transactions import REGISTRY

    assert set(REGISTRY) == set(codes.table("infno"))


def test_the_documentation_lists_every_code() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "hospital-interface.md").read_text()
    for name in ("med_type", "insutype", "fund_pay_type", "mdtrt_cert_type", "psn_setlway"):
        for entry in codes.table(name).values():
            assert f"| {entry.code} | {entry.zh} | {entry.en} |" in doc, (name, entry.code)
    for infno in codes.table("infno"):
        assert f"| {infno} |" in doc, infno
