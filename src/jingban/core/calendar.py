"""Working-day arithmetic (工作日计算) over the holiday table. Reads only; never changes state.

A day is a working day when it is Monday to Friday and not a HOLIDAY row, or a Saturday or Sunday
with a WORKDAY row (调休上班).

A year without a ``CalendarYear`` row (the State Council announces each year's
arrangement late in the year before; the ``chinese-calendar`` data ends with the
last one announced) is counted **by rule** and is **provisional**: Monday to
Friday, less the statutory holidays of 《全国年节及纪念日放假办法》 (2025 revision) on their
fixed or lunar dates: 元旦 1 January, 春节 除夕 to 正月初三, 清明 on its solar term, 劳动节 1–2
May, 端午 五月初五, 中秋 八月十五, 国庆 1–3 October. No adjusted working days (调休) are
guessed. Work is never blocked by a year nobody has entered; ``is_provisional``
tells a caller that an answer depends on such a year, so it can say so (a
deadline "provisional until the official arrangement is confirmed"), and an
administrator confirms the year by entering it (``services.calendar``), after
which the table answers.

Each public function loads a year's exceptions at most once per call (one query per year touched).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from chinese_calendar import get_solar_terms
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from lunardate import LunarDate

from jingban.core.errors import DomainError, Message
from jingban.core.models import CalendarYear, Holiday, HolidayKind

# Deadlines are counted in the bureau's own time zone, whatever the server's or user's.
SHANGHAI = ZoneInfo("Asia/Shanghai")

_ONE_DAY = timedelta(days=1)


def _not_covered_message(year: int) -> str:
    return gettext(
        "The working-day calendar does not cover %(year)s. "
        "An administrator must add that year's holidays first."
    ) % {"year": year}


# Lazy so the message renders in the language active when it is shown, not when it was raised.
_not_covered_message_lazy = lazy(_not_covered_message, str)


class CalendarNotCovered(DomainError):
    """The holiday table has no entry for the year of a date that was asked about."""

    code = "calendar_not_covered"
    status = 400
    default_message = _("The working-day calendar does not cover this year.")

    def __init__(self, year: int, *, field: str | None = None) -> None:
        message: Message = _not_covered_message_lazy(year)
        # A form names the field the uncovered date came from, so the message appears beside it.
        super().__init__(message, fields={field: [message]} if field else None)
        self.year = year


@dataclass(frozen=True)
class _YearExceptions:
    holidays: frozenset[date]
    workdays: frozenset[date]


def _lunar(year: int, month: int, day: int) -> date:
    solar: date = LunarDate(year, month, day).to_solar_date()
    return solar


def rule_holidays(year: int) -> dict[date, str]:
    """The statutory public holidays of ``year`` by rule (the 2025 revision of the national
    holiday measures), by date, with their names as the ``chinese-calendar`` package gives
    them; what a year without an official arrangement is counted with."""
    # 春节 falls between 21 January and 20 February, so 除夕 to 初三 lie in the same year.
    spring = _lunar(year, 1, 1)
    days: dict[date, str] = {date(year, 1, 1): "New Year's Day"}
    for offset in (-1, 0, 1, 2):
        days[spring + timedelta(days=offset)] = "Spring Festival"
    for day, term in get_solar_terms(date(year, 4, 1), date(year, 4, 10)):
        if term == "清明":
            days[day] = "Tomb-sweeping Day"
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = "Labour Day"
    days[_lunar(year, 5, 5)] = "Dragon Boat Festival"
    days[_lunar(year, 8, 15)] = "Mid-autumn Festival"
    for day_of_october in (1, 2, 3):
        days[date(year, 10, day_of_october)] = "National Day"
    return days


class _Calendar:
    """The exceptions of the years one call touches, each loaded once."""

    def __init__(self) -> None:
        self._years: dict[int, _YearExceptions] = {}

    def _load(self, year: int) -> _YearExceptions:
        # One query answers both "is the year covered?" and "what are its exceptions?".
        def kind_dates(kind: str) -> ArraySubquery:
            return ArraySubquery(
                Holiday.objects.filter(date__year=OuterRef("year"), kind=kind)
                .order_by()
                .values("date")
            )

        row = (
            CalendarYear.objects.filter(year=year)
            .annotate(
                holiday_dates=kind_dates(HolidayKind.HOLIDAY),
                workday_dates=kind_dates(HolidayKind.WORKDAY),
            )
            .values_list("holiday_dates", "workday_dates")
            .first()
        )
        if row is None:
            return _YearExceptions(frozenset(rule_holidays(year)), frozenset())
        holidays, workdays = row
        return _YearExceptions(frozenset(holidays or ()), frozenset(workdays or ()))

    def exceptions(self, year: int) -> _YearExceptions:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._load(year)
        return found

    def is_working_day(self, d: date) -> bool:
        exceptions = self.exceptions(d.year)
        if d.weekday() < 5:
            return d not in exceptions.holidays
        return d in exceptions.workdays


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a working day (工作日); by rule in a year the table does not cover."""
    return _Calendar().is_working_day(d)


def is_provisional(start: date, end: date | None = None) -> bool:
    """Whether an answer about the days from ``start`` to ``end`` (inclusive, either order)
    depends on a year the holiday table does not cover yet, so was counted by rule."""
    end = start if end is None else end
    low, high = sorted((start.year, end.year))
    covered = set(
        CalendarYear.objects.filter(year__range=(low, high)).values_list("year", flat=True)
    )
    return any(year not in covered for year in range(low, high + 1))


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day (工作日) after ``start``; for negative ``n``, before it.

    ``n = 0`` gives ``start`` itself when it is a working day, else the next working day. Days
    of a year the table does not cover are counted by rule (``is_provisional`` says so).
    """
    calendar = _Calendar()
    if n == 0:
        day = start
        while not calendar.is_working_day(day):
            day += _ONE_DAY
        return day
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    remaining = abs(n)
    day = start
    # Terminates: every year, covered or counted by rule, has working days.
    while remaining:
        day += step
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days (工作日) fall in ``(start, end]``; negative when ``end < start``.

    For ``end < start`` the result is minus the count in ``(end, start]``.
    """
    if end < start:
        return -working_days_between(end, start)
    calendar = _Calendar()
    count = 0
    day = start + _ONE_DAY
    while day <= end:
        if calendar.is_working_day(day):
            count += 1
        day += _ONE_DAY
    return count


# The holidays the ``chinese-calendar`` package names, by its English name. A seeded day stores
# "English / 中文" (services.calendar); pages and the CLI show the name in the user's language.
_PACKAGE_HOLIDAYS: dict[str, Message] = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("70th anniversary of the victory in the War of Resistance"),
}


def holiday_name(stored: str) -> str:
    """A holiday's name in the active language. A name seeded from the package ("National Day /
    国庆节", or the English name alone) is translated; a name an administrator typed is theirs
    and shows as typed."""
    english = stored.split(" / ", 1)[0].strip()
    known = _PACKAGE_HOLIDAYS.get(english)
    return str(known) if known is not None else stored


def today() -> date:
    """Today's date (今天) in Asia/Shanghai, where deadlines are counted."""
    return timezone.localdate(timezone=SHANGHAI)
