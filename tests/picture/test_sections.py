"""Each section of chen's picture, its figures read from the world's rows (the settlements,
payments, enrollments the demo made), not typed here; and what staff see of the same person."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from jingban.catalogue.models import ChronicRegistration
from jingban.core.calendar import today
from jingban.enrollment.models import ContributionPayment
from jingban.medical.models import Settlement, SettlementKind
from jingban.registry.display import shown
from jingban.registry.models import AgentAuthorisation, Enrollment
from tests.personas import Personas
from tests.picture.helpers import chen_filing, chen_notice, keys, section


def _mine(personas: Personas, **params: object) -> dict:
    response = personas.client("chen").get("/api/v1/picture/me", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_sections_come_in_the_contract_order(personas: Personas) -> None:
    body = _mine(personas)
    assert keys(body) == [
        "registry.person",
        "enrollment.coverage",
        "enrollment.contributions",
        "medical.settlements",
        "reimburse.reimbursements",
        "filing.filings",
        "catalogue.chronic",
        "supplementary.products",
        "accident.cover",
        "ltc.status",
        "registry.agents",
        "notices.inbox",
    ]


def test_the_person_is_masked(personas: Personas) -> None:
    chen = personas.own_person
    body = _mine(personas)
    data = section(body, "registry.person")["data"]
    masked = shown(chen)
    assert data["document_masked"] == masked.document == body["person"]["document_number_masked"]
    assert chen.document_number not in str(body)
    assert chen.birth_date.isoformat() not in str(body)  # the age, never the birth date
    assert data["age"] == masked.age and data["name"] == chen.name == "陈秀英"


def test_coverage_of_the_year_and_of_the_year_before(personas: Personas) -> None:
    chen = personas.own_person
    year = today().year
    for asked in (year, year - 1):
        data = section(_mine(personas, year=asked), "enrollment.coverage")["data"]
        rows = Enrollment.objects.filter(person=chen, year=asked).order_by("scheme__code")
        assert rows.exists()
        assert [(e["scheme_code"], e["status"], e["since"]) for e in data["enrollments"]] == [
            (r.scheme.code, r.status, r.since.isoformat()) for r in rows
        ]
        assert data["year"] == asked


def test_contributions_paid_and_due_by_year(personas: Personas) -> None:
    chen = personas.own_person
    data = section(_mine(personas), "enrollment.contributions")["data"]
    payments = ContributionPayment.objects.filter(person=chen)
    assert payments.exists()
    expected = {
        (row["year"], row["scheme__name_zh"]): row["paid"]
        for row in payments.values("year", "scheme__name_zh").annotate(paid=Sum("amount"))
    }
    assert {(r["year"], r["scheme"]): r["paid"] for r in data["years"]} == expected
    for row in data["years"]:
        due = payments.filter(year=row["year"], expected__isnull=False).values_list(
            "expected", flat=True
        )
        assert row["due"] == (max(due) if due else None)


def test_settlements_of_the_year_with_their_totals(personas: Personas) -> None:
    chen = personas.own_person
    year = today().year
    rows = Settlement.objects.filter(person=chen, year=year)
    assert rows.filter(kind=SettlementKind.SETTLEMENT).count() >= 3
    data = section(_mine(personas), "medical.settlements")["data"]
    sums = rows.aggregate(t=Sum("medfee_sumamt"), f=Sum("fund_pay_sumamt"), c=Sum("psn_cash_pay"))
    assert (data["total"], data["fund"], data["cash"]) == (sums["t"], sums["f"], sums["c"])
    assert data["total"] == data["fund"] + data["cash"] + sum(
        r.acct_pay for r in rows
    )  # conservation: what the funds and the person paid make the total
    latest = rows.order_by("-setl_time", "-pk").first()
    first = data["latest"][0]
    assert (first["id"], first["total"], first["fund"], first["cash"]) == (
        latest.pk,
        latest.medfee_sumamt,
        latest.fund_pay_sumamt,
        latest.psn_cash_pay,
    )
    assert first["link"] == reverse("medical:own_settlement_detail", args=[latest.pk])
    assert first["day"] == timezone.localtime(latest.setl_time).date().isoformat()
    lines = [(line.layer, line.amount) for line in latest.lines.order_by("position")]
    assert [(x["layer"], x["amount"]) for x in data["latest_explanation"]] == lines
    # A year without settlements is empty, not an error.
    empty = section(_mine(personas, year=year - 3), "medical.settlements")
    assert empty["count"] == 0 and empty["data"]["latest"] == []


def test_a_filing_shows_with_its_kind_state_and_validity(personas: Personas) -> None:
    assert section(_mine(personas), "filing.filings")["count"] == 0
    filing = chen_filing(personas)
    data = section(_mine(personas), "filing.filings")["data"]
    assert data["filings"] == [
        {
            "id": filing.pk,
            "number": filing.number,
            "kind": "long_term_residence",
            "kind_label": "异地长期居住",
            "status": "in_effect",
            "status_label": "已生效",
            "destination": filing.destination_name,
            "start": filing.start.isoformat(),
            "end": filing.end.isoformat() if filing.end else None,
            "link": reverse("filing:my_detail", args=[filing.pk]),
        }
    ]
    # A year before the filing's validity does not show it.
    before = section(_mine(personas, year=today().year - 1), "filing.filings")
    assert before["count"] == 0


def test_chronic_registrations(personas: Personas) -> None:
    chen = personas.own_person
    data = section(_mine(personas), "catalogue.chronic")["data"]
    rows = ChronicRegistration.objects.filter(person=chen)
    assert rows.exists()
    assert [(r["disease_code"], r["valid_from"]) for r in data["registrations"]] == [
        (r.disease.code, r.valid_from.isoformat()) for r in rows
    ]


def test_agents_both_ways(personas: Personas) -> None:
    chen = personas.own_person
    data = section(_mine(personas), "registry.agents")["data"]
    principals = AgentAuthorisation.objects.filter(agent=personas.user("chen"))
    assert [a["name"] for a in data["acts_for"]] == [a.person.name for a in principals]
    assert "陆美芳" in [a["name"] for a in data["acts_for"]]
    assert data["acts_for"][0]["state"] == "in_force"
    assert "办理异地就医备案" in data["acts_for"][0]["services"]
    assert data["agents"] == [] and not AgentAuthorisation.objects.filter(person=chen).exists()


def test_notices_are_the_persons_own_inbox(personas: Personas) -> None:
    # The demo world already notified chen (her reimbursements): the new notice comes on top.
    before = section(_mine(personas), "notices.inbox")
    chen_notice(personas)
    inbox = section(_mine(personas), "notices.inbox")
    assert inbox["count"] == before["count"] + 1
    assert inbox["data"]["unread"] == before["data"]["unread"] + 1
    assert inbox["data"]["latest"][0]["title"] == "请续缴2027年度医保费"
    # Staff never see a person's notices (the notices app: one's own inbox only).
    staff = personas.client("wang").get(f"/api/v1/picture/persons/{personas.own_person.pk}")
    assert "notices.inbox" not in keys(staff.json())


def test_ltc_of_a_beneficiary(personas: Personas) -> None:
    """A person of the demo's long-term care with an entitlement: level and status as staff see
    them; a person without a case shows the section empty."""
    from jingban.ltc.models import Entitlement

    entitlement = (
        Entitlement.objects.filter(person__region__path__contains="320500/")
        .order_by("-start_on", "-pk")
        .first()
    )
    assert entitlement is not None
    body = personas.client("wang").get(f"/api/v1/picture/persons/{entitlement.person_id}").json()
    data = section(body, "ltc.status")["data"]
    latest = Entitlement.objects.filter(person_id=entitlement.person_id).order_by(
        "-start_on", "-pk"
    )[0]
    assert data["entitlement"]["level"] == latest.level
    assert data["entitlement"]["status"] == latest.status
    assert data["case"] is not None
    empty = section(_mine(personas), "ltc.status")
    assert empty["count"] == 0 and empty["data"]["case"] is None


def test_what_each_staff_role_sees_of_chen(personas: Personas) -> None:
    pk = personas.own_person.pk
    seen = {
        role: keys(personas.client(role).get(f"/api/v1/picture/persons/{pk}").json())
        for role in ("wang", "li", "qian")
    }
    assert "medical.settlements" in seen["wang"] and "catalogue.chronic" in seen["wang"]
    # The assessor: the person and LTC coverage, no settlement, filing, disease or payment.
    assert "medical.settlements" not in seen["li"]
    assert "catalogue.chronic" not in seen["li"] and "filing.filings" not in seen["li"]
    assert "enrollment.contributions" not in seen["li"]
    li = personas.client("li").get(f"/api/v1/picture/persons/{pk}").json()
    assert [
        e["scheme_code"] for e in section(li, "enrollment.coverage")["data"]["enrollments"]
    ] == ["ltc"]
    assert "notices.inbox" not in seen["qian"]
    wang = personas.client("wang").get(f"/api/v1/picture/persons/{pk}").json()
    first = section(wang, "medical.settlements")["data"]["latest"][0]
    assert first["link"] == reverse("medical:settlement_detail", args=[first["id"]])
