"""Registering, editing and revealing a person: what is stored, what is logged, what history
the database keeps."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.core.actionlog import verify
from jingban.core.actionlog.personal import decrypted
from jingban.core.errors import Forbidden
from jingban.core.models import ActionLog
from jingban.demo.world import build_world, resident_id
from jingban.registry import queries, services
from jingban.registry.models import Person
from tests.personas import Personas

NUMBER = resident_id("320582", dt.date(1990, 3, 7), 8, male=False)


def _input(**changes: object) -> services.PersonInput:
    data: dict[str, object] = {
        "document_type": "resident_id",
        "document_number": NUMBER,
        "name": "  李  小红 ",
        "region_code": "320582100",
        "phone": "139-1234-5678",
    }
    data.update(changes)
    return services.PersonInput(**data)  # type: ignore[arg-type]


def test_register_derives_and_normalises_and_logs(personas: Personas) -> None:
    wang = personas.user("wang")
    person = services.register_person(_input(), acting_user=wang)
    person.refresh_from_db()
    assert (person.name, person.sex, person.birth_date, person.phone) == (
        "李 小红",
        "F",
        dt.date(1990, 3, 7),
        "13912345678",
    )
    entry = ActionLog.objects.get(action="registry.person.registered", object_id=str(person.pk))
    assert entry.actor == wang
    assert entry.region_path == person.region.path
    # The log keeps the document masked; the full number lives only in the person row.
    assert decrypted(entry).after["document_number"] == NUMBER[:6] + "********" + NUMBER[-4:]
    assert Person.pgh_event_model.objects.filter(pgh_obj_id=person.pk).count() == 1  # type: ignore[attr-defined]


def test_update_logs_only_what_changed_with_reason(personas: Personas) -> None:
    wang = personas.user("wang")
    person = personas.in_scope_person
    data = _input(
        document_number=person.document_number,
        name=person.name,
        region_code=person.region.code,
        phone="0512-66668888",
    )
    services.update_person(person, data, acting_user=wang, reason="本人来电变更")
    entry = ActionLog.objects.get(action="registry.person.updated", object_id=str(person.pk))
    assert decrypted(entry).after["phone"] == "0512-66668888"
    assert "name" not in entry.after and decrypted(entry).reason == "本人来电变更"
    history = Person.pgh_event_model.objects.filter(pgh_obj_id=person.pk)  # type: ignore[attr-defined]
    assert history.filter(pgh_label="update", phone="0512-66668888").count() == 1


def test_dead_person_keeps_date_of_death(personas: Personas) -> None:
    person = personas.in_scope_person
    data = _input(
        document_number=person.document_number,
        name=person.name,
        region_code=person.region.code,
        death_date=dt.date(2026, 1, 5),
    )
    services.update_person(person, data, acting_user=personas.user("wang"))
    person.refresh_from_db()
    assert person.death_date == dt.date(2026, 1, 5)


def test_reveal_needs_the_capability_and_is_logged(personas: Personas) -> None:
    person = personas.in_scope_person
    with pytest.raises(Forbidden):
        services.reveal_document(person, acting_user=personas.user("li"), purpose="audit")
    assert not ActionLog.objects.filter(action="registry.person.document_revealed").exists()
    number = services.reveal_document(
        person, acting_user=personas.user("sun"), purpose="other", note="核对 档案"
    )
    assert number == person.document_number
    entry = ActionLog.objects.get(action="registry.person.document_revealed")
    assert (entry.actor, decrypted(entry).reason) == (personas.user("sun"), "其他: 核对 档案")
    assert decrypted(entry).after == {"purpose": "other"}


def test_roles_without_the_capability_cannot_register(personas: Personas) -> None:
    before = Person.objects.count()
    for role in ("sun", "li", "zhao", "kangning", "zhou", "chen", "qian"):
        with pytest.raises(Forbidden):
            services.register_person(_input(), acting_user=personas.user(role))
    assert Person.objects.count() == before


def test_enrollment_is_per_scheme_and_year_and_scoped_by_scheme(personas: Personas) -> None:
    person = personas.in_scope_person
    admin = personas.user("admin")
    services.set_enrollment(
        person,
        scheme_code="ltc",
        year=2027,
        status="suspended",
        since=dt.date(2027, 3, 1),
        acting_user=admin,
    )
    services.set_enrollment(
        person,
        scheme_code="ltc",
        year=2027,
        status="active",
        since=dt.date(2027, 4, 1),
        acting_user=admin,
    )
    rows = person.enrollments.filter(scheme__code="ltc", year=2027)
    assert [(r.status, r.since) for r in rows] == [("active", dt.date(2027, 4, 1))]
    # The LTC assessor works on LTC only: other schemes' rows are not shown to them.
    seen = {e.scheme.code for e in queries.enrollments_for(personas.user("li"), person)}
    assert seen == {"ltc"}
    assert "resident_medical" in {
        e.scheme.code for e in queries.enrollments_for(personas.user("wang"), person)
    }


def test_search_by_name_and_by_document_tail(personas: Personas) -> None:
    wang = personas.user("wang")
    person = personas.in_scope_person
    assert person in queries.search_persons(wang, person.name)
    assert person in queries.search_persons(wang, person.document_number[-6:])
    assert not queries.search_persons(wang, personas.out_of_scope_person.document_number).exists()


@pytest.mark.django_db(transaction=True)
def test_demo_twice_reuses_what_exists(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    first = build_world(persons=30, seed=3, var_dir=None)
    counts = (Person.objects.count(), ActionLog.objects.count())
    second = build_world(persons=30, seed=3, var_dir=None)
    assert (Person.objects.count(), ActionLog.objects.count()) == counts
    assert [p.pk for p in first.persons] == [p.pk for p in second.persons]
    assert verify().ok


def test_reveal_without_javascript_shows_the_page(personas: Personas) -> None:
    person = personas.in_scope_person
    purpose = {"purpose": "case_handling"}
    page = personas.client("wang").post(f"/persons/{person.pk}/reveal/", purpose)
    assert page.status_code == 200
    html = page.content.decode()
    assert person.document_number in html and "<h1>" in html
    # Once revealed, the page does not offer the reveal again.
    assert f'action="/persons/{person.pk}/reveal/"' not in html
    fragment = personas.client("wang").post(
        f"/persons/{person.pk}/reveal/", purpose, HTTP_HX_REQUEST="true"
    )
    text = fragment.content.decode()
    assert text.strip().startswith('<div id="document-reveal"')
    assert person.document_number in text and "<form" not in text and "<button" not in text
    assert f"{person.birth_date:%Y-%m-%d}" in text
    assert ActionLog.objects.filter(action="registry.person.document_revealed").count() == 2
