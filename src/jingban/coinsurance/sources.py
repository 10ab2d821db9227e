"""The co-insured products and their items, from the apps that sell them (contract C3).

An app declares ``extra["coinsured_products"]`` (``() -> [(pack id, label)]``) and
``extra["coinsured_items"]`` (``(start, end) -> Iterable[CoinsuredItem]``, the premiums and claims
whose day is in ``[start, end)``). This module never imports those apps: it loads what their
plugins name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jingban.core import plugins
from jingban.engine.coinsurance import CoinsuredItem


@dataclass(frozen=True)
class Provider:
    products: Callable[[], list[tuple[str, str]]]
    items: Callable[[dt.date, dt.date], Iterable[CoinsuredItem]]


def providers() -> list[Provider]:
    """Every installed app that sells a co-insured product (tests replace this)."""
    found = []
    for plugin in plugins.plugins():
        products = plugin.extra.get("coinsured_products")
        items = plugin.extra.get("coinsured_items")
        if products and items:
            found.append(Provider(plugins.load(products), plugins.load(items)))
    return found


def products() -> dict[str, str]:
    """Pack id → label (active language) of every product on sale."""
    found: dict[str, str] = {}
    for provider in providers():
        for pack_id, label in provider.products():
            found.setdefault(pack_id, str(label))
    return found


def items(product: str, start: dt.date, end: dt.date) -> list[CoinsuredItem]:
    """The items of ``product`` whose day is in ``[start, end)``, in a stable order."""
    found = [
        item
        for provider in providers()
        for item in provider.items(start, end)
        if item.product == product and start <= item.day < end
    ]
    return sorted(found, key=lambda i: (i.day, i.kind, i.ref))
