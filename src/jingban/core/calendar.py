"""Working-day arithmetic (工作日计算) over the holiday table. Reads only; never changes state.

A day is a working day when it is Monday to Friday and not a HOLIDAY row, or a Saturday or Sunday
with a WORKDAY row (调休上班). A date in a year without a ``CalendarYear`` row raises
``CalendarNotCovered``: guessing "Monday to Friday" for a year nobody has entered would silently
put deadlines on public holidays.

Each public function loads a year's exceptions at most once per call (one query per year touched).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
            raise CalendarNotCovered(year)
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
    """Whether ``d`` is a working day (工作日).

    Raises ``CalendarNotCovered`` when the table does not cover ``d``'s year.
    """
    return _Calendar().is_working_day(d)


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day (工作日) after ``start``; for negative ``n``, before it.

    ``n = 0`` gives ``start`` itself when it is a working day, else the next working day. Only the
    days examined need to be covered; reaching an uncovered year raises ``CalendarNotCovered``.
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
    # Terminates: every covered year has finitely many days, and the first uncovered one raises.
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
