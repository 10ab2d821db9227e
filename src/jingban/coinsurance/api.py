"""The co-insurance API under /api/v1/coinsurance: the same services as the pages.

Staff read the panels (``coinsurance.panel.view``) and the statements of insurers in scope
(``coinsurance.statement.view``); an administrator sets up a panel (``coinsurance.panel.edit``);
an operator generates a month (``coinsurance.statement.generate``). A co-insurer's staff
(``coinsurance.own.view``) read their own organisation's statements only; another insurer's is
404. Amounts are integer fen; shares are percent strings with up to four decimals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from jingban.coinsurance import queries, services
from jingban.coinsurance.models import Panel, Statement
from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.errors import Forbidden, NotFound, ValidationFailed
from jingban.core.models import User

router = Router(tags=["coinsurance"])
PAGE_SIZE = 50
MAX_LINES = 2000


class CoinsuranceMemberOut(Schema):
    insurer: str = Field(description="The insurer's organisation code")
    insurer_name: str
    share: str = Field(description="Percent, up to four decimals")
    chief: bool


class CoinsurancePanelOut(Schema):
    id: int
    product: str = Field(description="The product's pack id")
    product_label: str
    effective_from: dt.date
    note: str
    members: list[CoinsuranceMemberOut]


class CoinsuranceMemberIn(Schema):
    insurer: str = Field(max_length=40, description="The insurer's organisation code")
    share: str = Field(max_length=12, description="Percent, up to four decimals (9.0909)")
    chief: StrictBool = False


class CoinsurancePanelIn(Schema):
    product: str = Field(max_length=80)
    effective_from: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")
    members: list[CoinsuranceMemberIn] = Field(max_length=services.MAX_MEMBERS)
    note: str = Field(default="", max_length=200)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "product": "jiangsu-ankang-2026",
                    "effective_from": "2027-01-01",
                    "members": [{"insurer": "JS-INS-01", "share": "100", "chief": True}],
                }
            ]
        }
    }


class CoinsuranceGenerateIn(Schema):
    product: str = Field(max_length=80)
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")

    model_config = {
        "json_schema_extra": {
            "examples": [{"product": "jiangsu-yihuibao-2021", "month": "2026-01"}]
        }
    }


class CoinsuranceLineOut(Schema):
    ref: str
    kind: str = Field(description="premium or claim")
    day: dt.date
    amount: int = Field(description="The item, fen (negative: a refund or reversal)")
    share: str = Field(description="The insurer's share, percent")
    part: int = Field(description="The insurer's part, fen")


class CoinsuranceStatementOut(Schema):
    id: int
    number: str
    product: str
    product_label: str
    month: str = Field(description="YYYY-MM")
    version: int
    current: bool = Field(description="False: replaced by a later generation of the month")
    insurer: str
    insurer_name: str
    premiums: int = Field(description="fen")
    claims: int = Field(description="fen")
    net: int = Field(description="premiums − claims, fen")
    item_count: int


class CoinsuranceStatementDetail(CoinsuranceStatementOut):
    lines: list[CoinsuranceLineOut] = Field(description=f"At most {MAX_LINES}")


class CoinsuranceStatementPage(Schema):
    count: int
    page: int
    results: list[CoinsuranceStatementOut]


class CoinsuranceRunOut(Schema):
    id: int
    product: str
    month: str
    version: int
    item_count: int
    premiums: int
    claims: int
    statements: list[CoinsuranceStatementOut]


def _panel_out(panel: Panel, labels: dict[str, str]) -> CoinsurancePanelOut:
    return CoinsurancePanelOut(
        id=panel.pk,
        product=panel.product,
        product_label=labels.get(panel.product, panel.product),
        effective_from=panel.effective_from,
        note=panel.note,
        members=[
            CoinsuranceMemberOut(
                insurer=m.insurer.code,
                insurer_name=m.insurer.name,
                share=f"{m.share:f}",
                chief=m.chief,
            )
            for m in panel.members.select_related("insurer").order_by("position")
        ],
    )


def _statement_fields(s: Statement, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "id": s.pk,
        "number": s.number,
        "product": s.run.product,
        "product_label": labels.get(s.run.product, s.run.product),
        "month": s.run.month.strftime("%Y-%m"),
        "version": s.run.version,
        "current": s.run.current,
        "insurer": s.insurer.code,
        "insurer_name": s.insurer.name,
        "premiums": s.premiums,
        "claims": s.claims,
        "net": s.net,
        "item_count": s.item_count,
    }


def _day(text: str, name: str = "effective_from") -> dt.date:
    """A day of the years the platform keeps (1900–2999), or a 400 naming the field."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2999:
        raise ValidationFailed(fields={name: [_("Enter a valid date.")]})
    return day


