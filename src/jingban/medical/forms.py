"""Filters of the settlement pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.medical.models import SettlementStatus

DATE = forms.DateInput(attrs={"type": "date"})

MED_TYPE_CHOICES = [
    ("", _("All medical types")),
    ("11", _("General outpatient")),
    ("13", _("Emergency")),
    ("14", _("Chronic and special outpatient")),
    ("19", _("Accident outpatient")),
    ("21", _("General inpatient")),
    ("52", _("Maternity inpatient")),
]


class SettlementFilter(forms.Form):
    day_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    day_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    med_type = forms.ChoiceField(label=_("Medical type"), required=False, choices=MED_TYPE_CHOICES)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *SettlementStatus.choices],
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("day_from"), data.get("day_to")
        if start and end and end < start:
            self.add_error("day_to", _("The end is before the start."))
        return data


class BureauFilter(SettlementFilter):
    institution = forms.CharField(label=_("Institution code"), required=False, max_length=40)


class ReconciliationFilter(forms.Form):
    unbalanced = forms.BooleanField(label=_("Only those not balanced"), required=False)
