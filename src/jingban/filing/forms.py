"""The filing forms: the person's online form (for themself or as an agent), the window form
(the operator names the person by document number), refusal and cancellation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.core.forms import DomainForm
from jingban.core.models import Region, RegionLevel
from jingban.filing import places
from jingban.filing.models import Kind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def destination_choices(exclude_prefix: str = "") -> list[tuple[str, object]]:
    """Cities the regions table knows (outside the person's own area), then every province."""
    cities = [
        (code, name)
        for code, name in Region.objects.filter(level=RegionLevel.CITY)
        .order_by("code")
        .values_list("code", "name")
        if len(code) == 6 and not (exclude_prefix and code.startswith(exclude_prefix))
    ]
    provinces = [(f"{prefix}0000", name) for prefix, name in places.PROVINCES.items()]
    return [
        ("", "—"),
        (str(_("Cities")), cities),
        (str(_("Provinces (the whole province)")), provinces),
    ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MaterialsField(forms.FileField):
    """The proof, one file or several (each checked by the files app)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class FilingForm(DomainForm):
    kind = forms.ChoiceField(label=_("Kind of filing"), choices=[("", "—"), *Kind.choices])
    destination = forms.ChoiceField(label=_("Where you will be treated"))
    start = forms.DateField(
        label=_("Valid from"),
        widget=DATE,
        required=False,
        help_text=_("Empty: today."),
    )
    end = forms.DateField(
        label=_("Valid until"),
        widget=DATE,
        required=False,
        help_text=_(
            "Empty: the longest the kind allows (a long-term filing then runs until cancelled)."
        ),
    )
    commitment = forms.BooleanField(
        label=_(
            "I promise that I live or work there as stated, instead of a proof "
            "(personal commitment; a false statement is fund fraud)"
        ),
        required=False,
    )
    materials = MaterialsField(
        label=_("Proof (PDF, JPEG or PNG)"),
        required=False,
        allow_empty_file=True,
        help_text=_(
            "Residence or work proof, household registration proof, or the referral "
            "certificate, as the kind needs."
        ),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=500
    )

    def __init__(self, *args: Any, exclude_prefix: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["destination"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = destination_choices(exclude_prefix)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return data


class OnlineFilingForm(FilingForm):
    person = forms.ChoiceField(label=_("File for"))

    field_order = ["person"]

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(pk), name) for pk, name in people]


class WindowFilingForm(FilingForm):
    document_number = forms.CharField(
        label=_("Document number of the insured person"), max_length=40
    )
    paper_checked = forms.BooleanField(
        label=_("The paper proof was checked at the window (in effect at once)"),
        required=False,
    )

    field_order = ["document_number"]


class RefuseForm(DomainForm):
    reason = forms.CharField(
        label=_("Reason for refusal"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class CancelForm(DomainForm):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
    )
