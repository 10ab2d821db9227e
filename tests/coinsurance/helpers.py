"""Shared helpers of the co-insurance tests: a fixed provider of items (the selling apps are
built in parallel; the tests do not depend on them), the demo's 11 insurers and their shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest

from jingban.coinsurance import services, sources
from jingban.coinsurance.demo import INSURERS
from jingban.coinsurance.models import Panel
from jingban.engine.coinsurance import CoinsuredItem

PRODUCT = "test-golden"
LABEL = "测试共保产品"
SHARES = [share for _code, _name, share in INSURERS]
CODES = [code for code, _name, _share in INSURERS]


class FixedProvider:
    """A selling app that yields the items it was given (contract C3)."""

    def __init__(self) -> None:
        self.items: list[CoinsuredItem] = []

    def products(self) -> list[tuple[str, str]]:
        return [(PRODUCT, LABEL)]

    def between(self, start: dt.date, end: dt.date) -> Iterable[CoinsuredItem]:
        return [item for item in self.items if start <= item.day < end]

    def add(self, kind: str, ref: str, day: dt.date, amount: int) -> CoinsuredItem:
        item = CoinsuredItem(PRODUCT, kind, ref, day, amount)  # type: ignore[arg-type]
        self.items.append(item)
        return item


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> FixedProvider:
    fixed = FixedProvider()
    monkeypatch.setattr(
        sources, "providers", lambda: [sources.Provider(fixed.products, fixed.between)]
    )
    return fixed


def eleven_panel(day: dt.date = dt.date(2026, 1, 1)) -> Panel:
    """The demo's 11 insurers with the demo's shares (JS-INS-01 chief, 30 %)."""
    return services.create_panel(
        services.PanelInput(
            PRODUCT,
            day,
            [
                services.MemberInput(code, share, code == "JS-INS-01")
                for code, share in zip(CODES, SHARES, strict=True)
            ],
        ),
        acting_user=None,
    )
