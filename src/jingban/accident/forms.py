"""The accident insurance forms: a group's list, one person's enrollment at a window, a claim
(at a window, or online by the person or their agent), a refusal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.accident.models import Outcome, Payer
from jingban.core.forms import DomainForm
from jingban.engine.money import MoneyError, parse_yuan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
GRADES = [("", "—"), *[(str(g), _("Grade %(g)d") % {"g": g}) for g in range(1, 11)]]


class YuanField(forms.CharField):
    """An amount typed in yuan (at most two decimals), cleaned to fen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> int:
        text = (super().clean(value) or "").strip()
        if not text:
            return 0
        try:
            return parse_yuan(text)
        except MoneyError:
            raise forms.ValidationError(
                _("Enter an amount in yuan, such as 1200 or 1200.50.")
            ) from None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MaterialsField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ImportForm(DomainForm):
    organisation = forms.CharField(
        label=_("Enrolling organisation"),
        max_length=200,
        help_text=_("The ageing office, or the community or residents' committee."),
    )
    region = forms.ChoiceField(label=_("Region of the group"))
    payer = forms.ChoiceField(
        label=_("Premium paid by"),
        choices=[
            (Payer.COMMUNITY, Payer.COMMUNITY.label),
            (Payer.GOVERNMENT, Payer.GOVERNMENT.label),
        ],
    )
    start = forms.DateField(
        label=_("Cover from"), widget=DATE, required=False, help_text=_("Empty: today.")
    )
    file = forms.FileField(
        label=_("List (CSV or Excel)"),
        help_text=_("Columns: 身份证号码 (ID number), 姓名 (name), 联系电话 (phone, optional)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm that the group has paid the premium of every person on the list; an "
            "enrollment cannot be undone here."
        )
    )

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = regions


class EnrollForm(DomainForm):
    document_number = forms.CharField(label=_("ID number of the person"), max_length=40)
    payer = forms.ChoiceField(label=_("Premium paid by"), choices=Payer.choices)
    organisation = forms.CharField(
        label=_("Enrolling organisation"), max_length=200, required=False
    )
    start = forms.DateField(
        label=_("Cover from"), widget=DATE, required=False, help_text=_("Empty: today.")
    )
    confirm = forms.BooleanField(
        label=_("I confirm that the premium was paid; an enrollment cannot be undone here.")
    )


class ClaimForm(DomainForm):
    accident_date = forms.DateField(label=_("Accident date"), widget=DATE)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )
    medical_expenses = YuanField(
        label=_("Medical expenses (yuan)"), required=False, help_text=_("Empty: none.")
    )
    hospital_days = forms.IntegerField(
        label=_("Days in hospital"), min_value=0, max_value=3660, required=False
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    disability_grade = forms.ChoiceField(
        label=_("Disability grade"),
        choices=GRADES,
        required=False,
        help_text=_("Only for a disability: grade 1 is the most severe."),
    )
    materials = MaterialsField(
        label=_("Materials (PDF, JPEG or PNG)"),
        required=False,
        allow_empty_file=True,
        help_text=_("Hospital invoices, the discharge summary, the disability assessment."),
    )


class WindowClaimForm(ClaimForm):
    document_number = forms.CharField(label=_("ID number of the insured person"), max_length=40)

    field_order = ["document_number"]


class OnlineClaimForm(ClaimForm):
    person = forms.ChoiceField(label=_("Report for"))

    field_order = ["person"]

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(pk), name) for pk, name in people]


class RefuseForm(DomainForm):
    reason = forms.CharField(
        label=_("Reason for refusal"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class PayForm(DomainForm):
    confirm = forms.BooleanField(
        label=_("I have checked the materials: pay this amount. A payment cannot be undone.")
    )
