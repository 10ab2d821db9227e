"""Forms of the providers pages; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from jingban.core.forms import DomainForm
from jingban.core.models import Scheme
from jingban.files import checks
from jingban.providers.models import (
    AgreementState,
    CareForm,
    CheckKind,
    InstitutionKind,
    Outcome,
    OutcomeRule,
)
from jingban.providers.services import MAX_REPLY_FILES

DATE = forms.DateInput(attrs={"type": "date"})


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False)
    kind = forms.ChoiceField(
        label=_("Institution kind"),
        required=False,
        choices=[("", _("All kinds")), *InstitutionKind.choices],
    )
    state = forms.ChoiceField(
        label=_("Agreement state"),
        required=False,
        choices=[("", _("All states")), *AgreementState.choices],
    )
    region = forms.CharField(label=_("Region code"), required=False, max_length=12)


class EventForm(DomainForm):
    effective_on = forms.DateField(label=_("Effective date"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RectificationForm(DomainForm):
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    working_days = forms.IntegerField(
        label=_("Working days to rectify"), min_value=1, max_value=250
    )
    requirements = forms.CharField(
        label=_("Requirements"), widget=forms.Textarea(attrs={"rows": 4})
    )


class RenewalForm(DomainForm):
    number = forms.CharField(label=_("Agreement number"), max_length=40)
    valid_until = forms.DateField(label=_("New period ends on"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; the service checks each (the files app's rules)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ",".join(e for t in checks.ACCEPTED for e in t.extensions)}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


class ReplyForm(DomainForm):
    text = forms.CharField(label=_("What was put right"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = MultipleFileField(label=_("Evidence files"), required=False, allow_empty_file=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _(
            "Optional: photos or the corrected records, up to %(count)s files. Accepted: "
            "%(types)s; at most %(limit)s MB each."
        ) % {
            "count": MAX_REPLY_FILES,
            "types": checks.accepted_labels(),
            "limit": f"{checks.max_bytes() / 1048576:g}",
        }


class DecideForm(DomainForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("close", _("Close: rectified")),
            ("escalate", _("Escalate: suspend the agreement")),
        ],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("Effective date"), widget=DATE)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class ZoneForm(DomainForm):
    ltc_beds = forms.IntegerField(label=_("Long-term care beds"), min_value=0)
    ltc_beds_occupied = forms.IntegerField(label=_("Beds occupied"), min_value=0)
    ltc_doctors = forms.IntegerField(label=_("Doctors"), min_value=0)
    ltc_nurses = forms.IntegerField(label=_("Nurses"), min_value=0)
    ltc_caregivers = forms.IntegerField(label=_("Caregivers"), min_value=0)


class ChecklistForm(DomainForm):
    code = forms.CharField(label=_("Checklist code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    check_kind = forms.ChoiceField(label=_("Check kind"), choices=CheckKind.choices)
    total = forms.IntegerField(label=_("Total points"), min_value=1)
    pass_mark = forms.IntegerField(label=_("Pass mark"), min_value=0)
    items = forms.CharField(
        label=_("Items"),
        help_text=_("One item a line: its weight, a bar, the item (20 | service quality)."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class RuleForm(forms.ModelForm):
    class Meta:
        model = OutcomeRule
        fields = (
            "check_kind",
            "min_score",
            "below_score",
            "outcome",
            "rectification_days",
            "deposit_return_percent",
        )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["outcome"].choices = Outcome.choices  # type: ignore[attr-defined]

    def add_domain_errors(self, error: object) -> None:
        from jingban.core.forms import add_domain_errors

        add_domain_errors(self, error)  # type: ignore[arg-type]


class DesignationForm(DomainForm):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.all())
    care_form = forms.ChoiceField(label=_("Care form"), choices=CareForm.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)


class ApplicationForm(DomainForm):
    number = forms.CharField(label=_("Agreement number"), max_length=40)
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
    deposit_yuan = forms.IntegerField(
        label=_("Quality deposit (yuan)"), min_value=0, required=False
    )
