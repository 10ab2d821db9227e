"""The working-day calendar: seeding, arithmetic, administrator edits and the command."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from jingban.core import calendar as cal
from jingban.core.calendar import (
    CalendarNotCovered,
    add_working_days,
    is_provisional,
    is_working_day,
    rule_holidays,
    working_days_between,
)
from jingban.core.errors import Forbidden, ValidationFailed
from jingban.core.models import ActionLog, CalendarYear, Holiday, HolidayKind, User
from jingban.core.services.calendar import (
    add_year,
    package_source,
    remove_day,
    seed_from_chinese_calendar,
    set_day,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_database")]

# chinese-calendar 1.11.0 for 2025: 28 holiday dates (weekends inside holiday periods included)
# and 5 adjusted working days.
ROWS_2025 = 33


@pytest.fixture
def admin() -> User:
    return User.objects.create_user(username="cal-admin", password="pw-Admin-1", role="admin")


@pytest.fixture
def operator() -> User:
    return User.objects.create_user(username="cal-op", password="pw-Oper-1", role="operator")


@pytest.fixture
def seeded_2025() -> None:
    seed_from_chinese_calendar([2025], acting_user=None)


# --- seeding -------------------------------------------------------------------------------------


def test_seed_2025_creates_year_days_and_one_action_row() -> None:
    logs_before = ActionLog.objects.count()
    created = seed_from_chinese_calendar([2025], acting_user=None)

    assert created == ROWS_2025
    assert (
        CalendarYear.objects.get(year=2025).source
        == package_source()
        == ("chinese-calendar 1.11.0")
    )
    assert Holiday.objects.filter(date__year=2025).count() == ROWS_2025
    assert Holiday.objects.filter(date__year=2025, kind=HolidayKind.WORKDAY).count() == 5
    national_day = Holiday.objects.get(date=date(2025, 10, 1))
    assert (national_day.kind, national_day.name) == (HolidayKind.HOLIDAY, "National Day / 国庆节")
    adjusted = Holiday.objects.get(date=date(2025, 9, 28))
    assert (adjusted.kind, adjusted.name) == (HolidayKind.WORKDAY, "National Day / 国庆节")

    assert ActionLog.objects.count() == logs_before + 1
    entry = ActionLog.objects.get(action="core.calendar.seeded")
    assert entry.actor is None and entry.actor_name == "system"
    assert entry.object_id == "2025"
    assert entry.after is not None and entry.after["rows"] == ROWS_2025
    assert len(entry.after["digest"]) == 64


def test_seeding_twice_changes_nothing_and_logs_nothing() -> None:
    seed_from_chinese_calendar([2025, 2026], acting_user=None)
    holidays, years, logs = (
        Holiday.objects.count(),
        CalendarYear.objects.count(),
        ActionLog.objects.count(),
    )
    assert years == 2 and logs == 2  # one bulk row per year

    assert seed_from_chinese_calendar([2025, 2026], acting_user=None) == 0
    # Seeding everything afterwards adds the other years only, one action row each.
    assert (Holiday.objects.count(), CalendarYear.objects.count(), ActionLog.objects.count()) == (
        holidays,
        years,
        logs,
    )
    seed_from_chinese_calendar(acting_user=None)
    all_years = CalendarYear.objects.count()
    assert all_years == 2026 - 2004 + 1
    assert ActionLog.objects.count() == logs + (all_years - 2)
    assert seed_from_chinese_calendar(acting_user=None) == 0
    assert ActionLog.objects.count() == logs + (all_years - 2)


def test_reseeding_keeps_an_administrators_removal(admin: User, seeded_2025: None) -> None:
    remove_day(Holiday.objects.get(date=date(2025, 10, 8)), acting_user=admin)
    assert seed_from_chinese_calendar([2025], acting_user=None) == 0
    assert not Holiday.objects.filter(date=date(2025, 10, 8)).exists()
    assert is_working_day(date(2025, 10, 8))


def test_seeding_a_year_the_package_lacks_is_refused_and_writes_nothing() -> None:
    with pytest.raises(ValidationFailed) as caught:
        seed_from_chinese_calendar([2025, 2031], acting_user=None)
    assert "year" in caught.value.fields
    assert "2031" in str(caught.value.fields["year"][0])
    assert not CalendarYear.objects.exists()
    assert not Holiday.objects.exists()
    assert not ActionLog.objects.exists()


# --- reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 10, 1), False),  # National Day
        (date(2025, 10, 8), False),  # last day of the Golden Week
        (date(2025, 9, 28), True),  # Sunday, adjusted working day
        (date(2025, 10, 11), True),  # Saturday, adjusted working day
        (date(2025, 9, 29), True),  # an ordinary Monday
        (date(2025, 9, 27), False),  # an ordinary Saturday
        (date(2025, 9, 21), False),  # an ordinary Sunday
    ],
)
def test_is_working_day(seeded_2025: None, day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_add_working_days_across_national_day(seeded_2025: None) -> None:
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 30), 2) == date(2025, 10, 10)
    assert add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)  # the Saturday worked
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)  # the Sunday worked


def test_add_zero_working_days(seeded_2025: None) -> None:
    assert add_working_days(date(2025, 9, 30), 0) == date(2025, 9, 30)
    assert add_working_days(date(2025, 10, 4), 0) == date(2025, 10, 9)


def test_add_negative_working_days(seeded_2025: None) -> None:
    assert add_working_days(date(2025, 10, 9), -1) == date(2025, 9, 30)
    assert add_working_days(date(2025, 10, 9), -3) == date(2025, 9, 28)
    assert add_working_days(date(2025, 10, 5), -1) == date(2025, 9, 30)


def test_working_days_between(seeded_2025: None) -> None:
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert working_days_between(date(2025, 9, 30), date(2025, 9, 30)) == 0
    assert working_days_between(date(2025, 10, 1), date(2025, 10, 8)) == 0
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 12)) == 6  # 28, 29, 30, 9, 10, 11
    assert working_days_between(date(2025, 10, 9), date(2025, 9, 30)) == -1


def test_adding_and_counting_agree(seeded_2025: None) -> None:
    start = date(2025, 1, 1)
    for n in range(1, 240, 7):
        end = add_working_days(start, n)
        assert is_working_day(end)
        assert working_days_between(start, end) == n


def test_one_query_per_year_touched(seeded_2025: None, django_assert_num_queries) -> None:
    seed_from_chinese_calendar([2026], acting_user=None)
    with django_assert_num_queries(2):
        assert add_working_days(date(2025, 12, 1), 60) > date(2026, 1, 1)
    with django_assert_num_queries(1):
        working_days_between(date(2025, 1, 1), date(2025, 12, 31))


def test_an_uncovered_year_is_counted_by_rule_and_provisional(seeded_2025: None) -> None:
    """2031 is in no table: its statutory holidays by rule (lunar and solar-term dates too),
    Monday to Friday otherwise, and every answer about it is provisional."""
    assert is_provisional(date(2031, 5, 6)) and not is_provisional(date(2025, 5, 6))
    assert is_working_day(date(2031, 5, 6))  # a Tuesday
    assert not is_working_day(date(2031, 5, 3))  # a Saturday: no 调休 is guessed
    assert not is_working_day(date(2031, 5, 1)) and not is_working_day(date(2031, 5, 2))
    # 2031's 春节 is 23 January: 除夕 22 January to 初三 25 January; 清明 5 April; 端午 24 June;
    # 中秋 1 October, inside 国庆.
    assert [is_working_day(date(2031, 1, d)) for d in (21, 22, 23, 24, 25, 27)] == [
        True,
        False,
        False,
        False,
        False,
        True,
    ]
    assert not is_working_day(date(2031, 6, 24))
    assert set(rule_holidays(2031)) >= {date(2031, 4, 5), date(2031, 10, 3), date(2031, 1, 1)}
    assert len(rule_holidays(2031)) == 12  # 中秋 falls on 国庆's first day that year


def test_the_rule_agrees_with_the_official_holidays_of_covered_years() -> None:
    """Every day the rule gives for 2025 and 2026 is a public holiday in the official
    arrangement (the package's data), and there are 13 of them, as the measures say."""
    for year in (2025, 2026):
        days = rule_holidays(year)
        assert len(days) == 13
        assert [day for day in days if chinese_calendar.is_workday(day)] == []


def test_arithmetic_into_an_uncovered_year_is_provisional(seeded_2025: None) -> None:
    # 2025-12-30 + 5 working days: 31 Dec, then 2026 by rule (1 January off): 2, 5, 6, 7 January.
    assert add_working_days(date(2025, 12, 30), 5) == date(2026, 1, 7)
    assert is_provisional(date(2025, 12, 30), date(2026, 1, 7))
    assert not is_provisional(date(2025, 12, 1), date(2025, 12, 31))
    assert add_working_days(date(2025, 1, 2), -3) == date(2024, 12, 27)
    assert working_days_between(date(2025, 12, 1), date(2026, 1, 5)) == 24


def test_today_is_shanghai_date() -> None:
    # Whatever time zone is active, "today" is the date in Shanghai.
    with timezone.override(ZoneInfo("America/Los_Angeles")):
        assert cal.today() == datetime.now(ZoneInfo("Asia/Shanghai")).date()


# --- administrator edits -------------------------------------------------------------------------


def test_set_day_creates_and_updates(admin: User, seeded_2025: None) -> None:
    logs = ActionLog.objects.count()
    day = date(2025, 12, 24)  # a Wednesday
    holiday = set_day(day=day, kind=HolidayKind.HOLIDAY, name=" Local holiday ", acting_user=admin)
    assert (holiday.kind, holiday.name) == (HolidayKind.HOLIDAY, "Local holiday")
    assert not is_working_day(day)

    set_day(day=day, kind=HolidayKind.HOLIDAY, name="Renamed", acting_user=admin)
    assert Holiday.objects.filter(date=day).count() == 1
    assert Holiday.objects.get(date=day).name == "Renamed"

    entries = list(ActionLog.objects.filter(action="core.calendar.day_set").order_by("id"))
    assert ActionLog.objects.count() == logs + 2
    assert entries[0].before is None and entries[0].actor == admin
    assert entries[1].before == {"kind": "holiday", "name": "Local holiday"}
    assert entries[1].after == {"kind": "holiday", "name": "Renamed"}


def test_set_day_makes_a_weekend_a_working_day(admin: User, seeded_2025: None) -> None:
    saturday = date(2025, 12, 27)
    assert not is_working_day(saturday)
    set_day(day=saturday, kind=HolidayKind.WORKDAY, name="", acting_user=admin)
    assert is_working_day(saturday)


def test_set_day_on_an_uncovered_year_is_refused_and_writes_nothing(
    admin: User, seeded_2025: None
) -> None:
    counts = (Holiday.objects.count(), ActionLog.objects.count(), CalendarYear.objects.count())
    with pytest.raises(CalendarNotCovered) as caught:
        set_day(day=date(2031, 1, 1), kind=HolidayKind.HOLIDAY, name="New Year", acting_user=admin)
    assert caught.value.year == 2031
    assert "day" in caught.value.fields  # a form shows it beside the date
    assert (
        Holiday.objects.count(),
        ActionLog.objects.count(),
        CalendarYear.objects.count(),
    ) == counts


@pytest.mark.parametrize(
    ("day", "kind", "name", "field"),
    [
        (date(2025, 12, 24), "vacation", "", "kind"),
        (date(2025, 12, 24), HolidayKind.WORKDAY, "", "kind"),  # a Wednesday is already worked
        (date(2025, 12, 24), HolidayKind.HOLIDAY, "x" * 101, "name"),
    ],
)
def test_set_day_validation(
    admin: User, seeded_2025: None, day: date, kind: str, name: str, field: str
) -> None:
    counts = (Holiday.objects.count(), ActionLog.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        set_day(day=day, kind=kind, name=name, acting_user=admin)
    assert list(caught.value.fields) == [field]
    assert (Holiday.objects.count(), ActionLog.objects.count()) == counts


def test_remove_day(admin: User, seeded_2025: None) -> None:
    remove_day(Holiday.objects.get(date=date(2025, 10, 1)), acting_user=admin)
    assert is_working_day(date(2025, 10, 1))
    entry = ActionLog.objects.get(action="core.calendar.day_removed")
    assert entry.object_id == "2025-10-01"
    assert entry.before == {"kind": "holiday", "name": "National Day / 国庆节"}


def test_add_year_then_enter_its_holidays(admin: User) -> None:
    # By rule until the year is entered: 1 January is 元旦, provisionally.
    assert not is_working_day(date(2027, 1, 1)) and is_provisional(date(2027, 1, 1))
    add_year(year=2027, source="State Council notice", acting_user=admin)
    assert is_working_day(date(2027, 1, 1))  # a Friday, no holidays entered yet
    assert not is_provisional(date(2027, 1, 1))
    set_day(day=date(2027, 1, 1), kind=HolidayKind.HOLIDAY, name="元旦", acting_user=admin)
    assert not is_working_day(date(2027, 1, 1))
    entry = ActionLog.objects.get(action="core.calendar.year_added")
    assert entry.after == {"year": 2027, "source": "State Council notice"}


@pytest.mark.parametrize("year", [1999, 2101, 20255])
def test_add_year_out_of_range(admin: User, year: int) -> None:
    with pytest.raises(ValidationFailed) as caught:
        add_year(year=year, source="", acting_user=admin)
    assert list(caught.value.fields) == ["year"]
    assert not CalendarYear.objects.exists()


def test_add_year_twice_is_refused(admin: User, seeded_2025: None) -> None:
    with pytest.raises(ValidationFailed) as caught:
        add_year(year=2025, source="again", acting_user=admin)
    assert list(caught.value.fields) == ["year"]
    assert CalendarYear.objects.get(year=2025).source == package_source()


def test_a_user_without_calendar_edit_is_forbidden(operator: User, seeded_2025: None) -> None:
    counts = (Holiday.objects.count(), ActionLog.objects.count(), CalendarYear.objects.count())
    with pytest.raises(Forbidden):
        set_day(day=date(2025, 12, 24), kind=HolidayKind.HOLIDAY, name="", acting_user=operator)
    with pytest.raises(Forbidden):
        remove_day(Holiday.objects.get(date=date(2025, 10, 1)), acting_user=operator)
    with pytest.raises(Forbidden):
        add_year(year=2027, source="", acting_user=operator)
    with pytest.raises(Forbidden):
        seed_from_chinese_calendar([2026], acting_user=operator)
    assert (
        Holiday.objects.count(),
        ActionLog.objects.count(),
        CalendarYear.objects.count(),
    ) == counts


def test_an_inactive_admin_is_forbidden(admin: User, seeded_2025: None) -> None:
    admin.is_active = False
    admin.save()
    with pytest.raises(Forbidden):
        set_day(day=date(2025, 12, 24), kind=HolidayKind.HOLIDAY, name="", acting_user=admin)


# --- the command ---------------------------------------------------------------------------------


def _run(*args: str, language: str = "en") -> str:
    out = StringIO()
    with translation.override(language):
        call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_command_seed_and_check() -> None:
    assert "33" in _run("seed", "--year", "2025")
    assert Holiday.objects.filter(date__year=2025).count() == ROWS_2025
    assert "0" in _run("seed", "--year", "2025")

    assert _run("check", "2025-10-01").strip() == (
        "2025-10-01 is not a working day. (National Day)"
    )
    assert _run("check", "2025-09-28").strip() == ("2025-09-28 is a working day. (National Day)")
    assert _run("check", "2025-10-01", language="zh-hans").strip() == (
        "2025-10-01 不是工作日。（国庆节）"
    )
    assert _run("check", "2025-09-29").strip() == "2025-09-29 is a working day."


def test_command_check_of_an_uncovered_year_answers_by_rule_and_says_so() -> None:
    out = StringIO()
    with translation.override("en"):
        call_command("calendar", "check", "2031-01-02", stdout=out)
    assert out.getvalue().strip() == (
        "2031-01-02 is a working day. Provisional: counted by rule until 2031's official "
        "arrangement is entered."
    )


def test_command_rejects_bad_input() -> None:
    with pytest.raises(CommandError):
        call_command("calendar", "check", "2025-13-01", stdout=StringIO())
    with pytest.raises(CommandError) as caught:
        call_command("calendar", "seed", "--year", "2031", stdout=StringIO())
    assert caught.value.returncode == 2
    assert not CalendarYear.objects.exists()


# --- the page ------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, admin: User):
    client.force_login(admin)
    return client


def test_page_shows_the_year_to_an_admin(admin_client, admin: User, seeded_2025: None) -> None:
    response = admin_client.get(
        reverse("core:calendar"), {"year": "2025"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "2025-10-01" in body
    # The name seeded from chinese-calendar shows in the page's language only.
    assert "国庆节" in body and "National Day" not in body
    User.objects.filter(pk=admin.pk).update(language="en")
    english = admin_client.get(reverse("core:calendar"), {"year": "2025"}).content.decode()
    assert "National Day" in english and "国庆节" not in english
    assert (
        reverse("core:calendar_delete", args=[Holiday.objects.get(date=date(2025, 10, 1)).pk])
        in body
    )
    assert 'name="kind"' in body  # the editing form


def test_page_for_a_viewer_has_no_forms(client, operator: User, seeded_2025: None) -> None:
    client.force_login(operator)
    response = client.get(reverse("core:calendar"), {"year": "2025"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2025-10-01" in body
    assert 'name="kind"' not in body
    day = {"form": "day", "day": "2025-12-24", "kind": "holiday", "name": ""}
    assert client.post(reverse("core:calendar"), day).status_code == 403
    pk = Holiday.objects.get(date=date(2025, 10, 1)).pk
    assert client.post(reverse("core:calendar_delete", args=[pk])).status_code == 403
    assert not Holiday.objects.filter(date=date(2025, 12, 24)).exists()


def test_page_needs_calendar_view(client) -> None:
    caregiver = User.objects.create_user(username="cal-cg", password="pw-Care-1", role="caregiver")
    assert client.get(reverse("core:calendar")).status_code == 302  # to sign-in
    client.force_login(caregiver)
    assert client.get(reverse("core:calendar")).status_code == 403


@pytest.mark.parametrize("year", ["abc", "", "99999", "-1"])
def test_page_with_a_bad_year_shows_the_current_one(admin_client, year: str) -> None:
    response = admin_client.get(reverse("core:calendar"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == cal.today().year


def test_post_invalid_kind_is_400_and_adds_nothing(admin_client, seeded_2025: None) -> None:
    counts = (Holiday.objects.count(), ActionLog.objects.count())
    response = admin_client.post(
        reverse("core:calendar") + "?year=2025",
        {"form": "day", "day": "2025-12-24", "kind": "vacation", "name": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert 'id="id_kind_error"' in response.content.decode()
    assert (Holiday.objects.count(), ActionLog.objects.count()) == counts


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"form": "day", "day": "not a date", "kind": "holiday", "name": ""}, "day"),
        ({"form": "day", "day": "2031-01-01", "kind": "holiday", "name": ""}, "day"),
        ({"form": "year", "year": "twenty", "source": ""}, "year"),
        ({"form": "year", "year": "2025", "source": ""}, "year"),
    ],
)
def test_post_errors_are_shown_beside_the_field(
    admin_client, seeded_2025: None, data: dict[str, str], field: str
) -> None:
    counts = (Holiday.objects.count(), CalendarYear.objects.count(), ActionLog.objects.count())
    response = admin_client.post(reverse("core:calendar"), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert (
        Holiday.objects.count(),
        CalendarYear.objects.count(),
        ActionLog.objects.count(),
    ) == counts


def test_post_set_day_add_year_and_delete(admin_client, seeded_2025: None) -> None:
    url = reverse("core:calendar")
    response = admin_client.post(
        url, {"form": "day", "day": "2025-12-24", "kind": "holiday", "name": "Local"}
    )
    assert response.status_code == 302 and response["Location"] == f"{url}?year=2025"
    assert not is_working_day(date(2025, 12, 24))

    response = admin_client.post(url, {"form": "year", "year": "2027", "source": "Notice"})
    assert response.status_code == 302 and response["Location"] == f"{url}?year=2027"
    assert CalendarYear.objects.get(year=2027).source == "Notice"

    pk = Holiday.objects.get(date=date(2025, 12, 24)).pk
    delete_url = reverse("core:calendar_delete", args=[pk])
    assert admin_client.get(delete_url).status_code == 405
    response = admin_client.post(delete_url)
    assert response.status_code == 302 and response["Location"] == f"{url}?year=2025"
    assert is_working_day(date(2025, 12, 24))
    assert admin_client.post(delete_url).status_code == 404
