"""Caregiver and assessor pages: who sees what (institution staff only their own institution's
caregivers, a caregiver their own record), bad input named by field, and the draw page with its
replay."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.core.models import ActionLog, Organisation
from jingban.demo.world import CHEN_DOCUMENT
from jingban.workforce import services
from jingban.workforce.models import Caregiver, Draw, Qualification
from jingban.workforce.synth import staff_id

pytestmark = pytest.mark.django_db


def _other_suzhou_caregiver() -> Caregiver:
    kangning = Organisation.objects.get(code="SZ-CARE-KN")
    other = Organisation.objects.create(
        code="SZ-CARE-T2", name="另一护理院", kind="care_institution", region=kangning.region
    )
    return Caregiver.objects.create(
        name="别家护理员",
        document_number=staff_id("320506", 77, base=dt.date(1981, 1, 1)),
        phone="13800001111",
        employer=other,
    )


def test_institution_staff_see_only_their_own_caregivers(personas) -> None:
    other = _other_suzhou_caregiver()
    kangning = personas.client("kangning")
    assert kangning.get(f"/workforce/caregivers/{other.pk}/").status_code == 404
    assert kangning.get(f"/workforce/caregivers/{other.pk}/edit/").status_code == 404
    listing = kangning.get("/workforce/caregivers/").content.decode()
    assert "别家护理员" not in listing and "周护理" in listing
    # The bureau sees both; the caregiver only their own record.
    assert "别家护理员" in personas.client("wang").get("/workforce/caregivers/").content.decode()
    zhou = personas.client("zhou")
    own = Caregiver.objects.get(account=personas.user("zhou"))
    assert zhou.get(f"/workforce/caregivers/{own.pk}/").status_code == 200
    page = zhou.get("/workforce/caregivers/").content.decode()
    assert "周护理" in page and "吴秀兰" not in page
    assert zhou.get(f"/workforce/caregivers/{other.pk}/").status_code == 404


def test_the_detail_page_masks_the_document_and_phone(personas) -> None:
    own = Caregiver.objects.get(account=personas.user("zhou"))
    page = personas.client("wang").get(f"/workforce/caregivers/{own.pk}/").content.decode()
    assert own.document_number not in page and own.document_number[-4:] in page
    assert "139****4567" in page and own.phone not in page


def test_institution_staff_register_a_caregiver_and_bad_input_is_named_by_field(personas) -> None:
    client = personas.client("kangning")
    kangning = Organisation.objects.get(code="SZ-CARE-KN")
    number = staff_id("320506", 88, base=dt.date(1985, 5, 5))
    bad = {
        "name": "新护理员",
        "document_type": "resident_id",
        "document_number": number,
        "phone": "12345",
        "employer": kangning.pk,
        "status": "active",
        "training_hours": 120,
    }
    response = client.post("/workforce/caregivers/new/", bad)
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    assert not Caregiver.objects.filter(document_number=number).exists()
    response = client.post("/workforce/caregivers/new/", {**bad, "phone": "0512-66778899"})
    assert response.status_code == 302
    created = Caregiver.objects.get(document_number=number)
    assert created.employer == kangning and created.phone == "0512-66778899"
    assert ActionLog.objects.filter(
        action="workforce.caregiver.registered", object_id=str(created.pk)
    ).exists()
    # A certificate number of the wrong shape is named on its field; nothing is recorded.
    url = f"/workforce/caregivers/{created.pk}/qualifications/"
    data = {
        "kind": "elderly_care",
        "level": "5",
        "certificate_number": "ab",
        "issued_on": "2024-01-01",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "certificate_number" in response.context["form"].errors
    assert not Qualification.objects.filter(caregiver=created).exists()
    assert client.post(url, {**data, "certificate_number": "3205-2024-009999"}).status_code == 302
    assert Qualification.objects.get(caregiver=created).certificate_number == "3205-2024-009999"


def test_institution_staff_cannot_employ_a_caregiver_elsewhere(personas) -> None:
    other = _other_suzhou_caregiver().employer
    number = staff_id("320506", 89, base=dt.date(1985, 5, 5))
    with pytest.raises(services.ValidationFailed) as raised:
        services.save_caregiver(
            services.StaffInput(
                name="越权",
                document_type="resident_id",
                document_number=number,
                phone="13800002222",
                organisation_id=other.pk,
            ),
            acting_user=personas.user("kangning"),
        )
    assert "employer" in raised.value.fields


def test_the_demo_draw_leaves_out_the_tied_assessor_and_replays(personas) -> None:
    draw = Draw.objects.get(seed="jingban-demo-draw-1")
    excluded = {e["id"]: e["reasons"] for e in draw.excluded}
    tied = draw.excluded and [i for i, r in excluded.items() if "employed" in r]
    assert tied
    drawn = {i for ids in draw.result.values() for i in ids}
    assert not drawn & set(excluded)
    page = personas.client("zhao").post(f"/workforce/draws/{draw.pk}/replay/")
    assert page.status_code == 200
    assert page.context["replay"].matches
    assert "复核结果与记录的抽取一致" in page.content.decode()


def test_an_operator_draws_on_the_page(personas) -> None:
    client = personas.client("wang")
    kangning = Organisation.objects.get(code="SZ-CARE-KN")
    before = Draw.objects.count()
    response = client.post(
        "/workforce/draws/new/",
        {
            "applicant_document": CHEN_DOCUMENT,
            "care_institution": kangning.pk,
            "assessors": 2,
            "experts": 1,
        },
    )
    assert response.status_code == 302
    assert Draw.objects.count() == before + 1
    # Too many asked for: a clear error on the page, nothing stored.
    response = client.post(
        "/workforce/draws/new/",
        {
            "applicant_document": CHEN_DOCUMENT,
            "care_institution": kangning.pk,
            "assessors": 10,
            "experts": 10,
        },
    )
    assert response.status_code == 400
    assert Draw.objects.count() == before + 1
    assert response.context["form"].non_field_errors()


def test_the_caregiver_export_is_masked_and_filtered(personas) -> None:
    _other_suzhou_caregiver()
    response = personas.client("wang").get("/workforce/caregivers/export.csv?status=active")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    own = Caregiver.objects.get(account=personas.user("zhou"))
    assert "周护理" in text and "别家护理员" in text
    assert own.document_number not in text and own.document_number[-4:] in text
    assert own.phone not in text
    assert ActionLog.objects.filter(action="core.export.downloaded").exists()


def test_a_recusal_link_recorded_on_the_page_keeps_the_assessor_out(personas) -> None:
    from jingban.registry.models import Person
    from jingban.workforce.models import Assessor

    client = personas.client("wang")
    kangning = Organisation.objects.get(code="SZ-CARE-KN")
    gu = Assessor.objects.get(name="顾明")
    url = f"/workforce/assessors/{gu.pk}/links/"
    bad = {
        "organisation": kangning.pk,
        "kind": "contracted",
        "valid_from": "2025-01-01",
        "valid_until": "2024-01-01",
    }
    response = client.post(url, bad)
    assert response.status_code == 400 and "valid_until" in response.context["form"].errors
    assert client.post(url, {**bad, "valid_until": ""}).status_code == 302
    chen = Person.objects.get(account=personas.user("chen"))
    draw = services.draw_assessors(chen, kangning, acting_user=personas.user("wang"))
    reasons = {e["id"]: e["reasons"] for e in draw.excluded}
    assert reasons[gu.pk] == ["contracted"]
    assert gu.pk not in draw.pool["assessor"]


def test_the_full_number_needs_a_purpose_and_is_logged(personas) -> None:
    own = Caregiver.objects.get(account=personas.user("zhou"))
    url = f"/workforce/caregivers/{own.pk}/reveal/"
    client = personas.client("zhao")
    refused = client.post(url, {"purpose": ""})
    assert refused.status_code == 400 and own.document_number not in refused.content.decode()
    assert not ActionLog.objects.filter(action="workforce.document_revealed").exists()
    shown = client.post(url, {"purpose": "audit"})
    assert shown.status_code == 200 and own.document_number in shown.content.decode()
    entry = ActionLog.objects.get(action="workforce.document_revealed")
    assert entry.object_id == str(own.pk) and entry.actor == personas.user("zhao")
    # Institution staff see their caregiver masked and may not reveal.
    assert personas.client("kangning").post(url, {"purpose": "audit"}).status_code == 403
