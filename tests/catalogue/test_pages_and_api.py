"""The catalogue's browse pages and its API: search by code, name, class and kind with paging,
an item with its versions, and the classification preview."""

from __future__ import annotations

import pytest

from jingban.catalogue import demo
from jingban.catalogue.models import CatalogueItem, CatalogueVersion
from jingban.core.models import ActionLog

CEFIXIME = "XJ01DDE790A0010100001"
ALBUMIN = "XB05AAF247A0010100084"


def test_the_list_shows_the_version_in_force_and_filters(personas) -> None:
    client = personas.client("kangning")
    page = client.get("/catalogue/").content.decode()
    assert demo.V2026 in page
    assert "示例数据" in page
    versions = page.split('id="catalogue-versions"')[1]
    assert demo.V2025 in versions and "357" in versions and "10%" in versions
    page = client.get("/catalogue/", {"q": "头孢克肟"}).content.decode()
    assert CEFIXIME in page and "阿莫西林" not in page
    page = client.get("/catalogue/", {"q": "XJ01DD"}).content.decode()
    assert CEFIXIME in page
    page = client.get("/catalogue/", {"category": "C"}).content.decode()
    assert "维生素C咀嚼片" in page and "头孢克肟片" not in page
    page = client.get("/catalogue/", {"kind": "consumable"}).content.decode()
    assert "冠状动脉药物洗脱支架" in page and "头孢克肟片" not in page


def test_the_list_pages_and_shows_an_older_version(personas) -> None:
    client = personas.client("chen")
    first = client.get("/catalogue/").content.decode()
    second = client.get("/catalogue/", {"page": 2}).content.decode()
    assert first != second
    older = CatalogueVersion.objects.get(label=demo.V2025)
    page = client.get("/catalogue/", {"version": older.pk, "q": "头孢克肟片"}).content.decode()
    assert "乙类" in page


def test_an_item_page_shows_each_version(personas) -> None:
    page = personas.client("sun").get(f"/catalogue/items/{CEFIXIME}/").content.decode()
    assert demo.V2025 in page and demo.V2026 in page
    assert "乙类" in page and "甲类" in page
    page = personas.client("sun").get(f"/catalogue/items/{ALBUMIN}/").content.decode()
    assert "¥300.00" in page and "住院" in page and "白蛋白低于30g/L" in page
    assert personas.client("sun").get("/catalogue/items/NOPE/").status_code == 404


def test_the_api_searches_and_pages(personas) -> None:
    client = personas.client("kangning")
    body = client.get("/api/v1/catalogue/items", {"q": "头孢"}).json()
    assert body["version"] == demo.V2026
    assert {r["code"] for r in body["results"]} >= {CEFIXIME}
    everything = client.get("/api/v1/catalogue/items").json()
    assert everything["count"] == CatalogueItem.objects.filter(version__label=demo.V2026).count()
    assert len(everything["results"]) == 50


def test_the_api_gives_an_item_in_every_version(personas) -> None:
    client = personas.client("kangning")
    rows = client.get(f"/api/v1/catalogue/items/{CEFIXIME}").json()
    assert [(r["version"], r["category"]) for r in rows] == [(demo.V2026, "A"), (demo.V2025, "B")]
    assert rows[1]["first_pay_rate"] == "0.1000"
    assert client.get("/api/v1/catalogue/items/NOPE").status_code == 404


def test_the_api_classifies_fee_lines_without_storing_anything(personas) -> None:
    logged = ActionLog.objects.count()
    body = {
        "on": "2025-06-10",
        "visit_type": "inpatient",
        "lines": [
            {"line_id": "1", "code": CEFIXIME, "quantity": "20", "price": 350, "amount": 7000},
            {"line_id": "2", "code": ALBUMIN, "quantity": "5", "price": 35000, "amount": 175000},
            {"line_id": "3", "code": "X-UNKNOWN-1", "quantity": "1", "price": 990, "amount": 990},
        ],
    }
    response = personas.client("kangning").post(
        "/api/v1/catalogue/classify", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["version"] == demo.V2025
    assert (result["total"], result["fulamt_ownpay_amt"], result["overlmt_selfpay"]) == (
        182_990,
        990,
        25_000,
    )
    assert (result["class_b"], result["preselfpay_amt"]) == (157_000, 700 + 30_000)
    assert result["inscp_scp_amt"] == 182_990 - 990 - 25_000 - 30_700
    assert result["lines"][2]["reason"] == "unknown_code"
    assert "X-UNKNOWN-1" in result["lines"][2]["warning"]
    assert ActionLog.objects.count() == logged


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": "20", "price": 350, "amount": 7001}, "amount"),
        ({"quantity": "20", "price": -350, "amount": -7000}, "price"),
        ({"quantity": "-20", "price": 350, "amount": 7000}, "quantity"),
    ],
)
def test_the_api_refuses_a_bad_line_naming_it(personas, line: dict, field: str) -> None:  # type: ignore[type-arg]
    body = {
        "on": "2025-06-10",
        "visit_type": "inpatient",
        "lines": [{"line_id": "L9", "code": CEFIXIME, **line}],
    }
    response = personas.client("kangning").post(
        "/api/v1/catalogue/classify", body, content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "fee_line.invalid"
    assert field in error["fields"]
    assert "L9" in error["message"]


def test_the_api_refuses_non_numeric_amounts(personas) -> None:
    body = {
        "on": "2025-06-10",
        "visit_type": "inpatient",
        "lines": [{"line_id": "1", "code": CEFIXIME, "quantity": "x", "price": "a", "amount": 1}],
    }
    response = personas.client("kangning").post(
        "/api/v1/catalogue/classify", body, content_type="application/json"
    )
    assert response.status_code == 422


def test_the_api_lists_the_diseases(personas) -> None:
    rows = personas.client("kangning").get("/api/v1/catalogue/diseases").json()
    assert {"code": "M07800", "name": "尿毒症透析"} in rows
    assert len(rows) >= 20
