"""Co-insurance's routes in the authorization matrix. A statement of JS-INS-01 (a provincial
insurer, region 320000) is in the Suzhou staff's scope and is gongbao's own; one of an insurer
of Nanjing (320100) is in neither: staff get 404, and so does gongbao, who holds the capability
but not that statement. Panels are reference data without a region (``regional=False``).

``tests.authz.ROLES`` lists gongbao (step 9); the rows below
say gongbao's expectations all the same, and ``test_coinsurer_access`` walks them for gongbao."""

from __future__ import annotations

import datetime as dt

from jingban.coinsurance.models import Panel, Statement, StatementRun
from jingban.core.models import Organisation, OrganisationKind, Region
from tests.authz import Route
from tests.personas import Personas

STAFF = {"admin", "wang", "zhao", "qian"}
GENERATORS = {"admin", "wang"}
EDITORS = {"admin"}
COINSURERS = {"gongbao"}
PRODUCT = "matrix-product"


def _nanjing_insurer() -> Organisation:
    found = Organisation.objects.filter(code="NJ-INS-MX").first()
    return found or Organisation.objects.create(
        code="NJ-INS-MX",
        name="示例南京保险（矩阵）",
        kind=OrganisationKind.INSURER,
        region=Region.objects.get(code="320100"),
    )


def statement(p: Personas, in_scope: bool) -> int:
    insurer = Organisation.objects.get(code="JS-INS-01") if in_scope else _nanjing_insurer()
    run = StatementRun.objects.filter(product=PRODUCT, month=dt.date(2026, 1, 1)).first()
    if run is None:
        run = StatementRun.objects.create(product=PRODUCT, month=dt.date(2026, 1, 1), version=1)
    found = Statement.objects.filter(run=run, insurer=insurer).first()
    if found is None:
        found = Statement.objects.create(
            run=run,
            insurer=insurer,
            premiums=100,
            claims=40,
            net=60,
            item_count=2,
            region_path=insurer.region.path,
        )
    return found.pk


def panel(p: Personas, in_scope: bool) -> int:
    if not in_scope:
        return 999_999_999
    return Panel.objects.get(product="jiangsu-yihuibao-2021").pk


def _generate(p: object) -> dict[str, object]:
    return {"generate-product": "jiangsu-ankang-2026", "generate-month": "2026-03"}


def _api_panel(p: object) -> dict[str, object]:
    return {
        "product": "jiangsu-ankang-2026",
        "effective_from": "2030-01-01",
        "members": [{"insurer": "JS-INS-01", "share": "100", "chief": True}],
    }


PAGES: dict[str, Route] = {
    "coinsurance:statement_list": Route(STAFF),
    "coinsurance:generate": Route(GENERATORS, method="post", data=_generate, ok=302),
    "coinsurance:statement_detail": Route(STAFF, statement),
    "coinsurance:statement_pdf": Route(STAFF, statement, method="post"),
    "coinsurance:panel_list": Route(STAFF),
    "coinsurance:panel_new": Route(EDITORS),
    "coinsurance:panel_detail": Route(STAFF, panel, regional=False),
    "coinsurance:my_list": Route(COINSURERS),
    "coinsurance:my_detail": Route(COINSURERS, statement),
    "coinsurance:my_pdf": Route(COINSURERS, statement, method="post"),
}

API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/coinsurance/panels"): Route(STAFF),
    ("POST", "/api/v1/coinsurance/panels"): Route(EDITORS, data=_api_panel, ok=201),
    ("GET", "/api/v1/coinsurance/panels/{pk}"): Route(STAFF, panel, regional=False),
    ("GET", "/api/v1/coinsurance/statements"): Route(STAFF | COINSURERS),
    ("POST", "/api/v1/coinsurance/statements/generate"): Route(
        GENERATORS, data={"product": "jiangsu-ankang-2026", "month": "2026-03"}, ok=201
    ),
    ("GET", "/api/v1/coinsurance/statements/{pk}"): Route(STAFF | COINSURERS, statement),
}
