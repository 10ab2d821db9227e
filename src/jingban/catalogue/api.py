"""API of the medical catalogue, for any signed-in user (hospital systems included): search,
an item in every version, and the classification of fee details (a preview: nothing stored)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from pydantic import ConfigDict

from jingban.catalogue import classify as classifying
from jingban.catalogue import queries
from jingban.catalogue.models import CatalogueItem
from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.engine.codes import VisitType

router = Router(tags=["catalogue"])
PAGE_SIZE = 50
EXAMPLE_CODE = "XJ01CAA381A0010100000"  # 阿莫西林胶囊 in the sample catalogue
EXAMPLE_B_CODE = "XJ01DDE790A0010100001"  # 头孢克肟片

_ITEM_EXAMPLE: dict[str, Any] = {
    "code": EXAMPLE_CODE,
    "name": "阿莫西林胶囊",
    "kind": "western_drug",
    "category": "A",
    "first_pay_rate": None,
    "price_limit": None,
    "unit": "粒",
    "visit_types": [],
    "restriction": "",
    "version": "2026年示例版",
    "effective_from": "2026-01-01",
    "effective_to": None,
    "sample": True,
}


class ItemOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_ITEM_EXAMPLE]})

    code: str = Field(description="National code (国家医保编码)")
    name: str
    kind: str = Field(description="western_drug, patent_drug, consumable or service")
    category: str = Field(description="A (甲), B (乙), C (丙) or none (outside the catalogue)")
    first_pay_rate: Decimal | None = Field(
        description="Class B: the first-payment rate that applies (the item's or the version's)"
    )
    price_limit: int | None = Field(description="Fen per unit; null: no limit")
    unit: str
    visit_types: list[str] = Field(description="Visit types covered; empty: every one")
    restriction: str = Field(description="限定支付范围")
    version: str
    effective_from: dt.date
    effective_to: dt.date | None
    sample: bool


class ItemPage(Schema):
    version: str | None
    count: int
    page: int
    results: list[ItemOut]


def _out(item: CatalogueItem) -> ItemOut:
    return ItemOut(
        code=item.code,
        name=item.name,
        kind=item.kind,
        category=item.category,
        first_pay_rate=item.rate(),
        price_limit=item.price_limit,
        unit=item.unit,
        visit_types=list(item.visit_types),
        restriction=item.restriction,
        version=item.version.label,
        effective_from=item.version.effective_from,
        effective_to=item.version.effective_to,
        sample=item.version.sample,
    )


@router.get(
    "/items",
    response={200: ItemPage},
    summary="Items of the version in force today (or of the version given), by the start of "
    "their code or part of their name, class and kind",
)
def item_list(
    request: HttpRequest,
    q: str = "",
    category: str = "",
    kind: str = "",
    version: int | None = None,
    page: int = 1,
) -> ItemPage:
    api_user(request)
    search = queries.ItemSearch(
        text=q.strip()[:100],
        category=category[:10],
        kind=kind[:20],
        version=version if version is not None and 0 < version < 2**31 else None,
    )
    found, rows = queries.search_items(search)
    page = min(max(page, 1), 10**6)
    start = (page - 1) * PAGE_SIZE
    count = rows.count()
    results = [_out(i) for i in rows[start : start + PAGE_SIZE]] if start < count else []
    return ItemPage(version=found.label if found else None, count=count, page=page, results=results)


@router.get(
    "/items/{code}",
    response={200: list[ItemOut], **errors(404)},
    summary="An item in every catalogue version that lists it, newest first",
)
def item_versions(
    request: HttpRequest,
    code: str = Path(..., examples=[EXAMPLE_CODE], max_length=50),
) -> list[ItemOut]:
    api_user(request)
    return [_out(i) for i in queries.item_versions(code)]


class DiseaseOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"code": "M03900", "name": "高血压（合并并发症）"}]}
    )

    code: str = Field(description="Disease code (dise_codg of a chronic-disease visit)")
    name: str


@router.get(
    "/diseases",
    response={200: list[DiseaseOut]},
    summary="The chronic and special outpatient diseases (门诊慢特病) a person can be "
    "registered for",
)
def disease_list(request: HttpRequest) -> list[DiseaseOut]:
    api_user(request)
    return [DiseaseOut(code=d.code, name=d.name) for d in queries.diseases().order_by("code")]


class ClassifyLineIn(Schema):
    line_id: str = Field(max_length=50, description="The hospital's line number (feedetl_sn)")
    code: str = Field(max_length=50, description="National code (med_list_codg)")
    name: str = Field("", max_length=200)
    quantity: str = Field(
        pattern=r"^-?[0-9]{1,12}(\.[0-9]{1,4})?$",
        description="cnt, as text with at most four decimals; more than zero",
    )
    price: int = Field(description="pric, in fen per unit")
    amount: int = Field(description="det_item_fee_sumamt, in fen: quantity × price to the fen")


class ClassifyIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "on": "2026-03-02",
                    "visit_type": "outpatient_general",
                    "lines": [
                        {
                            "line_id": "1",
                            "code": EXAMPLE_CODE,
                            "name": "阿莫西林胶囊",
                            "quantity": "24",
                            "price": 50,
                            "amount": 1200,
                        },
                        {
                            "line_id": "2",
                            "code": EXAMPLE_B_CODE,
                            "name": "头孢克肟片",
                            "quantity": "6",
                            "price": 350,
                            "amount": 2100,
                        },
                    ],
                }
            ]
        }
    )

    on: dt.date = Field(description="The service day: it chooses the catalogue version")
    visit_type: VisitType
    lines: list[ClassifyLineIn] = Field(min_length=1, max_length=2000)


class LineOut(Schema):
    line_id: str
    code: str
    name: str
    amount: int
    category: str
    fulamt_ownpay: int
    overlmt: int
    preselfpay: int
    inscp: int
    warning: str | None
    reason: str


class ClassificationOut(Schema):
    total: int
    fulamt_ownpay_amt: int = Field(description="全自费")
    overlmt_selfpay: int = Field(description="超限价自付")
    class_b: int = Field(description="In-scope amount of class B items")
    preselfpay_amt: int = Field(description="乙类先行自付")
    inscp_scp_amt: int = Field(description="政策范围内")
    version: str
    lines: list[LineOut]


@router.post(
    "/classify",
    response={200: ClassificationOut, **errors(400)},
    summary="Classify fee details through the catalogue version in force on the day "
    "(a preview: nothing is stored)",
)
def classify_lines(request: HttpRequest, body: ClassifyIn) -> ClassificationOut:
    api_user(request)
    result = classifying.classify(
        [
            classifying.FeeLine(
                line_id=line.line_id,
                code=line.code,
                name=line.name,
                quantity=Decimal(line.quantity),
                price=line.price,
                amount=line.amount,
            )
            for line in body.lines
        ],
        on=body.on,
        visit_type=body.visit_type,
    )
    return ClassificationOut(
        total=result.total,
        fulamt_ownpay_amt=result.fulamt_ownpay_amt,
        overlmt_selfpay=result.overlmt_selfpay,
        class_b=result.class_b,
        preselfpay_amt=result.preselfpay_amt,
        inscp_scp_amt=result.inscp_scp_amt,
        version=result.version,
        lines=[LineOut(**asdict(line)) for line in result.lines],
    )
