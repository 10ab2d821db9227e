"""The care part's own models (re-exported by ``models``)."""

from __future__ import annotations

__all__: list[str] = []
