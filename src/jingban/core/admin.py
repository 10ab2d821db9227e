"""Core reference data in the admin: regions, organisations and their service windows, schemes,
and the holiday calendar. The site, its permissions and the action-log hooks are in
``admin_site``; the registry's special groups are registered in ``jingban.registry.admin``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models.query import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from jingban.core.admin_site import (
    ReferenceAdmin,
    ReferenceForm,
    ReferenceInline,
    acting_user,
    field_values,
    site,
)
from jingban.core.calendar import holiday_name
from jingban.core.models import (
    CalendarYear,
    Holiday,
    Organisation,
    OrganisationKind,
    Region,
    RegionLevel,
    Scheme,
    ServiceWindow,
)
from jingban.core.services.calendar import add_year, remove_day, set_day

# --- Regions -------------------------------------------------------------------------------

# Administrative codes (GB/T 2260 and the statistical town and village codes): six digits down
# to the county, nine for a town or street, twelve for a village or community.
_LEVEL_RANK = {level: rank for rank, level in enumerate(RegionLevel.values)}
_CODE_LENGTH = {
    RegionLevel.PROVINCE: 6,
    RegionLevel.CITY: 6,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWN: 9,
    RegionLevel.VILLAGE: 12,
}


def _code_prefix(code: str) -> str:
    """The part of a parent's code that its children's codes begin with: 320000 → 32,
    320500 → 3205, 320505 → 320505, 320505001 → 320505001."""
    if len(code) != 6:
        return code
    while code.endswith("00"):
        code = code[:-2]
    return code


def region_code_errors(code: str, level: str, parent: Region | None) -> dict[str, str]:
    """What is wrong with a new region's code, level and parent, by field."""
    if not code.isascii() or not code.isdigit():
        return {"code": str(_("An administrative code has digits only."))}
    length = _CODE_LENGTH.get(level)  # type: ignore[call-overload]
    if length is None:
        return {}  # the level field reports its own error
    if len(code) != length:
        return {
            "code": str(
                _("A code at this level has %(length)s digits; this one has %(count)s.")
                % {"length": length, "count": len(code)}
            )
        }
    if level == RegionLevel.PROVINCE:
        if not code.endswith("0000"):
            return {"code": str(_("A province's code ends in 0000."))}
        if parent is not None:
            return {"parent": str(_("A province has no parent region."))}
        return {}
    if level == RegionLevel.CITY and (not code.endswith("00") or code.endswith("0000")):
        return {"code": str(_("A city's code ends in 00, but not in 0000."))}
    if level == RegionLevel.COUNTY and code.endswith("00"):
        return {"code": str(_("A district or county's code does not end in 00."))}
    if parent is None:
        return {"parent": str(_("Choose the region this one belongs to."))}
    if _LEVEL_RANK[parent.level] >= _LEVEL_RANK[level]:
        return {"parent": str(_("The parent region must be at a higher level."))}
    if len(code) > 6 and parent.code != code[:-3]:
        # A town's code is its county's followed by three digits, a village's its town's.
        return {
            "parent": str(
                _("A region with code %(code)s belongs to region %(parent)s.")
                % {"code": code, "parent": code[:-3]}
            )
        }
    prefix = _code_prefix(parent.code)
    if not code.startswith(prefix) or code == parent.code:
        return {
            "code": str(
                _("A region under %(parent)s has a code beginning with %(prefix)s.")
                % {"parent": parent.name, "prefix": prefix}
            )
        }
    return {}


class RegionForm(ReferenceForm):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        # Code, level and parent are only in the form when the region is new (identity fields).
        if "code" in cleaned and "level" in cleaned and "parent" not in self.errors:
            errors = region_code_errors(cleaned["code"], cleaned["level"], cleaned.get("parent"))
            for name, message in errors.items():
                self.add_error(name, message)
        return cleaned


