"""The read-only LTC API: cases within scope with their events and level, a person's
entitlements, a month's settlement statements; personal data masked; the pages' capabilities
and scope."""

from __future__ import annotations

import datetime as dt

from jingban.ltc.models import CaseEvent, CaseStatus
from tests.ltc import matrix_decision, matrix_settlement
from tests.ltc.test_decision import concluded_case


def test_cases_in_scope_with_masked_person(personas) -> None:
    inside = concluded_case(personas, level=4, dementia=True)
    outside = concluded_case(personas, person=personas.out_of_scope_person)
    client = personas.client("wang")
    count = client.get("/api/v1/ltc/cases").json()["count"]
    every: set[int] = set()
    page = 1
    while found := client.get(f"/api/v1/ltc/cases?page={page}").json()["results"]:
        every |= {row["id"] for row in found}
        page += 1
    assert inside.pk in every and outside.pk not in every
    assert count == len(every)
    row = next(
        r
        for r in personas.client("wang")
        .get(f"/api/v1/ltc/cases?status={CaseStatus.CONCLUDED}")
        .json()["results"]
        if r["id"] == inside.pk
    )
    person = inside.person
    assert row["level"] == 4 and row["dementia"] is True
    assert row["person"]["name_masked"] == person.name[:1] + "*" * (len(person.name) - 1)
    assert person.document_number not in str(row)
    assert row["person"]["document_number_masked"] != person.document_number


def test_one_case_with_its_events_and_level(personas) -> None:
    case = concluded_case(personas, level=2)
    CaseEvent.objects.create(
        case=case, from_status="", to_status=CaseStatus.APPLIED, note="phone 13912345678"
    )
    CaseEvent.objects.create(
        case=case, from_status=CaseStatus.APPLIED, to_status=CaseStatus.ACCEPTED
    )
    body = personas.client("sun").get(f"/api/v1/ltc/cases/{case.pk}").json()
    assert body["number"] == case.number and body["level"] == 2
    assert [e["to_status"] for e in body["events"]] == ["applied", "accepted"]
    assert "13912345678" not in body["events"][0]["note"]
    outside = concluded_case(personas, person=personas.out_of_scope_person)
    assert personas.client("sun").get(f"/api/v1/ltc/cases/{outside.pk}").status_code == 404
    # An assessor sees only the cases drawn to them: this one was not.
    assert personas.client("li").get(f"/api/v1/ltc/cases/{case.pk}").status_code == 404
    # The insured and institutions have no case capability.
    assert personas.client("chen").get("/api/v1/ltc/cases").status_code == 403
    assert personas.client("kangning").get(f"/api/v1/ltc/cases/{case.pk}").status_code == 403


def test_a_persons_entitlements_institution_only_its_own(personas) -> None:
    own = matrix_decision._entitlement(personas, True)
    body = personas.client("kangning").get(f"/api/v1/ltc/persons/{own.person_id}/entitlements")
    assert body.status_code == 200
    rows = body.json()["results"]
    assert [r["id"] for r in rows] == [own.pk]
    assert rows[0]["level"] == 3 and rows[0]["severity"] == "severe"
    assert own.person.name not in body.content.decode()
    outside = matrix_decision._entitlement(personas, False)
    for role in ("kangning", "wang"):
        url = f"/api/v1/ltc/persons/{outside.person_id}/entitlements"
        assert personas.client(role).get(url).status_code == 404, role
    assert (
        personas.client("chen").get(f"/api/v1/ltc/persons/{own.person_id}/entitlements").status_code
        == 403
    )


def test_a_months_statements_in_fen_and_in_scope(personas) -> None:
    inside = matrix_settlement.batch(personas, True)
    outside = matrix_settlement.batch(personas, False)
    month = matrix_settlement.MONTH.strftime("%Y-%m")
    body = personas.client("wang").get(f"/api/v1/ltc/settlement/statements?month={month}").json()
    batches = {row["batch"] for row in body["results"]}
    assert inside in batches and outside not in batches
    row = next(r for r in body["results"] if r["batch"] == inside)
    assert (row["billed_fen"], row["fund_fen"], row["self_pay_fen"]) == (3_000, 3_000, 0)
    assert row["month"] == month
    admin = personas.client("admin").get(f"/api/v1/ltc/settlement/statements?month={month}")
    assert {inside, outside} <= {r["batch"] for r in admin.json()["results"]}
    kangning = personas.client("kangning").get(f"/api/v1/ltc/settlement/statements?month={month}")
    assert {r["batch"] for r in kangning.json()["results"]} == {inside}
    empty = personas.client("wang").get("/api/v1/ltc/settlement/statements?month=2019-01")
    assert empty.json()["count"] == 0


def test_a_bad_month_names_the_field(personas) -> None:
    for month in ("", "2026-13", "March"):
        response = personas.client("wang").get(f"/api/v1/ltc/settlement/statements?month={month}")
        assert response.status_code == 400, month
        assert set(response.json()["fields"]) == {"month"}


def test_rejected_rows_say_why_in_words(personas) -> None:
    from jingban.ltc.models_settlement import Statement

    inside = matrix_settlement.batch(personas, True)
    statement = Statement.objects.filter(batch_id=inside).first()
    assert statement is not None
    statement.rejected = [
        {
            "code": "ltc.in_hospital",
            "params": {"date": "2025-03-02"},
            "date": "2025-03-02",
            "care_form": "home_visit",
        }
    ]
    statement.save()
    rows = (
        personas.client("wang")
        .get("/api/v1/ltc/settlement/statements?month=2025-03")
        .json()["results"]
    )
    [rejected] = next(r for r in rows if r["id"] == statement.pk)["rejected"]
    assert rejected["code"] == "ltc.in_hospital"
    assert "2025-03-02" in rejected["reason"] and "ltc." not in rejected["reason"]
    assert rejected["care_form"] != "home_visit"
    assert dt.date.fromisoformat(rejected["date"]) == dt.date(2025, 3, 2)
