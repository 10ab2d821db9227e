"""The decision part's forms; the rules themselves are in ``services_decision``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.core.forms import DomainForm
from jingban.ltc.models import Delivery, ObjectorKind, ReportKind
from jingban.ltc.services_decision import REASONS


class ObjectionForm(DomainForm):
    objector = forms.ChoiceField(label=_("Who is objecting"), choices=ObjectorKind.choices)
    objector_name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("Phone or address to reach you"), max_length=40, required=False
    )
    reason = forms.CharField(
        label=_("Reason for the objection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DecisionForm(DomainForm):
    delivery = forms.ChoiceField(label=_("How the letter is delivered"), choices=Delivery.choices)
    delivered_on = forms.DateField(
        label=_("Delivered on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _reason_choices(codes: tuple[str, ...]) -> list[tuple[str, object]]:
    return [(code, REASONS[code]) for code in codes]


class ChangeForm(DomainForm):
    reason = forms.ChoiceField(label=_("Reason"))
    effective_on = forms.DateField(
        label=_("Effective on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, reasons: tuple[str, ...], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reason"].choices = _reason_choices(reasons)  # type: ignore[attr-defined]


class ReassessForm(DomainForm):
    desk_case = forms.IntegerField(
        label=_("Number of the complaint or report on the desk"), min_value=1
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StatusReportForm(DomainForm):
    kind = forms.ChoiceField(label=_("What happened"), choices=ReportKind.choices)
    event_on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}))
    suspend = forms.BooleanField(
        label=_("Suspend the benefit during the hospital stay"),
        required=False,
        help_text=_("Otherwise the hospital stay recorded by the centre pauses the care days."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
