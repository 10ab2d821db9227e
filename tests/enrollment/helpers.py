"""A fresh Suzhou person for the enrollment tests (registered through the registry's service,
so tests start from a person without enrollments or payments)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from jingban.registry.models import Person
from jingban.registry.services import PersonInput, register_person
from tests.personas import Personas

_SEQUENCE = iter(range(100, 500))


def resident_id(region: str, birth: dt.date, sequence: int) -> str:
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def new_person(
    p: Personas,
    *,
    name: str = "测试参保人",
    birth: dt.date = dt.date(1980, 5, 6),
    region: str = "320505001001",
    death: dt.date | None = None,
) -> Person:
    document = resident_id("320505", birth, next(_SEQUENCE))
    return register_person(
        PersonInput(
            document_type="resident_id",
            document_number=document,
            name=name,
            region_code=region,
            death_date=death,
        ),
        acting_user=p.user("admin"),
    )


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[object]]) -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode()
