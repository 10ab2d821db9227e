"""The desk's forms: the public filing form, the staff intake and the case's actions."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jingban.core.forms import DomainForm
from jingban.core.models import Organisation, Region, User
from jingban.core.scope import is_unrestricted, region_path_filter
from jingban.desk.models import CaseKind, Category, Channel, Satisfaction, SubjectType


def _regions() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        Region.objects.filter(level__in=["city", "county"]).order_by("code"),
        label=_("Where it happened"),
    )


class FilingForm(DomainForm):
    kind = forms.ChoiceField(label=_("What do you want to file?"), choices=CaseKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    region = _regions()
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 6}))
    subject_type = forms.ChoiceField(
        label=_("Whom the report is about"),
        choices=[("", _("Not a report")), *SubjectType.choices],
        required=False,
    )
    subject_text = forms.CharField(
        label=_("Name of the person or institution reported"), max_length=200, required=False
    )
    amount = forms.DecimalField(
        label=_("Money at stake (yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    anonymous = forms.BooleanField(
        label=_("File the report anonymously"),
        required=False,
        help_text=_("Only a fraud report can be anonymous. You get a secret code to track it."),
    )
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    document = forms.CharField(
        label=_("Your identity document number"), max_length=40, required=False
    )
    phone = forms.CharField(label=_("Your phone"), max_length=30, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            level__in=["city", "county"]
        ).order_by("code")


class IntakeForm(FilingForm):
    channel = forms.ChoiceField(label=_("Received through"), choices=Channel.choices)
    received_on = forms.DateField(
        label=_("Received on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Tracking number"), max_length=32)
    proof = forms.CharField(
        label=_("Last four characters of your document number, or your secret code"),
        max_length=32,
    )


def routable_organisations(user: User | None) -> QuerySet[Organisation]:
    """The bureau and the insurers working in ``user``'s area: within it, or at a region above
    it (a county's operator routes to the city's bureau). Everyone for the administrator."""
    organisations = Organisation.objects.filter(kind__in=["bureau", "insurer"])
    if user is not None and not is_unrestricted(user):
        path = user.region.path if user.region is not None else "-"
        above = [code for code in path.split("/") if code]
        organisations = organisations.filter(
            Q(region__path__startswith=path) | Q(region__code__in=above)
        )
    return organisations.order_by("code")


class RouteForm(DomainForm):
    organisation = forms.ModelChoiceField(
        Organisation.objects.filter(kind__in=["bureau", "insurer"]), label=_("Route to")
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: object, user: User | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if user is not None:
            self.fields["organisation"].queryset = routable_organisations(user)  # type: ignore[attr-defined]


class TextForm(DomainForm):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(DomainForm):
    satisfaction = forms.ChoiceField(
        label=_("The filer's satisfaction"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )


class ConfirmForm(DomainForm):
    verified = forms.DecimalField(
        label=_("Amount verified (yuan)"), min_value=0, max_digits=14, decimal_places=2
    )


class RuleForm(DomainForm):
    """A routing rule: the regions and organisations the editor may choose are those of their
    own area (the service checks it again)."""

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    region = forms.ModelChoiceField(Region.objects.none(), label=_("Cases from"))
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Handled by"))

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        regions = Region.objects.filter(region_path_filter(user, "path")).order_by("code")
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = routable_organisations(user)  # type: ignore[attr-defined]
