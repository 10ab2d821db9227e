"""The holiday table (节假日安排): seeding from ``chinese-calendar`` and an administrator's edits.

Every change here is atomic, refused without ``Cap.CALENDAR_EDIT`` (``acting_user=None`` is the
system itself) and written to the action log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import chinese_calendar
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.calendar import CalendarNotCovered
from jingban.core.errors import ValidationFailed
from jingban.core.models import CalendarYear, Holiday, HolidayKind, User
from jingban.core.permissions import require_capability
from jingban.core.roles import Cap
from jingban.core.services.reference import digest_rows

# The years an administrator may cover by hand: wide enough for any deadline this system computes,
# narrow enough that a typo (20255) is caught.
MIN_YEAR = 2000
MAX_YEAR = 2100

_NAME_MAX = Holiday._meta.get_field("name").max_length or 100
_SOURCE_MAX = CalendarYear._meta.get_field("source").max_length or 200


def package_years() -> range:
    """The years the installed ``chinese-calendar`` package has holiday data for (节假日数据)."""
    dates = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return range(min(dates).year, max(dates).year + 1)


def package_source() -> str:
    """The ``source`` recorded on a year seeded from the package, with the package's version."""
    return f"chinese-calendar {chinese_calendar.__version__}"


def _package_name(day: date) -> str:
    """The holiday's English and Chinese names, e.g. "National Day / 国庆节"."""
    _is_holiday, english = chinese_calendar.get_holiday_detail(day)
    if not english:
        return ""
    try:
        chinese = chinese_calendar.Holiday(english).chinese
    except ValueError:
        return str(english)[:_NAME_MAX]
    return f"{english} / {chinese}"[:_NAME_MAX]


def _package_rows(year: int) -> list[Holiday]:
    rows = [
        Holiday(date=d, kind=kind, name=_package_name(d))
        for table, kind in (
            (chinese_calendar.holidays, HolidayKind.HOLIDAY),
            (chinese_calendar.workdays, HolidayKind.WORKDAY),
        )
        for d in table
        if d.year == year
    ]
    rows.sort(key=lambda h: h.date)
    return rows


@transaction.atomic
def seed_from_chinese_calendar(
    years: Iterable[int] | None = None, *, acting_user: User | None
) -> int:
    """Fill the holiday table (节假日) from the ``chinese-calendar`` package.

    For each year (all the package covers when ``years`` is None) not yet in the table, create its
    ``CalendarYear`` and its HOLIDAY/WORKDAY rows, and write one action row with the count and a
    digest. A year already covered is left alone: from then on it is the administrator's, and
    re-seeding (say on every deployment) must not bring back a day they removed. Returns how many
    holiday rows were created; a second run returns 0 and writes nothing.
    """
    require_capability(acting_user, Cap.CALENDAR_EDIT)
    available = package_years()
    wanted = sorted(set(available if years is None else years))
    outside = [y for y in wanted if y not in available]
    if outside:
        raise ValidationFailed(
            fields={
                "year": [
                    _(
                        "The chinese-calendar package has no holidays for %(years)s; it covers "
                        "%(first)s–%(last)s."
                    )
                    % {
                        "years": ", ".join(map(str, outside)),
                        "first": available[0],
                        "last": available[-1],
                    }
                ]
            }
        )
    covered = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    source = package_source()
    created = 0
    for year in wanted:
        if year in covered:
            continue
        rows = _package_rows(year)
        # A day entered by hand before its year was covered keeps the administrator's version.
        existing = set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
        new_rows = [h for h in rows if h.date not in existing]
        CalendarYear.objects.create(year=year, source=source)
        Holiday.objects.bulk_create(new_rows)
        log_action(
            acting_user=acting_user,
            action="core.calendar.seeded",
            object_type="core.calendar_year",
            object_id=year,
            after={
                "year": year,
                "source": source,
                "rows": len(new_rows),
                "digest": digest_rows(
                    {"date": h.date.isoformat(), "kind": h.kind, "name": h.name} for h in new_rows
                ),
            },
        )
        created += len(new_rows)
    return created


@transaction.atomic
def add_year(*, year: int, source: str, acting_user: User | None) -> CalendarYear:
    """Cover a year (日历年度) by hand, e.g. once the State Council publishes its holidays.

    Its holidays and adjusted working days are then entered with ``set_day``.
    """
    require_capability(acting_user, Cap.CALENDAR_EDIT)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(
            fields={
                "year": [
                    _("Enter a year from %(min)s to %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
                ]
            }
        )
    source = source.strip()
    if len(source) > _SOURCE_MAX:
        raise ValidationFailed(
            fields={"source": [_("Use at most %(max)s characters.") % {"max": _SOURCE_MAX}]}
        )
    if CalendarYear.objects.filter(year=year).exists():
        raise ValidationFailed(
            fields={"year": [_("The calendar already covers %(year)s.") % {"year": year}]}
        )
    calendar_year = CalendarYear.objects.create(year=year, source=source)
    log_action(
        acting_user=acting_user,
        action="core.calendar.year_added",
        object_type="core.calendar_year",
        object_id=year,
        after={"year": year, "source": source},
    )
    return calendar_year


@transaction.atomic
def set_day(*, day: date, kind: str, name: str, acting_user: User | None) -> Holiday:
    """Make ``day`` a public holiday or an adjusted working day (调休上班), or change its entry.

    The year must already be covered (``add_year`` or seeding). Only a Saturday or Sunday can be
    made a working day: a WORKDAY row on a weekday would change nothing and only mislead.
    """
    require_capability(acting_user, Cap.CALENDAR_EDIT)
    errors: dict[str, list[str]] = {}
    if kind not in HolidayKind.values:
        errors["kind"] = [str(_("Choose a public holiday or an adjusted working day."))]
    elif kind == HolidayKind.WORKDAY and day.weekday() < 5:
        errors["kind"] = [str(_("Only a Saturday or Sunday can be made an adjusted working day."))]
    name = name.strip()
    if len(name) > _NAME_MAX:
        errors["name"] = [str(_("Use at most %(max)s characters.") % {"max": _NAME_MAX})]
    if errors:
        raise ValidationFailed(fields=errors)
    if not CalendarYear.objects.filter(year=day.year).exists():
        raise CalendarNotCovered(day.year, field="day")

    holiday = Holiday.objects.select_for_update().filter(date=day).first()
    before = {"kind": holiday.kind, "name": holiday.name} if holiday else None
    if holiday is None:
        holiday = Holiday.objects.create(date=day, kind=kind, name=name)
    else:
        holiday.kind, holiday.name = kind, name
        holiday.save(update_fields=["kind", "name"])
    log_action(
        acting_user=acting_user,
        action="core.calendar.day_set",
        object_type="core.holiday",
        object_id=day.isoformat(),
        before=before,
        after={"kind": kind, "name": name},
    )
    return holiday


@transaction.atomic
def remove_day(holiday: Holiday, *, acting_user: User | None) -> None:
    """Remove a holiday or adjusted working day; the date follows the Monday–Friday rule again."""
    require_capability(acting_user, Cap.CALENDAR_EDIT)
    log_action(
        acting_user=acting_user,
        action="core.calendar.day_removed",
        object_type="core.holiday",
        object_id=holiday.date.isoformat(),
        before={"kind": holiday.kind, "name": holiday.name},
    )
    holiday.delete()
