"""The catalogue's part of the demo world: the sample catalogue (data/sample_catalogue.csv,
invented, marked sample) as two versions, 2025 and 2026, imported through the same import as an
uploaded file, and a chronic-disease registration for 陈秀英 (chen).

The 2026 version differs from 2025 in a few items, as a new edition does: a class B drug moved to
class A, a negotiated drug's price limit lowered, a new item, an item taken out. Idempotent: a
world that holds a version already is left alone."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from jingban.catalogue import imports, services
from jingban.catalogue.models import CatalogueVersion, ChronicDisease
from jingban.core.models import User
from jingban.registry.models import Person

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "sample_catalogue.csv"
DISEASES = DATA / "chronic_diseases.csv"

V2025 = "2025年示例版"
V2026 = "2026年示例版"
# Changes of the 2026 edition, by code.
CEFIXIME = "XJ01DDE790A0010100001"  # 头孢克肟片: 乙 → 甲
IMATINIB = "XL01EAB590A0010100070"  # 伊马替尼片: price limit 13.00 → 11.50
DROPPED = "XJ01CAA381B0020100000"  # 阿莫西林胶囊（大包装）: not in 2026
NEW_2026 = imports.ItemRow(
    code="XA10BKE312A0010100999",
    name="恩格列净片",
    kind="western_drug",
    category="B",
    first_pay_rate=None,
    price_limit=None,
    unit="片",
    visit_types=(),
    restriction="",
)


def sample_items() -> list[imports.ItemRow]:
    items, problems = imports.parse_rows(imports.read_table(SAMPLE.read_bytes(), SAMPLE.name))
    assert not problems, problems
    return items


def items_2026(items: list[imports.ItemRow]) -> list[imports.ItemRow]:
    changed: list[imports.ItemRow] = []
    for item in items:
        if item.code == DROPPED:
            continue
        if item.code == CEFIXIME:
            item = replace(item, category="A")
        elif item.code == IMATINIB:
            item = replace(item, price_limit=1150)
        changed.append(item)
    return [*changed, NEW_2026]


def load_catalogue(acting_user: User | None) -> None:
    items = sample_items()
    common = {"default_first_pay_rate": Decimal("0.10"), "sample": True}
    imports.import_version(
        imports.VersionInput(
            V2025,
            dt.date(2025, 1, 1),
            dt.date(2025, 12, 31),
            note="示例数据，非真实目录",
            **common,  # type: ignore[arg-type]
        ),
        items,
        acting_user=acting_user,
    )
    imports.import_version(
        imports.VersionInput(V2026, dt.date(2026, 1, 1), note="示例数据，非真实目录", **common),  # type: ignore[arg-type]
        items_2026(items),
        acting_user=acting_user,
    )


def ensure_diseases() -> None:
    """The disease table as migration 0002 loads it, again when a database was emptied since
    (a flushed test database, a demo into an emptied one): the demo's settlements name them."""
    if ChronicDisease.objects.exists():
        return
    with DISEASES.open(encoding="utf-8") as stream:
        ChronicDisease.objects.bulk_create(
            ChronicDisease(code=row["code"], name=row["name"], sample=True)
            for row in csv.DictReader(stream)
        )


def build(admin: User, users: Mapping[str, User]) -> None:
    ensure_diseases()
    if CatalogueVersion.objects.exists():
        return
    load_catalogue(admin)
    chen = Person.objects.filter(account=users.get("chen")).first() if "chen" in users else None
    hypertension = ChronicDisease.objects.filter(code="M03900").first()
    if chen is not None and hypertension is not None:
        services.register_chronic(
            services.RegistrationInput(
                person=chen,
                disease=hypertension,
                valid_from=dt.date(2025, 1, 1),
                hospital="苏州市示例第一人民医院",
            ),
            acting_user=users.get("wang", admin),
        )
