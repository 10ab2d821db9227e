"""Personal data in the action log: encrypted in the database, shown in clear to a viewer with
the reveal capability, masked for others, erased with its key (ADR 0007)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.urls import reverse

from jingban.core.actionlog import personal, seal_pending, verify
from jingban.core.actionlog.display import mask, mask_free_text
from jingban.core.actionlog.personal import Unreadable, decrypted
from jingban.core.models import ActionLog
from jingban.demo import resident_id
from jingban.registry import services
from jingban.registry.models import Person
from tests.personas import Personas

NUMBER = resident_id("320582", dt.date(1990, 3, 7), 8, male=False)
MASKED_NUMBER = NUMBER[:6] + "********" + NUMBER[-4:]
NAME, NEW_NAME = "欧阳春花", "欧阳秋月"
PHONE, NEW_PHONE = "13912345678", "13987654321"
ADDRESS = "张家港市人民路88号"
BIRTH = "1990-03-07"
CLEAR = [NUMBER, MASKED_NUMBER, NAME, NEW_NAME, PHONE, NEW_PHONE, "人民路", BIRTH]
NEW_KEY = "a-new-personal-data-key-of-at-least-32-characters"


def _input(**changes: object) -> services.PersonInput:
    data: dict[str, object] = {
        "document_type": "resident_id",
        "document_number": NUMBER,
        "name": NAME,
        "region_code": "320582100",
        "phone": PHONE,
        "address": ADDRESS,
    }
    data.update(changes)
    return services.PersonInput(**data)  # type: ignore[arg-type]


def _register_and_update(personas: Personas) -> Person:
    wang = personas.user("wang")
    person = services.register_person(_input(), acting_user=wang)
    return services.update_person(
        person,
        _input(name=NEW_NAME, phone=NEW_PHONE),
        acting_user=wang,
        reason=f"本人来电，新号码 {NEW_PHONE}",
    )


def _raw_rows(person: Person) -> list[str]:
    """The rows as the database holds them, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(before::text, '') || ' ' || coalesce(after::text, '') || ' ' || reason"
            " FROM core_actionlog WHERE object_type = 'registry.person' AND object_id = %s",
            [str(person.pk)],
        )
        return [text for (text,) in cursor.fetchall()]


def _page(personas: Personas, username: str) -> str:
    client = personas.client(username, language="en")
    response = client.get(reverse("core:action_log"), {"object_type": "registry.person"})
    assert response.status_code == 200
    return response.content.decode()


def test_registry_rows_hold_no_personal_data_in_clear(personas: Personas) -> None:
    person = _register_and_update(personas)

    rows = _raw_rows(person)
    assert len(rows) == 2
    for text in rows:
        assert "pii:v1:" in text
        for value in CLEAR:
            assert value not in text, value
    # Fields that are not personal stay readable, and the tokens open with the key.
    registered = ActionLog.objects.get(action="registry.person.registered", object_id=person.pk)
    assert registered.after is not None and registered.after["sex"] == "F"
    opened = decrypted(registered)
    assert opened.after is not None
    assert (opened.after["name"], opened.after["phone"], opened.after["birth_date"]) == (
        NAME,
        PHONE,
        BIRTH,
    )
    updated = decrypted(ActionLog.objects.get(action="registry.person.updated"))
    assert updated.before == {"name": NAME, "phone": PHONE}
    assert updated.after == {"name": NEW_NAME, "phone": NEW_PHONE}
    assert updated.reason == f"本人来电，新号码 {NEW_PHONE}"
    seal_pending()
    assert verify().ok


def test_an_auditor_with_reveal_sees_values_in_clear_and_it_is_logged(
    personas: Personas,
) -> None:
    person = _register_and_update(personas)
    page = _page(personas, "zhao")

    for value in (NAME, NEW_NAME, PHONE, NEW_PHONE, ADDRESS, BIRTH, f"新号码 {NEW_PHONE}"):
        assert value in page, value
    shown = ActionLog.objects.get(action="core.action_log.personal_data_shown")
    ids = set(
        ActionLog.objects.filter(
            object_id=str(person.pk), object_type="registry.person"
        ).values_list("id", flat=True)
    )
    assert shown.actor == personas.user("zhao")
    assert shown.after is not None and ids <= set(shown.after["entries"])


def test_a_supervisor_without_reveal_sees_them_masked_and_no_birth_date(
    personas: Personas,
) -> None:
    _register_and_update(personas)
    page = _page(personas, "qian")

    for value in (NAME, NEW_NAME, PHONE, NEW_PHONE, ADDRESS, BIRTH, NUMBER, "1990"):
        assert value not in page, value
    for value in ("欧***", "139****5678", "139****4321", "张家港市人民****", "hidden"):
        assert value in page, value
    assert "新号码 *********21" in page  # the number in the reason is masked too
    assert not ActionLog.objects.filter(action="core.action_log.personal_data_shown").exists()


