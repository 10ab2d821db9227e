"""The supplementary forms: the operator's window form (the person named by document number,
the product, how the premium was paid), the insured person's online enrollment (for themself or
a principal), and the claim of a settlement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.core.forms import DomainForm
from jingban.supplementary.models import PaymentMethod


def product_choices() -> list[tuple[str, str]]:
    from jingban.supplementary import rules

    return [("", "—")] + [(p.id, p.supplementary.supplementary.label.zh) for p in rules.products()]


class WindowEnrollForm(DomainForm):
    document_number = forms.CharField(
        label=_("Document number of the insured person"),
        max_length=40,
        help_text=_("The resident identity card number, as on the card."),
    )
    product = forms.ChoiceField(label=_("Product"))
    method = forms.ChoiceField(
        label=_("Payment method"),
        choices=[
            ("", "—"),
            (PaymentMethod.WINDOW, PaymentMethod.WINDOW.label),
            (PaymentMethod.BANK, PaymentMethod.BANK.label),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = product_choices()  # type: ignore[attr-defined]


class OnlineEnrollForm(DomainForm):
    person = forms.TypedChoiceField(label=_("Insured person"), coerce=int)
    product = forms.ChoiceField(label=_("Product"))

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people  # type: ignore[attr-defined]
        self.fields["product"].choices = product_choices()  # type: ignore[attr-defined]


class ClaimForm(DomainForm):
    settlement = forms.TypedChoiceField(label=_("Settlement"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, settlements: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["settlement"].choices = settlements  # type: ignore[attr-defined]
