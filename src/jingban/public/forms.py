"""What a visitor asks the policy page: a region, a scheme and a day (each with a default)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.core.models import Region, Scheme
from jingban.public import policy

# The days a pack may be asked about: wide enough for any contribution year on record.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)


class RegionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        # Indented by level, so a county reads under its city.
        depth = max(obj.path.count("/") - 1, 0)
        return "\u3000" * depth + obj.name


class PolicyQueryForm(forms.Form):
    region = RegionChoice(
        label=_("Region"),
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a region from the list.")},
    )
    scheme = forms.ModelChoiceField(
        label=_("Scheme"),
        queryset=Scheme.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a scheme from the list.")},
    )
    day = forms.DateField(
        label=_("Date"),
        help_text=_("The rules in force on this day (year-month-day)."),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as year-month-day, for example 2025-06-30.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = Region.objects.filter(
            level__in=policy.POLICY_REGION_LEVELS
        ).order_by("path")
        scheme_field = self.fields["scheme"]
        assert isinstance(scheme_field, forms.ModelChoiceField)
        scheme_field.queryset = Scheme.objects.filter(
            pk__in=[s.pk for s in policy.policy_schemes()]
        ).order_by("code")

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                _("Choose a day between %(first)s and %(last)s."),
                params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
            )
        return day
