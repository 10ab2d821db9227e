"""The filing API: the same services as the pages, masked, with the decision of contract 5."""

from __future__ import annotations

from jingban.filing.models import Channel, Filing, Status
from tests.filing.helpers import file, pdf, person
from tests.personas import Personas


def test_an_operator_files_and_reads_a_filing(personas: Personas) -> None:
    client = personas.client("wang")
    neighbour = person("陆美芳")
    response = client.post(
        "/api/v1/filings",
        {
            "person_id": neighbour.pk,
            "kind": "referral",
            "destination": "310000",
            "paper_checked": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "in_effect" and body["channel"] == Channel.WINDOW
    assert (
        body["name_masked"] == "陆**" and neighbour.document_number not in response.content.decode()
    )
    assert body["insured_area"] == "320500" and body["destination_name"] == "上海市"
    detail = client.get(f"/api/v1/filings/{body['id']}").json()
    assert detail["number"] == body["number"]
    listed = client.get("/api/v1/filings?status=in_effect").json()
    assert body["id"] in {row["id"] for row in listed["results"]}


def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(personas: Personas) -> None:
    client = personas.client("wang")
    before = Filing.objects.count()
    response = client.post(
        "/api/v1/filings",
        {
            "person_id": person("陆美芳").pk,
            "kind": "other_temporary",
            "destination": "310000",
            "start": "2026-12-20",
            "end": "2026-12-10",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) >= {"end"}
    assert Filing.objects.count() == before


def test_chen_lists_only_her_filings_and_those_she_acts_for(personas: Personas) -> None:
    mine = file(personas.own_person, personas.user("chen"))
    other = file(person("顾建华"), personas.user("wang"))
    ids = {row["id"] for row in personas.client("chen").get("/api/v1/filings").json()["results"]}
    assert mine.pk in ids and other.pk not in ids
    assert personas.client("chen").get(f"/api/v1/filings/{other.pk}").status_code == 404


def test_approve_refuse_and_cancel(personas: Personas) -> None:
    client = personas.client("wang")
    neighbour = person("陆美芳")
    first = file(neighbour, personas.user("wang"), "referral", materials=[pdf()])
    second = file(neighbour, personas.user("wang"), "referral", materials=[pdf()])
    assert client.post(f"/api/v1/filings/{first.pk}/approve").json()["status"] == "in_effect"
    again = client.post(f"/api/v1/filings/{first.pk}/approve")
    assert again.status_code == 409 and again.json()["code"] == "filing.transition_refused"
    refused = client.post(
        f"/api/v1/filings/{second.pk}/refuse", {"reason": "不符"}, content_type="application/json"
    )
    assert refused.json()["status"] == Status.REFUSED
    cancelled = client.post(
        f"/api/v1/filings/{first.pk}/cancel", {"reason": "返回"}, content_type="application/json"
    )
    assert cancelled.json()["status"] == Status.CANCELLED


def test_the_decision_endpoint(personas: Personas) -> None:
    worker = person("顾建华")
    client = personas.client("sun")
    url = "/api/v1/filings/cross-region"
    body = client.get(
        url, {"person_id": worker.pk, "insured_area": "320500", "treatment_area": "320102"}
    ).json()
    assert body["rule"] == "filed_long_term" and body["filing_id"]
    body = client.get(
        url, {"person_id": worker.pk, "insured_area": "320500", "treatment_area": "440305"}
    ).json()
    assert body["rule"] == "unfiled" and body["filing_id"] is None
    bad = client.get(url, {"person_id": worker.pk, "insured_area": "3205", "treatment_area": "1"})
    assert bad.status_code == 400 and "insuplc_admdvs" in bad.json()["fields"]


def test_the_lists_filter_by_person(personas: Personas) -> None:
    from django.urls import reverse

    neighbour = person("陆美芳")
    mine = file(neighbour, personas.user("wang"))
    other = file(person("顾建华"), personas.user("wang"))
    client = personas.client("wang")
    ids = {
        row["id"]
        for row in client.get(f"/api/v1/filings?person_id={neighbour.pk}").json()["results"]
    }
    assert mine.pk in ids and other.pk not in ids
    page = client.get(reverse("filing:list") + f"?person={neighbour.pk}").content.decode()
    assert mine.number in page and other.number not in page
