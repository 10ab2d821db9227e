"""The interface's code tables (字典), kept as data in ``codes/*.csv`` (code, zh, en): med_type,
insutype, fund_pay_type, mdtrt_cert_type, psn_setlway … Read once per process."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language

CODES_DIR = Path(__file__).with_name("codes")


@dataclass(frozen=True)
class Code:
    code: str
    zh: str
    en: str

    @property
    def label(self) -> str:
        """The label in the active language (Chinese unless English is active)."""
        return self.en if (get_language() or "").startswith("en") else self.zh


def tables() -> list[str]:
    """The names of every code table, sorted."""
    return sorted(path.stem for path in CODES_DIR.glob("*.csv"))


@functools.cache
def table(name: str) -> dict[str, Code]:
    """Code → entry, in the file's order."""
    with (CODES_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["code"]: Code(row["code"], row["zh"], row["en"]) for row in rows}


def label(name: str, code: str) -> str:
    """The label of ``code`` in table ``name``, or the code itself when the table lacks it
    (fund_pay_type is open-ended: sub-codes occur)."""
    entry = table(name).get(code)
    return entry.label if entry is not None else code


def zh(name: str, code: str) -> str:
    entry = table(name).get(code)
    return entry.zh if entry is not None else code


def is_code(name: str, code: str) -> bool:
    return code in table(name)
