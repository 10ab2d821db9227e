"""Chronic and special outpatient diseases (门诊慢特病): registration and its end as services with
the action log, the check settlement makes (``require_registration``), and the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.catalogue import services
from jingban.catalogue.chronic import ChronicNotRegistered, require_registration
from jingban.catalogue.models import ChronicDisease, ChronicRegistration
from jingban.core.errors import ValidationFailed
from jingban.core.models import ActionLog

DIABETES = "M01600"
HYPERTENSION = "M03900"


def _register(person, code=DIABETES, start=dt.date(2026, 1, 1), end=None, user=None):  # type: ignore[no-untyped-def]
    return services.register_chronic(
        services.RegistrationInput(
            person=person,
            disease=ChronicDisease.objects.get(code=code),
            valid_from=start,
            valid_to=end,
        ),
        acting_user=user,
    )


def test_the_disease_table_holds_the_common_diseases(personas) -> None:
    names = set(ChronicDisease.objects.values_list("name", flat=True))
    assert len(names) >= 20
    assert {"糖尿病", "恶性肿瘤门诊治疗", "尿毒症透析", "器官移植术后抗排异治疗"} <= names
    assert all(ChronicDisease.objects.values_list("sample", flat=True))


def test_the_demo_registers_chen_for_hypertension(personas) -> None:
    require_registration(personas.own_person.pk, HYPERTENSION, dt.date(2026, 3, 1))
    with pytest.raises(ChronicNotRegistered):
        require_registration(personas.own_person.pk, DIABETES, dt.date(2026, 3, 1))


def test_a_registration_covers_its_period_only(personas) -> None:
    person = personas.in_scope_person
    _register(
        person, start=dt.date(2026, 2, 1), end=dt.date(2026, 12, 31), user=personas.user("wang")
    )
    require_registration(person.pk, DIABETES, dt.date(2026, 2, 1))
    require_registration(person.pk, DIABETES, dt.date(2026, 12, 31))
    for day in (dt.date(2026, 1, 31), dt.date(2027, 1, 1)):
        with pytest.raises(ChronicNotRegistered) as caught:
            require_registration(person.pk, DIABETES, day)
        assert caught.value.code == "chronic.not_registered"
        assert list(caught.value.fields) == ["dise_codg"]
        assert "糖尿病" in str(caught.value.message)


def test_an_unknown_disease_code_is_refused_with_the_same_code(personas) -> None:
    with pytest.raises(ChronicNotRegistered) as caught:
        require_registration(personas.own_person.pk, "M99999", dt.date(2026, 3, 1))
    assert caught.value.code == "chronic.not_registered"
    assert "M99999" in str(caught.value.message)


def test_registration_is_logged_with_the_disease_encrypted(personas) -> None:
    wang = personas.user("wang")
    registration = _register(personas.in_scope_person, user=wang)
    row = ActionLog.objects.filter(action="catalogue.chronic.registered").latest("id")
    assert row.object_id == str(registration.pk)
    assert row.actor == wang
    assert row.region_path == personas.in_scope_person.region.path
    # The disease is health data: not in clear in the stored row.
    assert row.after["disease"] != DIABETES
    assert row.after["valid_from"] == "2026-01-01"


def test_ending_a_registration_keeps_the_days_before(personas) -> None:
    person = personas.in_scope_person
    registration = _register(person)
    services.end_chronic(
        registration, ended_on=dt.date(2026, 5, 31), reason="复审未通过", acting_user=None
    )
    registration.refresh_from_db()
    assert (registration.status, registration.valid_to) == ("ended", dt.date(2026, 5, 31))
    require_registration(person.pk, DIABETES, dt.date(2026, 5, 31))
    with pytest.raises(ChronicNotRegistered):
        require_registration(person.pk, DIABETES, dt.date(2026, 6, 1))
    row = ActionLog.objects.filter(action="catalogue.chronic.ended").latest("id")
    assert row.before["status"] == "active" and row.after["status"] == "ended"
    # Ended twice: refused.
    with pytest.raises(ValidationFailed) as caught:
        services.end_chronic(registration, reason="again", acting_user=None)
    assert "status" in caught.value.fields
    # A new registration after the end is allowed.
    _register(person, start=dt.date(2026, 6, 1))
    require_registration(person.pk, DIABETES, dt.date(2026, 7, 1))


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (dt.date(2026, 3, 1), dt.date(2026, 2, 1), "valid_to"),  # dates in the wrong order
        (dt.date(2026, 6, 1), None, "valid_from"),  # overlaps the registration in force
        (dt.date(2025, 1, 1), dt.date(2026, 1, 1), "valid_from"),  # overlaps its first day
    ],
)
def test_a_bad_period_is_refused_and_nothing_stored(personas, start, end, field: str) -> None:  # type: ignore[no-untyped-def]
    person = personas.in_scope_person
    _register(person)
    count = ChronicRegistration.objects.count()
    logged = ActionLog.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        _register(person, start=start, end=end)
    assert field in caught.value.fields
    assert ChronicRegistration.objects.count() == count
    assert ActionLog.objects.count() == logged


def test_a_period_after_death_is_refused(personas) -> None:
    person = personas.in_scope_person
    type(person).objects.filter(pk=person.pk).update(death_date=dt.date(2026, 1, 10))
    with pytest.raises(ValidationFailed) as caught:
        _register(person, start=dt.date(2026, 2, 1))
    assert "valid_from" in caught.value.fields


# Pages ---------------------------------------------------------------------------------------


def test_wang_registers_a_person_on_the_page(personas) -> None:
    person = personas.in_scope_person
    disease = ChronicDisease.objects.get(code="M07800")
    client = personas.client("wang")
    response = client.post(
        "/catalogue/chronic/new/",
        {
            "document_number": person.document_number,
            "disease": disease.pk,
            "valid_from": "2026-03-01",
            "hospital": "苏州市示例第一人民医院",
        },
    )
    assert response.status_code == 302
    registration = ChronicRegistration.objects.get(person=person, disease=disease)
    assert registration.registered_by == personas.user("wang")
    page = client.get(response["Location"]).content.decode()
    assert "尿毒症透析" in page and person.name in page
    assert person.document_number not in page  # masked
    listing = client.get("/catalogue/chronic/?disease=M07800").content.decode()
    assert person.name in listing


def test_a_person_outside_the_area_cannot_be_registered(personas) -> None:
    person = personas.out_of_scope_person
    response = personas.client("wang").post(
        "/catalogue/chronic/new/",
        {
            "document_number": person.document_number,
            "disease": ChronicDisease.objects.get(code=DIABETES).pk,
            "valid_from": "2026-03-01",
        },
    )
    assert response.status_code == 400
    assert not ChronicRegistration.objects.filter(person=person).exists()


def test_the_register_page_shows_a_wrong_period_beside_the_field(personas) -> None:
    response = personas.client("wang").post(
        "/catalogue/chronic/new/",
        {
            "document_number": personas.in_scope_person.document_number,
            "disease": ChronicDisease.objects.get(code=DIABETES).pk,
            "valid_from": "2026-03-01",
            "valid_to": "2026-02-01",
        },
    )
    assert response.status_code == 400
    assert "截止日期早于生效日期" in response.content.decode()
    assert not ChronicRegistration.objects.filter(person=personas.in_scope_person).exists()


def test_wang_ends_a_registration_after_confirming(personas) -> None:
    registration = _register(personas.in_scope_person)
    client = personas.client("wang")
    url = f"/catalogue/chronic/{registration.pk}/end/"
    assert client.get(url).status_code == 200
    registration.refresh_from_db()
    assert registration.status == "active"  # asking changes nothing
    response = client.post(url, {"ended_on": "2026-04-30", "reason": "病情好转"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.end_reason) == ("ended", "病情好转")


def test_chen_sees_her_own_registrations_only(personas) -> None:
    _register(personas.in_scope_person)  # a neighbour's: not hers
    page = personas.client("chen").get("/catalogue/chronic/mine/").content.decode()
    assert "高血压（合并并发症）" in page
    assert "糖尿病" not in page


def test_evidence_is_attached_to_a_registration_in_scope(personas, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jingban.files.models import StoredFile
    from tests.files.samples import PDF

    settings.FILES_DIR = tmp_path / "files"
    registration = _register(personas.in_scope_person)
    url = f"/files/attach/catalogue.chronic_registration/{registration.pk}/"
    back = f"/catalogue/chronic/{registration.pk}/"
    response = personas.client("wang").post(
        url, {"file": SimpleUploadedFile("鉴定表.pdf", PDF, "application/pdf"), "next": back}
    )
    assert response.status_code == 302, response.content
    stored = StoredFile.objects.get(
        object_type="catalogue.chronic_registration", object_id=str(registration.pk)
    )
    assert stored.region_path == personas.in_scope_person.region.path
    page = personas.client("sun").get(back).content.decode()
    assert "鉴定表.pdf" in page
    # A registration outside wang's region: as if it did not exist.
    other = _register(personas.out_of_scope_person)
    response = personas.client("wang").post(
        f"/files/attach/catalogue.chronic_registration/{other.pk}/",
        {"file": SimpleUploadedFile("x.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 404


def test_the_list_holds_only_registrations_in_scope(personas) -> None:
    inside = _register(personas.in_scope_person)
    outside = _register(personas.out_of_scope_person)
    for role in ("wang", "sun", "zhao", "qian"):
        page = personas.client(role).get("/catalogue/chronic/").content.decode()
        assert f"/catalogue/chronic/{inside.pk}/" in page, role
        assert f"/catalogue/chronic/{outside.pk}/" not in page, role
    page = personas.client("admin").get("/catalogue/chronic/").content.decode()
    assert f"/catalogue/chronic/{outside.pk}/" in page


def test_the_list_finds_a_person_by_name_or_number(personas) -> None:
    person = personas.in_scope_person
    registration = _register(person)
    client = personas.client("wang")
    link = f"/catalogue/chronic/{registration.pk}/"
    assert link in client.get("/catalogue/chronic/", {"q": person.document_number}).content.decode()
    assert link in client.get("/catalogue/chronic/", {"q": person.name[1:]}).content.decode()
    assert link not in client.get("/catalogue/chronic/", {"q": "不存在的人"}).content.decode()
