"""The pages and the API as gongbao (the co-insurer JS-INS-01's staff) and as staff: gongbao
reads only their organisation's statements (another insurer's is 404, not 403), sees no person,
settlement or anything else; the PDF carries the Chinese figures and a code the public page
verifies; the panel form refuses shares that do not add up, storing nothing."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from jingban.coinsurance import queries, services
from jingban.coinsurance.models import Panel, Statement
from jingban.core.models import ActionLog
from jingban.documents.models import DocumentKind, IssuedDocument
from tests.authz import ROLES, Route
from tests.coinsurance import matrix
from tests.coinsurance.helpers import LABEL, PRODUCT, FixedProvider, eleven_panel
from tests.core.test_authorization_matrix import API as CORE_API
from tests.core.test_authorization_matrix import PAGES as CORE_PAGES
from tests.core.test_authorization_matrix import _args, _call, _fill
from tests.personas import Personas

CODE = re.compile(r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){4}")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _golden_month(provider: FixedProvider) -> None:
    eleven_panel()
    provider.add("premium", "premium:1", dt.date(2026, 1, 3), 123457)
    provider.add("claim", "claim:1", dt.date(2026, 1, 8), 33333)
    services.generate(PRODUCT, dt.date(2026, 1, 1), acting_user=None)


def _own(code: str = "JS-INS-01") -> Statement:
    return Statement.objects.get(run__product=PRODUCT, run__current=True, insurer__code=code)


def test_coinsurer_reads_their_statement_and_the_pdf_verifies(
    personas: Personas, provider: FixedProvider
) -> None:
    _golden_month(provider)
    own, other = _own(), _own("JS-INS-02")
    client = personas.client("gongbao")

    home = client.get(reverse("core:home")).content.decode()
    latest = queries.statements_for(personas.user("gongbao")).filter(run__current=True).first()
    assert latest is not None and latest.insurer.code == "JS-INS-01"
    assert reverse("coinsurance:my_detail", args=[latest.pk]) in home
    listing = client.get(reverse("coinsurance:my_list")).content.decode()
    assert own.number in listing and other.number not in listing
    page = client.get(reverse("coinsurance:my_detail", args=[own.pk])).content.decode()
    # 30 % of 1,234.57 元 is 370.37 元; of 333.33 元, 100.00 元 (largest remainder).
    assert "¥370.37" in page and "¥100.00" in page and "¥270.37" in page
    assert LABEL in page and "示例人寿保险股份有限公司江苏省分公司" in page
    assert client.get(reverse("coinsurance:my_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("coinsurance:my_pdf", args=[other.pk])).status_code == 404
    assert client.get(f"/api/v1/coinsurance/statements/{other.pk}").status_code == 404
    listed = client.get("/api/v1/coinsurance/statements").json()["results"]
    assert {row["insurer"] for row in listed} == {"JS-INS-01"}
    detail = client.get(f"/api/v1/coinsurance/statements/{own.pk}").json()
    assert (detail["premiums"], detail["claims"], detail["net"]) == (37037, 10000, 27037)
    parts = {
        kind: sum(x["part"] for x in detail["lines"] if x["kind"] == kind)
        for kind in ("premium", "claim")
    }
    assert parts == {"premium": 37037, "claim": 10000}

    response = client.post(reverse("coinsurance:my_pdf", args=[own.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "共保" in text and "示例人寿保险股份有限公司江苏省分公司" in text
    assert "¥370.37" in text and "¥270.37" in text and "2026-01" in text
    document = IssuedDocument.objects.get(kind=DocumentKind.COINSURANCE_STATEMENT)
    assert document.object_id == str(own.pk) and document.number in text
    code = CODE.search(text)
    assert code is not None
    checked = Client(REMOTE_ADDR="203.0.113.9").post("/public/verify/", {"code": code.group(0)})
    shown = checked.content.decode()
    assert (
        checked.status_code == 200 and "该文书真实有效。" in shown and "共保月度分摊对账单" in shown
    )
    forged = Client(REMOTE_ADDR="203.0.113.10").post(
        "/public/verify/", {"code": "AAAA-AAAA-AAAA-AAAA-AAAA"}
    )
    assert forged.status_code == 400 and "该文书真实有效。" not in forged.content.decode()


def test_coinsurer_sees_nothing_else(personas: Personas) -> None:
    """Every other page and API operation of the matrix is refused to gongbao."""
    client = personas.client("gongbao")
    for name, route in CORE_PAGES.items():
        if route.allowed >= set(ROLES) or name.startswith("coinsurance:"):
            continue  # pages for every signed-in user (home, preferences), and ours
        args = _args(route.target(personas, True)) if route.target else []
        response = _call(
            client, route.method, reverse(name, args=args), route.data, json_body=False
        )
        assert response.status_code in {403, 404}, name
    for (method, path), route in CORE_API.items():
        if route.allowed >= set(ROLES) or path.startswith("/api/v1/coinsurance"):
            continue
        url = _fill(path, route.target(personas, True) if route.target else None)
        response = _call(
            client, method, url, route.data, json_body=method != "GET", personas=personas
        )
        assert response.status_code in {401, 403, 404}, (method, path, response.status_code)
    for url in ("/persons/", "/medical/settlements/", "/filings/", "/organisations/"):
        assert client.get(url).status_code in {403, 404}, url


def _walk(personas: Personas, username: str, routes: dict, api: bool) -> list[object]:
    client = personas.client(username)
    failures = []
    for key, route in routes.items():
        route: Route
        for in_scope in (True, False) if route.target else (True,):
            target = route.target(personas, in_scope) if route.target else None
            if api:
                method, path = key
                url = _fill(path, target)
            else:
                method, url = route.method.upper(), reverse(key, args=_args(target))
            response = _call(
                client,
                method.lower() if not api else method,
                url,
                route.data,
                json_body=api and method != "GET",
                personas=personas,
            )
            if username not in route.allowed:
                expected = route.denied_as.get(username, route.denied)
            elif route.target is not None and not in_scope:
                expected = 404
            else:
                expected = route.ok
            if response.status_code != expected:
                failures.append((key, in_scope, response.status_code, expected))
    return failures


def test_coinsurer_access(personas: Personas) -> None:
    """The matrix rows of co-insurance, walked for gongbao (not yet in tests.authz.ROLES)."""
    assert not _walk(personas, "gongbao", matrix.PAGES, api=False)
    assert not _walk(personas, "gongbao", matrix.API, api=True)


def test_the_panel_form_refuses_shares_not_adding_up(personas: Personas) -> None:
    client = personas.client("admin")
    before = (Panel.objects.count(), ActionLog.objects.count())
    data = {
        "product": "jiangsu-yihuibao-2021",
        "effective_from": "2030-01-01",
        "insurer_1": "JS-INS-01",
        "share_1": "60",
        "insurer_2": "JS-INS-02",
        "share_2": "33.3333",
        "chief": "1",
    }
    response = client.post(reverse("coinsurance:panel_new"), data)
    assert response.status_code == 400
    assert "份额合计为 93.3333 %，不是 100 %。" in response.content.decode()
    assert (Panel.objects.count(), ActionLog.objects.count()) == before
    data["share_2"] = "40"
    response = client.post(reverse("coinsurance:panel_new"), data)
    assert response.status_code == 302
    panel = Panel.objects.get(product="jiangsu-yihuibao-2021", effective_from=dt.date(2030, 1, 1))
    assert [(m.insurer.code, str(m.share), m.chief) for m in panel.members.all()] == [
        ("JS-INS-01", "60.0000", True),
        ("JS-INS-02", "40.0000", False),
    ]


def test_the_api_refuses_a_panel_not_adding_up(personas: Personas) -> None:
    response = personas.client("admin").post(
        "/api/v1/coinsurance/panels",
        {
            "product": "jiangsu-ankang-2026",
            "effective_from": "2031-01-01",
            "members": [
                {"insurer": "JS-INS-01", "share": "33.3333", "chief": True},
                {"insurer": "JS-INS-02", "share": "33.3333"},
                {"insurer": "JS-INS-03", "share": "33.3333"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"members": ["份额合计为 99.9999 %，不是 100 %。"]}
    assert not Panel.objects.filter(effective_from=dt.date(2031, 1, 1)).exists()


def test_staff_generate_a_month_and_see_every_insurer(
    personas: Personas, provider: FixedProvider
) -> None:
    eleven_panel()
    provider.add("premium", "premium:9", dt.date(2026, 2, 2), 10000)
    client = personas.client("wang")
    response = client.post(
        reverse("coinsurance:generate"),
        {"generate-product": PRODUCT, "generate-month": "2026-02"},
    )
    assert response.status_code == 302
    listing = client.get(
        f"{reverse('coinsurance:statement_list')}?product={PRODUCT}"
    ).content.decode()
    assert listing.count("<tr>") - 1 == 11
    assert "¥30.00" in listing and "¥3.50" in listing
    # The auditor reads, and does not generate.
    assert personas.client("zhao").post(reverse("coinsurance:generate"), {}).status_code == 403


@pytest.mark.parametrize("username", ["chen", "sun", "renmin", "kangning"])
def test_others_see_no_statement(personas: Personas, username: str) -> None:
    if username not in personas.world.users:
        pytest.skip("not a persona here")
    client = personas.client(username)
    assert client.get(reverse("coinsurance:my_list")).status_code == 403
    assert client.get(reverse("coinsurance:statement_list")).status_code == 403
    assert client.get("/api/v1/coinsurance/statements").status_code == 403
