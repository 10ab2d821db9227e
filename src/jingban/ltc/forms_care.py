"""The care part's forms: a care plan and its change, check-in and check-out, a hospital stay
and its import. Services check the rules; these only read the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jingban.core.forms import DomainForm
from jingban.core.models import User
from jingban.core.scope import region_path_filter
from jingban.ltc.models import CareFormCode, Entitlement, EntitlementStatus
from jingban.ltc.services_care import SERVICE_ITEMS
from jingban.providers.models import Institution
from jingban.registry.models import Person

DATE = forms.DateInput(attrs={"type": "date"})


def providers_for(user: User) -> QuerySet[Institution]:
    """Institutions with an LTC designation in the user's region subtree."""
    region = region_path_filter(user, "organisation__region__path")
    return (
        Institution.objects.filter(region, designations__scheme__code="ltc")
        .select_related("organisation")
        .distinct()
        .order_by("organisation__code")
    )


class ProviderChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.organisation.name)


class EntitlementChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(name)s, level %(level)s, from %(start)s") % {
            "name": obj.person.name,
            "level": obj.level,
            "start": obj.start_on,
        }


class PlanFields(DomainForm):
    care_form = forms.ChoiceField(label=_("Care form"), choices=CareFormCode.choices)
    provider = ProviderChoice(
        label=_("Designated provider"), queryset=Institution.objects.none(), required=False
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    home_lat = forms.DecimalField(
        label=_("Home latitude"),
        help_text=_("Leave empty to take it from the first visit's check-in."),
        max_digits=9,
        decimal_places=6,
        required=False,
    )
    home_lon = forms.DecimalField(
        label=_("Home longitude"), max_digits=9, decimal_places=6, required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers_for(user)  # type: ignore[attr-defined]


class PlanForm(PlanFields):
    field_order = ("entitlement", "care_form", "provider", "effective_from")
    entitlement = EntitlementChoice(
        label=_("Benefit"), queryset=Entitlement.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["entitlement"].queryset = (  # type: ignore[attr-defined]
            Entitlement.objects.filter(region_path_filter(user), status=EntitlementStatus.ACTIVE)
            .select_related("person")
            .order_by("person__name", "-start_on")
        )
        self.order_fields(self.field_order)


class ChangeForm(PlanFields):
    confirm = forms.BooleanField(
        label=_("I understand the current plan ends the day before and cannot be reopened."),
    )


class CheckInForm(DomainForm):
    lat = forms.DecimalField(
        widget=forms.HiddenInput, max_digits=9, decimal_places=6, required=False
    )
    lon = forms.DecimalField(
        widget=forms.HiddenInput, max_digits=9, decimal_places=6, required=False
    )
    reason = forms.CharField(
        label=_("Reason (when a check fails)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CheckOutForm(CheckInForm):
    items = forms.MultipleChoiceField(
        label=_("Service items done"),
        choices=SERVICE_ITEMS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photo = forms.FileField(label=_("Photo"), required=False)


class StayForm(DomainForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DATE)
    discharged_on = forms.DateField(
        label=_("Discharged on"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty while the person is still in hospital."),
    )

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]


class StayImportForm(DomainForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A header row with the columns document_number, admitted_on, discharged_on; dates "
            "written as 2026-03-01."
        ),
    )