@admin.register(Region, site=site)
class RegionAdmin(ReferenceAdmin):
    """A region's path is built from its code and its parent's path, and every row below it,
    and every action row in it, is scoped by that path: code, level and parent are therefore
    fixed once the region exists. Only its name can change."""

    action_codes = {
        "add": "admin.core.region.add",
        "change": "admin.core.region.change",
        "delete": "admin.core.region.delete",
    }

    form = RegionForm
    list_display = ("code", "name", "level", "parent", "path")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("code", "name")
    ordering = ("path",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("path",)
    identity_fields = ("code", "level", "parent")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ("code", "name", "level", "parent")
        return (*fields, "path") if obj is not None else fields


# --- Organisations and their service windows ------------------------------------------------


class OrganisationForm(ReferenceForm):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        kind = cleaned.get("kind")
        if cleaned.get("schemes") and kind != OrganisationKind.INSURER:
            self.add_error(
                "schemes", _("Only a contracted insurer administers schemes under contract.")
            )
        level = cleaned.get("hospital_level")
        if level is not None:
            if kind != OrganisationKind.HOSPITAL:
                self.add_error("hospital_level", _("Only a hospital has a hospital level."))
            elif not 1 <= level <= 3:
                self.add_error("hospital_level", _("A hospital level is 1, 2 or 3."))
        return cleaned


class ServiceWindowInline(ReferenceInline):
    model = ServiceWindow
    fields = ("name", "region", "address", "phone", "opening_hours")
    autocomplete_fields = ("region",)


@admin.register(Organisation, site=site)
class OrganisationAdmin(ReferenceAdmin):
    action_codes = {
        "add": "admin.core.organisation.add",
        "change": "admin.core.organisation.change",
        "delete": "admin.core.organisation.delete",
    }
    form = OrganisationForm
    fields = ("code", "name", "kind", "region", "schemes", "hospital_level")
    list_display = ("code", "name", "kind", "region", "hospital_level")
    list_filter = ("kind", "region__level")
    list_select_related = ("region",)
    search_fields = ("code", "name", "region__name", "region__code")
    autocomplete_fields = ("region",)
    filter_horizontal = ("schemes",)
    inlines = (ServiceWindowInline,)
    identity_fields = ("code",)

    def audit_values(self, obj: Any) -> dict[str, object]:
        values = field_values(obj)
        windows = []
        for window in obj.windows.select_related("region").order_by("pk"):
            entry = field_values(window)
            entry.pop("organisation", None)
            windows.append({"id": window.pk, **entry})
        values["windows"] = windows
        return values


# --- Schemes -------------------------------------------------------------------------------


@admin.register(Scheme, site=site)
class SchemeAdmin(ReferenceAdmin):
    action_codes = {
        "add": "admin.core.scheme.add",
        "change": "admin.core.scheme.change",
        "delete": "admin.core.scheme.delete",
    }
    fields = ("code", "kind", "name_zh", "name_en")
    list_display = ("code", "name_zh", "name_en", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name_zh", "name_en")
    identity_fields = ("code",)


# --- The holiday calendar: written through its services --------------------------------------


class CalendarYearForm(ReferenceForm):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        user = self.acting_user
        if "year" in self.fields and not self.errors and user is not None:
            year, source = cleaned.get("year"), cleaned.get("source", "")
            if year is not None:
                self.rehearse(lambda: add_year(year=year, source=source, acting_user=user))
        return cleaned


@admin.register(CalendarYear, site=site)
class CalendarYearAdmin(ReferenceAdmin):
    """A new year goes through ``add_year``; its source note can be corrected afterwards. A year
    that still has holidays cannot be deleted: its working days would silently change."""

    action_codes = {
        "add": "admin.core.calendar_year.add",
        "change": "admin.core.calendar_year.change",
        "delete": "admin.core.calendar_year.delete",
    }

    form = CalendarYearForm
    audit_type = "core.calendar_year"
    fields = ("year", "source")
    list_display = ("year", "source", "holiday_count")
    search_fields = ("source",)
    identity_fields = ("year",)

    @admin.display(description=_("holidays and adjusted working days"))
    def holiday_count(self, obj: CalendarYear) -> int:
        return Holiday.objects.filter(date__year=obj.year).count()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        add_year(year=obj.year, source=obj.source, acting_user=acting_user(request))
        form.written_by_service = True

    def uses(self, obj: Any) -> Iterable[str]:
        count = Holiday.objects.filter(date__year=obj.year).count()
        if count:
            yield str(
                _("%(year)s: %(count)s holidays and adjusted working days")
                % {"year": obj.year, "count": count}
            )


class HolidayForm(ReferenceForm):
    service_fields = {"day": "date"}

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        user = self.acting_user
        day = cleaned.get("date", self.instance.date if self.instance.pk else None)
        if day is not None and not self.errors and user is not None:
            kind, name = cleaned.get("kind", ""), cleaned.get("name", "")
            self.rehearse(lambda: set_day(day=day, kind=kind, name=name, acting_user=user))
        return cleaned


@admin.register(Holiday, site=site)
class HolidayAdmin(ReferenceAdmin):
    """Every write goes through ``set_day`` and ``remove_day``, like the calendar page, so the
    same rules apply (the year must be covered, only a weekend can become a working day) and
    the same action rows are written. A day's date is what identifies it: to move a holiday,
    delete it and add the new date."""

    action_codes = {
        "add": "admin.core.holiday.add",
        "change": "admin.core.holiday.change",
        "delete": "admin.core.holiday.delete",
    }

    form = HolidayForm
    fields = ("date", "kind", "name")
    list_display = ("date", "weekday", "kind", "shown_name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)
    identity_fields = ("date",)

    @admin.display(description=_("name"), ordering="name")
    def shown_name(self, obj: Holiday) -> str:
        return holiday_name(obj.name)

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: Holiday) -> str:
        return date_format(obj.date, "l")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = set_day(
            day=obj.date, kind=obj.kind, name=obj.name, acting_user=acting_user(request)
        )
        obj.pk = saved.pk
        obj._state.adding = False
        form.written_by_service = True

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        remove_day(obj, acting_user=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for holiday in queryset:
                remove_day(holiday, acting_user=acting_user(request))
