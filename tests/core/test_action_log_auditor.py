"""The action log as an auditor's tool: entries as sentences in both languages, an entry's own
page with its changes by field (masked unless the viewer may reveal, a reveal logged), filters
that each narrow the list, a person found by a posted term and kept in the address only as an id,
the filtered list exported (and logged), and a person's history on their page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jingban.core.actionlog import log_action, seal_pending
from jingban.core.models import ActionLog
from jingban.core.plugins import object_types
from jingban.demo import resident_id
from jingban.registry import services
from jingban.registry.models import Person
from jingban.registry.services.probes import LOOKUPS_PER_MINUTE
from tests.personas import Personas

NUMBER = resident_id("320505", dt.date(1985, 6, 9), 31, male=True)
MASKED = NUMBER[:6] + "********" + NUMBER[-4:]
NAME, NEW_NAME = "司马长风", "司马长云"
PHONE, NEW_PHONE = "13811112222", "13833334444"
OTHER_NUMBER = resident_id("320505", dt.date(1979, 2, 3), 57, male=False)
OTHER_NAME = "诸葛晴川"


def _input(number: str = NUMBER, name: str = NAME, **changes: object) -> services.PersonInput:
    data: dict[str, object] = {
        "document_type": "resident_id",
        "document_number": number,
        "name": name,
        "region_code": "320505",
        "phone": PHONE,
        "address": "苏州市高新区长江路1号",
    }
    data.update(changes)
    return services.PersonInput(**data)  # type: ignore[arg-type]


@pytest.fixture
def people(personas: Personas) -> tuple[Person, Person]:
    """Two persons registered by wang; the first then renamed with a new phone, with a reason."""
    wang = personas.user("wang")
    person = services.register_person(_input(), acting_user=wang)
    person = services.update_person(
        person, _input(name=NEW_NAME, phone=NEW_PHONE), acting_user=wang, reason="本人申请更名"
    )
    other = services.register_person(
        _input(OTHER_NUMBER, OTHER_NAME, phone="13855556666"), acting_user=wang
    )
    return person, other


def _entry(person: Person, action: str) -> ActionLog:
    return ActionLog.objects.get(action=action, object_type="registry.person", object_id=person.pk)


def _rows(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


def _list(personas: Personas, username: str, language: str = "zh-hans", **filters: str) -> str:
    client = personas.client(username, language=language)
    response = client.get(reverse("core:action_log"), filters)
    assert response.status_code == 200, response.content.decode()[:2000]
    return _rows(response.content.decode())


# Sentences.


def test_entries_read_as_sentences_in_chinese(personas: Personas, people) -> None:
    person, _other = people
    updated = _entry(person, "registry.person.updated")
    rows = _list(personas, "zhao", object_type="registry.person")

    url = reverse("registry:person_detail", args=[person.pk])
    assert f'王经办修改了参保人信息：<a href="{url}">参保人 {NEW_NAME}（{MASKED}）</a>' in rows
    assert "王经办登记了参保人：" in rows
    assert f'href="{reverse("core:action_entry", args=[updated.pk])}"' in rows
    assert "registry.person" not in rows and "registry." not in rows
    # Changes by field label, not by key.
    assert f"姓名: {NAME} → {NEW_NAME}" in rows


def test_entries_read_as_sentences_in_english(personas: Personas, people) -> None:
    _person, _other = people
    rows = _list(personas, "zhao", language="en", object_type="registry.person")

    assert "王经办 changed an insured person&#x27;s record: <a href=" in rows
    assert f"insured person {NEW_NAME}（{MASKED}）</a>" in rows
    assert f"Name: {NAME} → {NEW_NAME}" in rows


def test_an_agent_entry_says_on_whose_behalf(personas: Personas) -> None:
    from tests.core.test_authorization_matrix import acting_person

    pk = acting_person(personas, True)
    services.agent_update_contact(personas.user("chen"), pk, phone="13900001111", address=None)
    person = Person.objects.get(pk=pk)
    rows = _list(personas, "qian", action="registry.person.contact_updated")
    masked_name = person.name[0] + "*" * (len(person.name) - 1)

    assert "修改了人员的电话或地址" in rows
    assert f"（代{masked_name}（" in rows  # qian may not reveal: the name is masked
    assert person.name not in rows
    en = _list(personas, "zhao", language="en", action="registry.person.contact_updated")
    assert f"(on behalf of {person.name}（" in en


def test_other_kinds_of_entries_name_their_object(personas: Personas, people) -> None:
    client = personas.client("zhao")
    assert client.get(reverse("registry:person_export_csv")).status_code == 200
    rows = _list(personas, "zhao", action="core.export.downloaded")
    assert "赵稽核下载了列表：参保人列表" in rows
    en = _list(personas, "zhao", language="en", action="core.export.downloaded")
    assert "downloaded a list: list of insured person" in en


def test_every_object_type_in_the_log_has_a_label(personas: Personas, people) -> None:
    """The demo world and the fixtures write entries about many kinds of objects; each kind is
    declared by its app, so no page shows a code."""
    declared = object_types()
    used = set(ActionLog.objects.values_list("object_type", flat=True)) - {""}
    assert used and used <= set(declared), used - set(declared)
    for code in used:
        assert str(declared[code].label) != code


# The entry's page.


def test_a_revealer_sees_an_entry_in_clear_and_it_is_logged(personas: Personas, people) -> None:
    person, _other = people
    updated = _entry(person, "registry.person.updated")
    page = personas.client("zhao").get(reverse("core:action_entry", args=[updated.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    for value in (NAME, NEW_NAME, PHONE, NEW_PHONE, "本人申请更名"):
        assert value in text, value
    assert '<th scope="row">姓名</th>' in text and '<th scope="row">联系电话</th>' in text
    shown = ActionLog.objects.filter(action="core.action_log.personal_data_shown").last()
    assert shown is not None and shown.actor == personas.user("zhao")
    assert shown.after == {"entries": [updated.pk]}


def test_a_viewer_who_may_not_reveal_sees_the_entry_masked(personas: Personas, people) -> None:
    person, _other = people
    updated = _entry(person, "registry.person.updated")
    text = personas.client("qian").get(reverse("core:action_entry", args=[updated.pk]))
    page = text.content.decode()

    for value in (NAME, NEW_NAME, PHONE, NEW_PHONE, NUMBER):
        assert value not in page, value
    assert "司***" in page and "138****2222" in page and "138****4444" in page
    assert "本人申请更名" in page  # a reason without numbers reads as written
    assert not ActionLog.objects.filter(action="core.action_log.personal_data_shown").exists()


def test_the_entry_page_gives_its_seal(personas: Personas, people) -> None:
    person, _other = people
    registered = _entry(person, "registry.person.registered")
    client = personas.client("zhao")
    url = reverse("core:action_entry", args=[registered.pk])
    assert "已写入，等待封存" in client.get(url).content.decode()
    seal_pending()
    registered.refresh_from_db()
    page = client.get(url).content.decode()
    assert "已封存进链，封印核对无误" in page
    assert f"链上第 {registered.seq} 条" in page


def test_an_entry_outside_the_scope_is_not_found(personas: Personas) -> None:
    outside = personas.out_of_scope_person
    with transaction.atomic():
        entry = log_action(
            acting_user=personas.user("admin"),
            action="test.outside",
            object_type="registry.person",
            object_id=outside.pk,
            region_path=outside.region.path,
        )
    assert (
        personas.client("zhao").get(reverse("core:action_entry", args=[entry.pk])).status_code
        == 404
    )
    assert (
        personas.client("admin").get(reverse("core:action_entry", args=[entry.pk])).status_code
        == 200
    )


# Filters: each one narrows the list, so a filter that is ignored fails its test.


def test_the_time_range_filter(personas: Personas, people) -> None:
    _person, other = people
    old = _entry(other, "registry.person.registered")
    # An unsealed row may still be changed (the trigger guards sealed ones): date it back.
    ActionLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    today = timezone.localdate()
    recent = _list(personas, "zhao", date_from=(today - dt.timedelta(days=1)).isoformat())
    assert f"{OTHER_NAME}（" not in recent and f"{NEW_NAME}（" in recent
    back = (today - dt.timedelta(days=40)).isoformat()
    earlier = _list(personas, "zhao", date_from=back, date_to=back)
    assert f"{OTHER_NAME}（" in earlier and f"{NEW_NAME}（" not in earlier


def test_the_actor_filter(personas: Personas, people) -> None:
    person, _other = people
    services.update_person(
        person, _input(name=NEW_NAME, phone="13877778888"), acting_user=personas.user("admin")
    )
    persons = {"object_type": "registry.person"}
    by_admin = _list(personas, "zhao", actor=str(personas.user("admin").pk), **persons)
    assert "系统管理员修改了参保人信息" in by_admin and "王经办" not in by_admin
    by_wang = _list(personas, "zhao", actor=str(personas.user("wang").pk), **persons)
    assert "王经办" in by_wang and "系统管理员" not in by_wang


def test_the_object_type_and_action_filters(personas: Personas, people) -> None:
    client = personas.client("zhao")
    assert client.get(reverse("registry:person_export_csv")).status_code == 200
    persons = _list(personas, "zhao", object_type="registry.person")
    assert "登记了参保人" in persons and "下载了列表" not in persons
    downloads = _list(personas, "zhao", object_type="core.export")
    assert "下载了列表" in downloads and "登记了参保人" not in downloads
    renamed = _list(personas, "zhao", action="registry.person.updated")
    assert "修改了参保人信息" in renamed and "登记了参保人" not in renamed


def _search(personas: Personas, username: str, term: str, **query: str):
    client = personas.client(username)
    url = reverse("core:action_log")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client, client.post(url, {"term": term})


def test_a_person_found_by_number_filters_the_list_by_id(personas: Personas, people) -> None:
    person, _other = people
    client, response = _search(personas, "zhao", NUMBER, object_type="registry.person")

    assert response.status_code == 303
    location = response["Location"]
    assert NUMBER not in location and NUMBER[-6:] not in location and NAME not in location
    assert parse_qs(urlparse(location).query) == {
        "object_type": ["registry.person"],
        "subject": [f"registry.person:{person.pk}"],
    }
    page = client.get(location).content.decode()
    rows = _rows(page)
    assert f"{NEW_NAME}（" in rows and OTHER_NAME not in rows
    # The filter shows whom it is about, and no link of the page carries the number or name.
    assert f"<strong>{NEW_NAME}（{MASKED}）</strong>" in page
    for link in (reverse("core:action_log_export_csv"), "?page="):
        for line in page.splitlines():
            if link in line:
                assert NUMBER not in line and NEW_NAME not in line.split("href")[1]


def test_a_person_found_by_name_filters_the_list(personas: Personas, people) -> None:
    _person, _other = people
    client, response = _search(personas, "zhao", OTHER_NAME)
    assert response.status_code == 303
    assert OTHER_NAME not in response["Location"]
    assert "诸葛" not in response["Location"]
    rows = _rows(client.get(response["Location"]).content.decode())
    assert f"{OTHER_NAME}（" in rows and f"{NEW_NAME}（" not in rows


def test_several_matches_are_offered_as_links_with_ids(personas: Personas, people) -> None:
    _client, response = _search(personas, "zhao", "司马")  # NEW_NAME only: one match
    assert response.status_code == 303
    services.register_person(
        _input(resident_id("320505", dt.date(1990, 1, 1), 13, male=True), "司马长空"),
        acting_user=personas.user("wang"),
    )
    _client, response = _search(personas, "zhao", "司马")
    page = response.content.decode()
    assert response.status_code == 200
    choices = page[page.index('id="matches-title"') :]
    choices = choices[: choices.index("</section>")]
    assert choices.count("subject=registry.person%3A") == 2
    assert "司马长空（" in choices and f"{NEW_NAME}（" in choices


def test_a_number_search_without_reveal_is_logged_and_limited(personas: Personas, people) -> None:
    person, _other = people
    _client, response = _search(personas, "qian", NUMBER)
    assert response.status_code == 303
    lookup = ActionLog.objects.get(action="registry.person.looked_up")
    assert lookup.actor == personas.user("qian") and lookup.object_id == str(person.pk)
    for _n in range(LOOKUPS_PER_MINUTE - 1):
        _search(personas, "qian", NUMBER)
    _client, refused = _search(personas, "qian", NUMBER)
    assert refused.status_code == 429
    assert "请稍等一分钟" in refused.content.decode() or "过于频繁" in refused.content.decode()
    assert ActionLog.objects.filter(action="registry.person.looked_up").count() == (
        LOOKUPS_PER_MINUTE
    )


def test_a_search_that_finds_nobody_says_so(personas: Personas, people) -> None:
    _client, response = _search(personas, "zhao", "查无此人")
    assert response.status_code == 404
    assert "辖区内没有与此相符的人员" in response.content.decode()


@pytest.mark.parametrize("term", ["王" * 10_000, "张\x00三", "   "])
def test_a_bad_search_gets_a_message_not_an_error(personas: Personas, term: str) -> None:
    _client, response = _search(personas, "zhao", term)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_term_errors"' in page


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to"),
        ({"actor": "abc"}, "actor"),
        ({"object_type": "no.such"}, "object_type"),
        ({"action": "no.such.code"}, "action"),
        ({"subject": "registry.person:abc"}, "subject"),
    ],
)
def test_bad_filters_name_their_field(personas: Personas, filters: dict, field: str) -> None:
    response = personas.client("zhao").get(reverse("core:action_log"), filters)
    assert response.status_code == 400
    assert f'id="id_{field}_errors"' in response.content.decode()


def test_a_person_outside_the_scope_cannot_be_the_filter(personas: Personas) -> None:
    outside = personas.out_of_scope_person
    response = personas.client("zhao").get(
        reverse("core:action_log"), {"subject": f"registry.person:{outside.pk}"}
    )
    assert response.status_code == 400
    assert outside.name not in response.content.decode()
    assert "此人员不在您的辖区内" in response.content.decode()


# Export.


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_filtered_list_exports_and_the_export_is_logged(personas: Personas, people) -> None:
    person, _other = people
    client = personas.client("zhao")
    subject = f"registry.person:{person.pk}"
    response = client.get(
        reverse("core:action_log_export_csv"),
        {"subject": subject, "object_type": "registry.person"},
    )
    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0] == ["条目编号", "时间", "操作人", "操作", "对象类型", "经过", "链上位置"]
    sentences = [row[5] for row in rows[1:]]
    assert len(sentences) == 2  # registered and renamed; not the other person
    # Names masked as for a viewer who may not reveal: a file's showing is not a logged reveal.
    assert all(f"司***（{MASKED}）" in s for s in sentences)
    assert not any(NEW_NAME in s for s in sentences)
    assert not any(OTHER_NAME in s for s in sentences)
    body = "\n".join(",".join(row) for row in rows)
    for value in (NAME, PHONE, NEW_PHONE, "本人申请更名", NUMBER):
        assert value not in body, value  # no changed value, no reason
    logged = ActionLog.objects.filter(action="core.export.downloaded").last()
    assert logged is not None and logged.actor == personas.user("zhao")
    assert logged.after == {
        "list": "core.action_log",
        "format": "csv",
        "filters": {"subject": subject, "object_type": "registry.person"},
        "rows": 2,
    }


def test_the_export_as_xlsx_is_logged_too(personas: Personas, people) -> None:
    response = personas.client("qian").get(
        reverse("core:action_log_export_xlsx"), {"action": "registry.person.registered"}
    )
    assert response.status_code == 200
    logged = ActionLog.objects.filter(action="core.export.downloaded").last()
    assert logged is not None and logged.after is not None
    assert logged.after["format"] == "xlsx"
    assert logged.after["filters"] == {"action": "registry.person.registered"}
    from jingban.core.queries import action_log_for

    registered = action_log_for(personas.user("qian")).filter(action="registry.person.registered")
    assert logged.after["rows"] == registered.count() > 2


def test_an_export_with_bad_filters_is_refused(personas: Personas) -> None:
    response = personas.client("zhao").get(
        reverse("core:action_log_export_csv"), {"date_from": "x"}
    )
    assert response.status_code == 400
    assert not ActionLog.objects.filter(action="core.export.downloaded").exists()


# A person's history on their page.


def test_a_persons_page_shows_their_history(personas: Personas, people) -> None:
    person, _other = people
    from tests.core.test_authorization_matrix import _grant

    _grant(personas, person.pk, personas.user("chen"))
    url = reverse("registry:person_detail", args=[person.pk])
    wang = personas.client("wang").get(url).content.decode()
    history = wang[wang.index('id="person-history"') :]
    history = history[: history.index("</section>")]
    assert "王经办修改了参保人信息" in history and "登记了参保人" in history
    assert "登记了代办人或监护人" in history  # the authorisation is part of the person's story
    assert PHONE not in history and NEW_PHONE not in history  # masked here for everyone
    assert "138****4444" in history
    assert "core:action_entry" not in history and "/action-log/" not in history  # wang: no log
    zhao = personas.client("zhao").get(url).content.decode()
    assert f"/action-log/?subject=registry.person%3A{person.pk}" in zhao
    assert not ActionLog.objects.filter(action="core.action_log.personal_data_shown").exists()


def test_a_person_history_is_not_shown_to_roles_without_it(personas: Personas, people) -> None:
    person, _other = people
    page = personas.client("li").get(reverse("registry:person_detail", args=[person.pk]))
    assert page.status_code == 200
    assert 'id="person-history"' not in page.content.decode()


def test_the_history_includes_acts_on_the_persons_behalf(personas: Personas) -> None:
    from tests.core.test_authorization_matrix import acting_person

    pk = acting_person(personas, True)
    services.agent_update_contact(personas.user("chen"), pk, phone="13900002222", address=None)
    page = personas.client("zhao").get(
        reverse("core:action_log"), {"subject": f"registry.person:{pk}"}
    )
    rows = _rows(page.content.decode())
    assert "修改了人员的电话或地址" in rows and "（代" in rows


def test_the_actor_select_lists_staff_not_insured_accounts(personas: Personas) -> None:
    page = personas.client("zhao").get(reverse("core:action_log")).content.decode()
    select = page[page.index('name="actor"') : page.index("</select>", page.index('name="actor"'))]
    assert f'value="{personas.user("wang").pk}"' in select
    assert f'value="{personas.user("admin").pk}"' in select  # no region: acts everywhere
    assert f'value="{personas.user("chen").pk}"' not in select  # an insured person's account


def test_stored_choices_read_by_their_labels(personas: Personas, people) -> None:
    person, _other = people
    registered = _entry(person, "registry.person.registered")
    page = personas.client("qian").get(reverse("core:action_entry", args=[registered.pk]))
    text = page.content.decode()
    assert "<td>居民身份证</td>" in text and "resident_id" not in text
    assert '<th scope="row">出生日期</th><td>—</td><td>不显示</td>' in text


def test_paging_keeps_the_filters(personas: Personas, people, monkeypatch) -> None:
    from jingban.core.views import action_log

    monkeypatch.setattr(action_log, "PAGE_SIZE", 1)
    person, _other = people
    subject = f"registry.person:{person.pk}"
    page = personas.client("zhao").get(reverse("core:action_log"), {"subject": subject})
    text = page.content.decode()
    assert "第 1 页，共 2 页" in text or "共 2 页" in text
    assert "?page=2&amp;subject=registry.person%3A" in text
    second = personas.client("zhao").get(
        reverse("core:action_log"), {"subject": subject, "page": "2"}
    )
    rows = _rows(second.content.decode())
    assert "王经办登记了参保人" in rows and "修改了参保人信息" not in rows


def test_the_chinese_list_shows_no_codes(personas: Personas, people) -> None:
    """Every entry of the demo world and the fixtures, in Chinese: labels, never codes."""
    import re

    rows = _list(personas, "admin")
    text = re.sub(r"<[^>]+>", " ", rows)
    assert not re.search(r"\b(core|registry|packs|jobs|files|documents)\.[a-z_]+", text)
    assert "resident_id" not in text and "the system" not in text


def test_staff_see_changes_auditors_also_see_reads(personas: Personas, people) -> None:
    person, _other = people
    services.reveal_document(person, acting_user=personas.user("sun"), purpose="identity_check")
    url = reverse("registry:person_detail", args=[person.pk])

    def history(username: str) -> str:
        page = personas.client(username).get(url).content.decode()
        section = page[page.index('id="person-history"') :]
        return section[: section.index("</section>")]

    assert "孙审核" not in history("wang")  # the reveal is not an operator's to read
    assert "修改了参保人信息" in history("wang")
    assert "孙审核" in history("zhao")
