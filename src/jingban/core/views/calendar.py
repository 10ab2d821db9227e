"""The working-day calendar page (工作日历): one year's holidays, and an administrator's edits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jingban.core import queries
from jingban.core.calendar import holiday_name, today
from jingban.core.errors import DomainError, ValidationFailed
from jingban.core.models import Holiday, HolidayKind, User
from jingban.core.roles import Cap
from jingban.core.services.calendar import MAX_YEAR, MIN_YEAR, add_year, remove_day, set_day


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required has run
    return user


def _page_url(year: int) -> str:
    return f"{reverse('core:calendar')}?year={year}"


def _requested_year(raw: str | None) -> int:
    # Anything that is not a plausible year shows the current one rather than failing: the value
    # comes from a hand-editable URL, and a date lookup outside 1–9999 would raise.
    try:
        year = int(raw or "")
    except ValueError:
        return today().year
    return year if MIN_YEAR <= year <= MAX_YEAR else today().year


def _parse_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        message = _("Enter a date in the form YYYY-MM-DD.")
        raise ValidationFailed(fields={"day": [message]}) from None


def _parse_year(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValidationFailed(fields={"year": [_("Enter a year, e.g. 2027.")]}) from None


def _labelled(days: Iterable[Holiday]) -> list[Holiday]:
    """The days, each with ``label``: its name in the user's language (``holiday_name``)."""
    shown = list(days)
    for day in shown:
        day.label = holiday_name(day.name)  # type: ignore[attr-defined]
    return shown


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """Show one year of the holiday table (节假日); editors can add or change days and years."""
    user = _user(request)
    if not user.can(Cap.CALENDAR_VIEW):
        raise PermissionDenied
    can_edit = user.can(Cap.CALENDAR_EDIT)
    year = _requested_year(request.GET.get("year"))
    context: dict[str, Any] = {
        "day_form": {"day": "", "kind": HolidayKind.HOLIDAY.value, "name": ""},
        "year_form": {"year": "", "source": ""},
        "day_errors": {},
        "year_errors": {},
        "day_error": "",
        "year_error": "",
    }
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = request.POST.get("form", "")
        try:
            if form == "year":
                context["year_form"] = {k: request.POST.get(k, "") for k in ("year", "source")}
                added = add_year(
                    year=_parse_year(context["year_form"]["year"]),
                    source=context["year_form"]["source"],
                    acting_user=user,
                )
                messages.success(
                    request, _("The calendar now covers %(year)s.") % {"year": added.year}
                )
                return HttpResponseRedirect(_page_url(added.year))
            context["day_form"] = {k: request.POST.get(k, "") for k in ("day", "kind", "name")}
            day = _parse_day(context["day_form"]["day"])
            holiday = set_day(
                day=day,
                kind=context["day_form"]["kind"],
                name=context["day_form"]["name"],
                acting_user=user,
            )
            messages.success(request, _("%(date)s saved.") % {"date": holiday.date.isoformat()})
            return HttpResponseRedirect(_page_url(holiday.date.year))
        except DomainError as err:
            prefix = "year" if form == "year" else "day"
            context[f"{prefix}_errors"] = {k: [str(m) for m in v] for k, v in err.fields.items()}
            # A message not tied to one field still has to be seen.
            if not err.fields:
                context[f"{prefix}_error"] = str(err.message)
            status = 400
    else:
        status = 200

    covered_years = list(queries.calendar_years().values_list("year", flat=True))
    context.update(
        {
            "year": year,
            "covered": year in covered_years,
            "covered_years": covered_years,
            "days": _labelled(queries.holidays(year).order_by("date")),
            "can_edit": can_edit,
            "kinds": HolidayKind.choices,
            "min_year": MIN_YEAR,
            "max_year": MAX_YEAR,
        }
    )
    return render(request, "core/calendar.html", context, status=status)


@login_required
@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one holiday or adjusted working day, then show its year again."""
    user = _user(request)
    if not user.can(Cap.CALENDAR_EDIT):
        raise PermissionDenied
    holiday = queries.holiday_by_pk(pk)
    if holiday is None:
        raise Http404
    year = holiday.date.year
    removed = holiday.date.isoformat()
    remove_day(holiday, acting_user=user)
    messages.success(request, _("%(date)s removed.") % {"date": removed})
    return HttpResponseRedirect(_page_url(year))
