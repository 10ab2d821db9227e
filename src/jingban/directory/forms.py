"""The directory's forms: an entry (its rules are the service's, shown beside each field) and
a file to import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingban.core.forms import DomainForm
from jingban.core.models import Region, User
from jingban.directory import queries
from jingban.directory.models import BusinessLine, Entry, EntryKind
from jingban.directory.services import EntryInput


class RegionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class EntryForm(DomainForm):
    organisation_name = forms.CharField(
        label=pgettext_lazy("directory", "Organisation"), max_length=200
    )
    name = forms.CharField(label=pgettext_lazy("directory", "Department or window"), max_length=200)
    kind = forms.ChoiceField(label=pgettext_lazy("directory", "Kind"), choices=EntryKind.choices)
    business_lines = forms.MultipleChoiceField(
        label=pgettext_lazy("directory", "Business lines"),
        choices=BusinessLine.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    phones = forms.CharField(
        label=pgettext_lazy("directory", "Phone numbers"),
        max_length=300,
        help_text=_(
            "As written in China: 0411-83709172, 65006161 (without area code), 13812345678, "
            "12345. Separate several numbers with 、 or a comma."
        ),
    )
    address = forms.CharField(
        label=pgettext_lazy("directory", "Address"), max_length=300, required=False
    )
    opening_hours = forms.CharField(
        label=pgettext_lazy("directory", "Opening hours"), max_length=200, required=False
    )
    region = RegionChoice(label=_("Region"), queryset=Region.objects.none(), required=False)
    place_name = forms.CharField(
        label=pgettext_lazy("directory", "Place"),
        max_length=100,
        required=False,
        help_text=_("As citizens name it (大连市, 全国); the region's name when left empty."),
    )
    note = forms.CharField(
        label=pgettext_lazy("directory", "Services"), max_length=500, required=False
    )
    source = forms.CharField(
        label=pgettext_lazy("directory", "Source"),
        max_length=300,
        required=False,
        help_text=_("Where the numbers were taken from, shown with the entry."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, RegionChoice)
        region.queryset = queries.regions_for(user)
        self.fields["phones"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

    @staticmethod
    def initial_for(entry: Entry) -> dict[str, object]:
        return {
            "organisation_name": entry.organisation_name,
            "name": entry.name,
            "kind": entry.kind,
            "business_lines": list(entry.business_lines),
            "phones": entry.phones,
            "address": entry.address,
            "opening_hours": entry.opening_hours,
            "region": entry.region_id,
            "place_name": entry.place_name,
            "note": entry.note,
            "source": entry.source,
        }

    def entry_input(self) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            name=data["name"],
            organisation_name=data["organisation_name"],
            phones=data["phones"],
            business_lines=tuple(data["business_lines"]),
            kind=data["kind"],
            address=data["address"],
            opening_hours=data["opening_hours"],
            region=data["region"],
            place_name=data["place_name"],
            note=data["note"],
            source=data["source"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=pgettext_lazy("directory", "File"),
        help_text=_(
            "CSV or Excel (xlsx), with the columns of the list's download. Every row is "
            "checked first: if one is wrong, nothing is imported."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
