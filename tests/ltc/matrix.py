"""The long-term care routes for the authorization matrix, declared by part in
``matrix_<part>.py`` (intake, decision, care, settlement) and joined here."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

PAGES: dict[str, Any] = {}
API: dict[tuple[str, str], Any] = {}
PUBLIC: set[str] = set()
API_PUBLIC: set[str] = set()

for _file in sorted(Path(__file__).parent.glob("matrix_*.py")):
    _module = importlib.import_module(f"tests.ltc.{_file.stem}")
    for _name, _table in (("PAGES", PAGES), ("API", API)):
        _extra = getattr(_module, _name, {})
        _overlap = set(_extra) & set(_table)
        assert not _overlap, f"{_module.__name__} repeats {_overlap}"
        _table.update(_extra)
    PUBLIC.update(getattr(_module, "PUBLIC", set()))
    API_PUBLIC.update(getattr(_module, "API_PUBLIC", set()))
