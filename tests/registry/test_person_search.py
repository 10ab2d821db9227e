"""Finding people: each way of writing a term finds the person; a viewer without the reveal
capability cannot narrow hidden digits; each filter and sort order changes the answer; keyset
pages give every row once; bad terms get a clear message, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jingban.core import pagination
from jingban.core.calendar import today as local_today
from jingban.core.errors import ValidationFailed
from jingban.core.models import ActionLog
from jingban.registry import queries, search, services, views
from jingban.registry.documents import mask_document, mask_phone
from jingban.registry.models import Enrollment, GroupMembership, Person
from jingban.registry.search import parse_sort
from tests.personas import Personas

LIST = "/persons/"
# Only for the parameter names: the tests read the terms of a real person.
_SAMPLE = Person(document_number="1" * 18, phone="1" * 11, name="张三丰")


def _with_phone(personas: Personas) -> Person:
    return next(
        p
        for p in personas.world.persons
        if "320500/" in p.region.path and len(p.phone) == 11 and p.document_type == "resident_id"
    )


def _found(personas: Personas, username: str, term: str) -> list[int]:
    response = personas.client(username).post(LIST, {"q": term})
    assert response.status_code == 200, response.content.decode()[:500]
    return [row["person"].pk for row in response.context["rows"]]


# Each way of writing a term --------------------------------------------------------------------


def _terms(p: Person) -> dict[str, str]:
    number = p.document_number
    return {
        "whole number": number,
        "whole number, spaced and lower case": f"{number[:6]} {number[6:14]} {number[14:].lower()}",
        "first digits": number[:9],
        "last four": number[-4:],
        "masked as listed": mask_document(p.document_type, number),
        "masked, one star": f"{number[:6]}*{number[-4:]}",
        "masked, more stars": f"{number[:6]}{'*' * 12}{number[-4:]}",
        "masked, full-width stars": f"{number[:6]}＊＊＊＊{number[-4:]}",
        "masked, dots": f"{number[:6]}••••{number[-4:]}",
        "masked, end only": f"*{number[-4:]}",
        "phone": p.phone,
        "phone with separators": f"{p.phone[:3]} {p.phone[3:7]}-{p.phone[7:]}",
        "phone, last four": p.phone[-4:],
        "phone, masked as listed": mask_phone(p.phone),
        "whole name": p.name,
        "part of the name": p.name[1:],
        "surname": p.name[0],
    }


@pytest.mark.parametrize("form", list(_terms(_SAMPLE)))
def test_each_way_of_writing_a_term_finds_the_person(personas: Personas, form: str) -> None:
    person = _with_phone(personas)
    term = _terms(person)[form]
    assert person.pk in _found(personas, "wang", term), term


@pytest.mark.parametrize(
    "form",
    [
        "whole number",
        "last four",
        "masked as listed",
        "masked, one star",
        "masked, end only",
        "phone",
        "phone, last four",
        "phone, masked as listed",
        "whole name",
        "part of the name",
    ],
)
def test_a_viewer_without_reveal_finds_by_what_is_shown(personas: Personas, form: str) -> None:
    person = _with_phone(personas)
    assert person.pk in _found(personas, "li", _terms(person)[form])


def test_a_term_finds_only_its_matches(personas: Personas) -> None:
    person = _with_phone(personas)
    others = _found(personas, "wang", _terms(person)["masked as listed"])
    everyone = [p.pk for p in personas.world.persons if "320500/" in p.region.path]
    assert person.pk in others and len(others) < len(everyone)
    assert _found(personas, "wang", "查无此人") == []


# Privacy ----------------------------------------------------------------------------------------


def _hidden_terms(p: Person) -> dict[str, str]:
    number = p.document_number
    return {
        "prefix into the birth date": number[:7],
        "prefix, digit by digit": number[:10],
        "a longer end": number[-7:],
        "masked, prefix too long": f"{number[:8]}********{number[-4:]}",
        "masked, end too long": f"{number[:6]}****{number[-6:]}",
        "masked, digits inside": f"{number[:6]}**{number[8:10]}****{number[-4:]}",
        "phone digits beyond the last four": p.phone[-7:],
    }


@pytest.mark.parametrize("form", list(_hidden_terms(_SAMPLE)))
def test_a_viewer_without_reveal_cannot_narrow_hidden_digits(personas: Personas, form: str) -> None:
    person = _with_phone(personas)
    term = _hidden_terms(person)[form]
    response = personas.client("li").post(LIST, {"q": term})
    assert response.status_code == 400
    assert response.context["rows"] == []
    assert "只能使用掩码号码显示的部分" in response.content.decode()
    assert not ActionLog.objects.filter(action="registry.person.looked_up").exists()
    # A revealer may search by any part.
    assert person.pk in _found(personas, "wang", term)


def test_five_or_six_digits_are_only_a_place_code_for_a_viewer_without_reveal(
    personas: Personas,
) -> None:
    person = _with_phone(personas)
    for term in (person.document_number[-5:], person.document_number[-6:], person.phone[-6:]):
        assert person.pk not in _found(personas, "li", term)
        assert person.pk in _found(personas, "wang", term)
    assert person.pk in _found(personas, "li", person.document_number[:6])


def test_a_masked_phone_beyond_its_shown_digits_is_not_matched_against_phones(
    personas: Personas,
) -> None:
    person = _with_phone(personas)
    term = f"{person.phone[:5]}****{person.phone[-2:]}"
    assert person.pk not in _found(personas, "li", term)
    assert person.pk in _found(personas, "wang", term)


def test_passports_are_matched_only_by_what_their_masked_form_shows(personas: Personas) -> None:
    holder = services.register_person(
        services.PersonInput(
            document_type="passport",
            document_number="EA1234567",
            name="STONE ANNA",
            region_code="320505001",
            sex="F",
            birth_date=dt.date(1985, 4, 2),
        ),
        acting_user=personas.user("admin"),
    )
    assert mask_document("passport", "EA1234567") == "EA*****67"
    assert holder.pk in _found(personas, "li", "EA*****67")
    assert holder.pk not in _found(personas, "li", "EA123*")
    assert holder.pk not in _found(personas, "li", "4567")
    assert holder.pk in _found(personas, "wang", "EA123*")
    assert holder.pk in _found(personas, "wang", "4567")


def test_a_whole_phone_is_a_logged_lookup_for_a_viewer_without_reveal(
    personas: Personas,
) -> None:
    person = _with_phone(personas)
    assert person.pk in _found(personas, "li", person.phone)
    entry = ActionLog.objects.get(action="registry.person.looked_up")
    assert entry.object_id == str(person.pk)
    assert person.phone not in str(entry.after)


def test_an_empty_result_says_what_was_searched_masked(personas: Personas) -> None:
    outside = personas.out_of_scope_person
    response = personas.client("li").post(LIST, {"q": outside.document_number})
    page = response.content.decode()
    shown = mask_document(outside.document_type, outside.document_number)
    assert response.context["rows"] == []
    assert f"没有找到符合条件的人员：「{shown}」" in page
    assert outside.document_number not in page.replace(f'value="{outside.document_number}"', "")


# Filters ---------------------------------------------------------------------------------------


def _district(p: Person) -> str:
    return p.region.path.split("/")[2]


def _ids(response: object) -> set[int]:
    return {row["person"].pk for row in response.context["rows"]}  # type: ignore[attr-defined]


def test_the_region_filter_follows_the_hierarchy(personas: Personas) -> None:
    in_scope = [p for p in personas.world.persons if "320500/" in p.region.path]
    first = in_scope[0]
    other = next(p for p in in_scope if _district(p) != _district(first))
    client = personas.client("wang")
    picked = client.post(LIST, {"region0": _district(first)})
    assert first.pk in _ids(picked) and other.pk not in _ids(picked)
    # The next level lists the district's towns.
    names = [name for name, _options, _chosen in picked.context["form"].picker]
    assert names[:2] == ["region0", "region1"]
    town = first.region.path.split("/")[3]
    deeper = client.post(LIST, {"region0": _district(first), "region1": town})
    assert first.pk in _ids(deeper)
    assert all(town in p.region.path for p in (r["person"] for r in deeper.context["rows"]))
    # A code from elsewhere is not a choice: the filter falls back to the whole scope.
    outside = client.post(LIST, {"region0": "320100"})
    assert other.pk in _ids(outside)


def test_the_enrollment_filter(personas: Personas) -> None:
    year = local_today().year
    enrolled = Enrollment.objects.filter(
        scheme__code="resident_medical",
        year=year,
        status="active",
        person__region__path__contains="320500/",
    ).first()
    assert enrolled is not None
    enrolled_ids = set(
        Enrollment.objects.filter(scheme__code="resident_medical", year=year).values_list(
            "person_id", flat=True
        )
    )
    without = next(
        p for p in personas.world.persons if "320500/" in p.region.path and p.pk not in enrolled_ids
    )
    client = personas.client("wang")
    data = {"scheme": "resident_medical", "year": str(year), "status": "active"}
    active = client.post(LIST, data)
    assert enrolled.person_id in _ids(active) and without.pk not in _ids(active)
    none = client.post(LIST, {**data, "status": "none"})
    assert without.pk in _ids(none) and enrolled.person_id not in _ids(none)


def test_the_special_group_filter(personas: Personas) -> None:
    today = local_today()
    member = (
        GroupMembership.objects.filter(
            valid_from__lte=today, person__region__path__contains="320500/"
        )
        .exclude(valid_to__lt=today)
        .select_related("group")
        .first()
    )
    if member is None:
        person = personas.in_scope_person
        services.add_membership(
            person,
            group_code="dibao",
            valid_from=today - dt.timedelta(days=10),
            valid_to=None,
            acting_user=personas.user("admin"),
        )
        member = GroupMembership.objects.get(person=person, group__code="dibao")
    others = set(
        GroupMembership.objects.filter(group=member.group).values_list("person_id", flat=True)
    )
    outsider = next(
        p for p in personas.world.persons if "320500/" in p.region.path and p.pk not in others
    )
    found = personas.client("wang").post(LIST, {"group": member.group.code})
    assert member.person_id in _ids(found) and outsider.pk not in _ids(found)


# Sorting ---------------------------------------------------------------------------------------


def _order(personas: Personas, sort: str) -> list[int]:
    response = personas.client("wang").post(LIST, {"sort": "name", "resort": sort})
    return [row["person"].pk for row in response.context["rows"]]


def _scope(personas: Personas) -> list[Person]:
    return list(queries.persons_for(personas.user("wang")))


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("name", lambda p: (p.name, p.pk)),
        ("document", lambda p: (p.document_number[:6], p.pk)),
        ("age", lambda p: (-p.birth_date.year, -p.pk)),
        ("region", lambda p: (p.region_id, p.pk)),
    ],
)
def test_each_sort_order(personas: Personas, sort: str, key: object) -> None:
    expected = [p.pk for p in sorted(_scope(personas), key=key)]  # type: ignore[arg-type]
    assert expected != sorted(expected), "the order must differ from registration order"
    # The first page of the list, in either direction.
    assert _order(personas, sort) == expected[: views.PAGE_SIZE]
    assert _order(personas, f"-{sort}") == expected[::-1][: views.PAGE_SIZE]


def test_an_unknown_sort_is_registration_order(personas: Personas) -> None:
    assert (
        _order(personas, "birth_date") == sorted(p.pk for p in _scope(personas))[: views.PAGE_SIZE]
    )


# Keyset paging ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["id", "name", "-name", "document", "age", "-age", "region"])
def test_keyset_pages_give_every_row_once_both_ways(personas: Personas, code: str) -> None:
    persons = queries.persons_for(personas.user("wang"))
    sort, descending = parse_sort(code)
    kwargs = {"keys": sort.keys, "descending": descending, "size": 4}
    seen: list[int] = []
    pages = []
    page = pagination.keyset_page(persons, **kwargs)
    while True:
        pages.append([p.pk for p in page.object_list])
        seen.extend(pages[-1])
        if page.next_cursor is None:
            break
        page = pagination.keyset_page(persons, after=page.next_cursor, **kwargs)
    assert sorted(seen) == sorted(p.pk for p in persons) and len(seen) == len(set(seen))
    assert len(pages) > 2
    # Backwards from the last page, the same pages.
    back = [pages[-1]]
    while page.previous_cursor is not None:
        page = pagination.keyset_page(persons, before=page.previous_cursor, **kwargs)
        back.append([p.pk for p in page.object_list])
    assert back[::-1] == pages


def test_the_list_pages_by_cursor(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    client = personas.client("wang")
    response = client.post(LIST, {"sort": "name"})
    seen = [row["person"].pk for row in response.context["rows"]]
    numbers = [response.context["number"]]
    while (cursor := response.context["page"].next_cursor) is not None:
        response = client.post(LIST, {"sort": "name", "cursor": f"n:{cursor}.{numbers[-1] + 1}"})
        seen.extend(row["person"].pk for row in response.context["rows"])
        numbers.append(response.context["number"])
    assert seen == [p.pk for p in sorted(_scope(personas), key=lambda p: (p.name, p.pk))]
    assert numbers == list(range(1, len(numbers) + 1))
    assert "上一页" in response.content.decode()
    # A cursor that is not one is the first page.
    assert client.post(LIST, {"cursor": "n:abc.9"}).context["number"] == 1


def test_the_api_pages_by_cursor(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    from jingban.registry import api

    monkeypatch.setattr(api, "PAGE_SIZE", 5)
    client = personas.client("wang")
    first = client.get("/api/v1/persons").json()
    seen = [r["id"] for r in first["results"]]
    cursor = first["next_cursor"]
    while cursor is not None:
        page = client.post(
            "/api/v1/persons/search", {"q": "", "cursor": cursor}, content_type="application/json"
        ).json()
        seen.extend(r["id"] for r in page["results"])
        cursor = page["next_cursor"]
    assert seen == sorted(p.pk for p in _scope(personas))
    assert first["count"] == len(seen) and first["count_exact"] is True
    # Page numbers still work (OFFSET) for existing clients.
    second = client.get("/api/v1/persons", {"page": 2}).json()
    assert [r["id"] for r in second["results"]] == seen[5:10]


def test_counts_beyond_the_cap_are_estimates(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    persons = queries.persons_for(personas.user("wang"))
    assert pagination.counted(persons) == (persons.count(), True)
    estimate, exact = pagination.counted(persons, cap=3)
    assert not exact and estimate >= 4
    assert pagination.about(123_456) == 120_000
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    home = personas.client("wang").get("/").content.decode()
    assert "约" in home
    listed = personas.client("wang").get(LIST)
    assert listed.context["exact"] is False and "约" in listed.content.decode()


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("张" * 10_000, "查询内容过长"),
        ("张\x00伟", "无法查询的字符"),
        ("3205\x0012", "无法查询的字符"),
    ],
)
def test_bad_terms_get_a_clear_message_and_no_500(
    personas: Personas, term: str, message: str
) -> None:
    client = personas.client("wang")
    page = client.post(LIST, {"q": term})
    assert page.status_code == 400 and message in page.content.decode()
    fragment = client.post(LIST, {"q": term}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and message in fragment.content.decode()
    api = client.post("/api/v1/persons/search", {"q": term}, content_type="application/json")
    assert api.status_code == 400, api.content
    # A NUL byte is refused already by the JSON parser, with its own message on the field.
    assert api.json()["fields"]["q"]
    got = client.get("/api/v1/persons", {"q": term})
    assert got.status_code == 400 and got.json()["fields"]["q"]
    export = client.get(reverse("registry:person_export_csv"), {"q": term})
    assert export.status_code == 400
    if "\x00" not in term:  # a NUL in an address is refused before any view (core.security)
        assert message in export.content.decode()


def test_bad_terms_in_english(personas: Personas) -> None:
    page = personas.client("wang", language="en").post(LIST, {"q": "x" * 10_000})
    assert "The search is too long: at most 50 characters." in page.content.decode()


def test_parse_term_reads_each_kind() -> None:
    kinds = {
        "张伟": search.TermKind.NAME,
        "SMITH": search.TermKind.NAME,
        "110101********1234": search.TermKind.MASKED,
        "110101199001011237": search.TermKind.DOCUMENT,
        "E12345678": search.TermKind.DOCUMENT,
        "13912345678": search.TermKind.PHONE,
        "0512-12345678": search.TermKind.PHONE,
        "1234": search.TermKind.DIGITS,
        "": search.TermKind.EMPTY,
    }
    for text, kind in kinds.items():
        assert search.parse_term(text, may_reveal=False).kind is kind, text
    with pytest.raises(ValidationFailed):
        search.parse_term("123", may_reveal=True)
    with pytest.raises(ValidationFailed):
        search.parse_term("****", may_reveal=True)
