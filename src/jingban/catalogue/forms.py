"""The catalogue's forms: a version to import, a chronic-disease registration and its end."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.catalogue.models import ChronicDisease
from jingban.core.forms import DomainForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionImportForm(DomainForm):
    label = forms.CharField(
        label=_("Version name"), max_length=60, help_text=_("For example 2026年版.")
    )
    effective_from = forms.DateField(label=_("In force from"), widget=DATE)
    effective_to = forms.DateField(
        label=_("In force until (optional)"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty: until a later version starts."),
    )
    default_first_pay_rate = forms.DecimalField(
        label=_("Default class B first-payment rate (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        initial=Decimal(10),
    )
    sample = forms.BooleanField(label=_("Sample data (not a real catalogue)"), required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or Excel (xlsx), one row per item, with the columns 国家医保编码, 名称, "
            "类型, 类别 and optionally 先行自付比例, 最高支付限价, 单位, 限就诊类型, "
            "限定支付范围. Every row is checked first: if one is wrong, nothing is imported."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class DiseaseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: ChronicDisease) -> str:
        return str(obj)


class RegistrationForm(DomainForm):
    document_number = forms.CharField(label=_("The person's ID number"), max_length=32)
    disease = DiseaseChoice(
        label=_("Disease"), queryset=ChronicDisease.objects.filter(active=True).order_by("code")
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid until (optional)"), widget=DATE, required=False)
    hospital = forms.CharField(
        label=_("Certifying hospital (optional)"), max_length=200, required=False
    )


class EndForm(DomainForm):
    ended_on = forms.DateField(label=_("Last day covered"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