def _reader(request: HttpRequest) -> User:
    user = api_user(request)
    if not (user.can(services.VIEW) or user.can(services.OWN_VIEW)):
        raise Forbidden()
    return user


@router.get(
    "/panels",
    response={200: list[CoinsurancePanelOut], **errors(403)},
    summary="Co-insurance panels, optionally of one product, newest first",
)
def panel_list(request: HttpRequest, product: str = "") -> list[CoinsurancePanelOut]:
    api_user(request, services.PANEL_VIEW)
    labels = services.known_products()
    panels = Panel.objects.all()
    if product:
        panels = panels.filter(product=product)
    return [_panel_out(p, labels) for p in panels[:200]]


@router.post(
    "/panels",
    response={201: CoinsurancePanelOut, **errors(400, 403)},
    summary="Set up a panel of a product from a day (shares add up to exactly 100 %, one chief)",
)
def panel_create(request: HttpRequest, payload: CoinsurancePanelIn) -> Status[CoinsurancePanelOut]:
    user = api_user(request, services.PANEL_EDIT)
    panel = services.create_panel(
        services.PanelInput(
            product=payload.product,
            effective_from=_day(payload.effective_from),
            members=[services.MemberInput(m.insurer, m.share, m.chief) for m in payload.members],
            note=payload.note,
        ),
        acting_user=user,
    )
    return Status(201, _panel_out(panel, services.known_products()))


@router.get(
    "/panels/{int:pk}",
    response={200: CoinsurancePanelOut, **errors(403, 404)},
    summary="One co-insurance panel",
)
def panel_detail(request: HttpRequest, pk: int) -> CoinsurancePanelOut:
    api_user(request, services.PANEL_VIEW)
    panel = Panel.objects.filter(pk=pk).first()
    if panel is None:
        raise NotFound()
    return _panel_out(panel, services.known_products())


@router.get(
    "/statements",
    response={200: CoinsuranceStatementPage, **errors(403)},
    summary="Monthly statements (current versions) in one's scope, or one's own organisation's "
    "for a co-insurer, optionally of one product and month",
)
def statement_list(
    request: HttpRequest, product: str = "", month: str = "", page: int = 1
) -> CoinsuranceStatementPage:
    user = _reader(request)
    rows = queries.statements_for(user).filter(run__current=True)
    if product:
        rows = rows.filter(run__product=product)
    if len(month) == 7 and month[:4].isdigit() and month[4] == "-" and month[5:].isdigit():
        rows = rows.filter(run__month__year=int(month[:4]), run__month__month=int(month[5:]))
    page = max(1, min(page, 1_000_000))
    start = (page - 1) * PAGE_SIZE
    count = rows.count()
    chosen = list(rows[start : start + PAGE_SIZE]) if start < count else []
    labels = services.known_products()
    return CoinsuranceStatementPage(
        count=count,
        page=page,
        results=[CoinsuranceStatementOut(**_statement_fields(s, labels)) for s in chosen],
    )


@router.post(
    "/statements/generate",
    response={201: CoinsuranceRunOut, **errors(400, 403)},
    summary="Generate a product's statements for a month (a new version if it has some)",
)
def statement_generate(
    request: HttpRequest, payload: CoinsuranceGenerateIn
) -> Status[CoinsuranceRunOut]:
    user = api_user(request, services.GENERATE)
    month = _day(f"{payload.month}-01", "month")
    run = services.generate(payload.product, month, acting_user=user)
    labels = services.known_products()
    statements = queries.statements_for(user).filter(run=run)
    return Status(
        201,
        CoinsuranceRunOut(
            id=run.pk,
            product=run.product,
            month=run.month.strftime("%Y-%m"),
            version=run.version,
            item_count=run.item_count,
            premiums=run.premiums,
            claims=run.claims,
            statements=[
                CoinsuranceStatementOut(**_statement_fields(s, labels)) for s in statements
            ],
        ),
    )


@router.get(
    "/statements/{int:pk}",
    response={200: CoinsuranceStatementDetail, **errors(403, 404)},
    summary="One monthly statement with its lines (each item and the insurer's part)",
)
def statement_detail(request: HttpRequest, pk: int) -> CoinsuranceStatementDetail:
    user = _reader(request)
    statement = queries.statement_for(user, pk)
    lines = [
        CoinsuranceLineOut(
            ref=line.ref,
            kind=line.kind,
            day=line.day,
            amount=line.amount,
            share=f"{line.share:f}",
            part=line.part,
        )
        for line in statement.lines.order_by("day", "kind", "ref")[:MAX_LINES]
    ]
    return CoinsuranceStatementDetail(
        **_statement_fields(statement, services.known_products()),
        lines=lines,
    )
