"""The enrollment pages' forms: the services decide what is valid; the forms parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.core.forms import DomainForm
from jingban.core.models import Scheme
from jingban.enrollment.models import Channel

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _schemes() -> list[tuple[str, str]]:
    return [(s.code, str(s)) for s in Scheme.objects.order_by("code")]


class EnrollForm(DomainForm):
    scheme = forms.ChoiceField(label=_("Scheme"), choices=())
    year = forms.IntegerField(label=_("Enrollment year"), min_value=1990, max_value=2100)
    tier = forms.ChoiceField(
        label=_("Contribution tier"),
        required=False,
        choices=[("", _("None")), ("tier_1", _("Tier 1")), ("tier_2", _("Tier 2"))],
    )
    effective = forms.DateField(label=_("Effective from"), widget=_DATE)
    enrolled_on = forms.DateField(
        label=_("Enrolled on"),
        widget=_DATE,
        required=False,
        help_text=_("The day the person applied or paid; today if left empty."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scheme"].choices = _schemes()  # type: ignore[attr-defined]


class ChangeForm(DomainForm):
    effective = forms.DateField(label=_("Effective from"), widget=_DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RenewForm(DomainForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class PaymentForm(DomainForm):
    scheme = forms.ChoiceField(label=_("Scheme"), choices=())
    year = forms.IntegerField(label=_("Contribution year"), min_value=1990, max_value=2100)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=0, max_digits=12, decimal_places=2
    )
    voucher = forms.CharField(
        label=_("Receipt or tax voucher number"),
        max_length=40,
        required=False,
        help_text=_("Left empty, a receipt number is made."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scheme"].choices = _schemes()  # type: ignore[attr-defined]


class UploadForm(DomainForm):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))


class PaymentUploadForm(UploadForm):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(Channel.TAX, Channel.TAX.label), (Channel.BANK, Channel.BANK.label)],
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or document number"), max_length=40, required=False)
