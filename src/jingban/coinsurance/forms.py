"""The panel form (product, day in force from, up to ``ROWS`` insurers with their shares and the
chief) and the form that generates a month's statements. The rules are the services'."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.coinsurance import services
from jingban.core.forms import DomainForm
from jingban.core.models import Organisation, OrganisationKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ROWS = 12


def _product_choices() -> list[tuple[str, object]]:
    return [("", _("Choose a product")), *sorted(services.known_products().items())]


class PanelForm(DomainForm):
    product = forms.ChoiceField(label=_("Co-insured product"), choices=())
    effective_from = forms.DateField(label=_("In force from"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    chief = forms.TypedChoiceField(
        label=_("Chief insurer (row)"), coerce=int, choices=(), required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["product"].choices = _product_choices()  # type: ignore[attr-defined]
        insurers = [("", _("— none —"))] + [
            (o.code, o.name)
            for o in Organisation.objects.filter(kind=OrganisationKind.INSURER).order_by("code")
        ]
        self.fields["chief"].choices = [  # type: ignore[attr-defined]
            (n, _("Row %(row)d") % {"row": n}) for n in range(1, ROWS + 1)
        ]
        for n in range(1, ROWS + 1):
            self.fields[f"insurer_{n}"] = forms.ChoiceField(
                label=_("Insurer of row %(row)d") % {"row": n}, choices=insurers, required=False
            )
            self.fields[f"share_{n}"] = forms.CharField(
                label=_("Share of row %(row)d (%%)") % {"row": n},
                max_length=12,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, int]]:
        return [(self[f"insurer_{n}"], self[f"share_{n}"], n) for n in range(1, ROWS + 1)]

    def to_input(self) -> services.PanelInput:
        data = self.cleaned_data
        members = []
        for n in range(1, ROWS + 1):
            code = data.get(f"insurer_{n}") or ""
            share = (data.get(f"share_{n}") or "").strip()
            if code or share:
                members.append(services.MemberInput(code, share, data.get("chief") == n))
        effective_from: dt.date | None = data.get("effective_from")
        return services.PanelInput(data["product"], effective_from, members, data.get("note", ""))


class GenerateForm(DomainForm):
    product = forms.ChoiceField(label=_("Co-insured product"), choices=())
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["product"].choices = _product_choices()  # type: ignore[attr-defined]