def test_the_home_panel_masks_for_everyone(personas: Personas) -> None:
    _register_and_update(personas)
    client = personas.client("zhao", language="en")
    page = client.get(reverse("core:home")).content.decode()
    panel = page[page.index('aria-labelledby="home-actions"') :]
    panel = panel[: panel.index("</section>")]

    assert "本人来电" in panel  # the reason, masked
    assert NEW_PHONE not in panel and NEW_NAME not in panel
    assert not ActionLog.objects.filter(action="core.action_log.personal_data_shown").exists()


def test_without_the_key_the_values_are_erased_and_the_chain_still_verifies(
    personas: Personas, settings: object
) -> None:
    person = _register_and_update(personas)
    seal_pending()
    settings.PII_KEY, settings.PII_OLD_KEYS = NEW_KEY, []  # type: ignore[attr-defined]

    page = _page(personas, "zhao")

    assert "erased" in page
    # What the log held is gone. Each entry still names its person as the registry holds them
    # today (the current name, the masked number): that comes from the record, not the log.
    for value in set(CLEAR) - {NEW_NAME, MASKED_NUMBER}:
        assert value not in page, value
    with pytest.raises(Unreadable):
        decrypted(ActionLog.objects.get(action="registry.person.registered", object_id=person.pk))
    assert verify().ok


def test_rotation_keeps_old_rows_readable_while_the_old_key_is_kept(
    personas: Personas, settings: object
) -> None:
    wang = personas.user("wang")
    person = services.register_person(_input(), acting_user=wang)
    old_key, old_id = settings.PII_KEY, personal.current_key_id()  # type: ignore[attr-defined]
    settings.PII_KEY, settings.PII_OLD_KEYS = NEW_KEY, [old_key]  # type: ignore[attr-defined]
    services.update_person(person, _input(phone=NEW_PHONE), acting_user=wang)

    mine = ActionLog.objects.filter(object_type="registry.person", object_id=str(person.pk))
    registered = mine.get(action="registry.person.registered")
    updated = mine.get(action="registry.person.updated")
    assert registered.after is not None and updated.after is not None
    assert personal.token_key_id(registered.after["phone"]) == old_id
    assert personal.token_key_id(updated.after["phone"]) == personal.current_key_id() != old_id
    assert decrypted(registered).after["phone"] == PHONE  # type: ignore[index]
    assert decrypted(updated).after["phone"] == NEW_PHONE  # type: ignore[index]

    # Destroying the old key erases what it encrypted, and only that.
    settings.PII_OLD_KEYS = []  # type: ignore[attr-defined]
    with pytest.raises(Unreadable):
        decrypted(registered)
    assert decrypted(updated).after["phone"] == NEW_PHONE  # type: ignore[index]
    seal_pending()
    assert verify().ok


@pytest.mark.django_db
def test_a_token_moved_to_another_field_does_not_open() -> None:
    token = personal.encrypt("phone", PHONE)
    assert personal.decrypt("phone", token) == PHONE
    with pytest.raises(Unreadable):
        personal.decrypt("name", token)
    with pytest.raises(Unreadable):
        personal.decrypt("phone", token[:-4] + "AAAA")


def test_the_masks() -> None:
    assert mask("name", "张三") == "张*"
    assert mask("name", "欧阳春花") == "欧***"
    assert mask("document", NUMBER) == MASKED_NUMBER
    assert mask("document", "E12345678") == "E1*****78"
    assert mask("phone", PHONE) == "139****5678"
    assert mask("phone", "0512-66668888") == "0512-******88"
    assert mask("address", ADDRESS) == "张家港市人民****"
    assert mask("text", f"委托书 {PHONE}") == "委托书 *********78"
    assert "1990" not in mask("date", BIRTH)
    assert mask_free_text(f"号码 {NUMBER} 与 {PHONE}") == "号码 ****************68 与 *********78"


@pytest.mark.django_db
def test_the_registry_declares_its_personal_fields() -> None:
    fields = personal.personal_fields()
    assert set(fields["registry.person"]) >= {
        "name",
        "document_number",
        "phone",
        "address",
        "birth_date",
    }
    assert fields["registry.household"] == {"address": "address"}


def _settings_error(**env: str) -> str:
    """Import the settings in a fresh interpreter with ``env``; the error it stops with, if any."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("JINGBAN_PII")}
    base.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", "import jingban.settings"],
        env={**base, "JINGBAN_DEBUG": "false", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stderr


def test_a_deployment_refuses_to_start_without_a_personal_data_key() -> None:
    deployment = {
        "DATABASE_URL": "postgresql://jingban@db.example/jingban",
        "JINGBAN_SECRET_KEY": "s" * 50,
    }
    assert "JINGBAN_PII_KEY must be set" in _settings_error(**deployment)
    assert "at least 32 characters" in _settings_error(**deployment, JINGBAN_PII_KEY="short")
    assert _settings_error(**deployment, JINGBAN_PII_KEY="k" * 32) == ""
    assert _settings_error() == ""  # development derives one
