"""The person form. It only parses input; the rules live in services (shared with the API)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingban.core.errors import ValidationFailed
from jingban.core.models import User
from jingban.core.queries import regions_for
from jingban.registry.models import (
    AgentKind,
    AgentService,
    DocumentType,
    Person,
    Relation,
    Sex,
)
from jingban.registry.services import AuthorisationInput, PersonInput

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    document_number = forms.CharField(label=_("Document number"), max_length=32)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("From the document")), *Sex.choices],
        help_text=_("Leave empty when the document number carries it."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=_DATE,
        help_text=_("Leave empty when the document number carries it."),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    region = forms.ChoiceField(label=_("Region"))
    death_date = forms.DateField(label=_("Date of death"), required=False, widget=_DATE)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: object, user: User, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (r.code, f"{r.code} {r.name}") for r in regions_for(user).order_by("path")
        ]
        if not editing:
            del self.fields["death_date"]
            del self.fields["reason"]

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, object]:
        return {
            "document_type": person.document_type,
            "document_number": person.document_number,
            "name": person.name,
            "sex": person.sex,
            "birth_date": person.birth_date,
            "phone": person.phone,
            "address": person.address,
            "region": person.region.code,
            "death_date": person.death_date,
        }

    def to_input(self) -> PersonInput:
        d = self.cleaned_data
        return PersonInput(
            document_type=d["document_type"],
            document_number=d["document_number"],
            name=d["name"],
            region_code=d["region"],
            sex=d.get("sex") or "",
            birth_date=d.get("birth_date"),
            phone=d.get("phone") or "",
            address=d.get("address") or "",
            death_date=d.get("death_date"),
        )

    def add_domain_errors(self, error: ValidationFailed) -> None:
        for field, messages in error.fields.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, str(message))


class DomainForm(forms.Form):
    """A form whose rules live in services: it shows their field errors beside its fields."""

    def add_domain_errors(self, error: ValidationFailed) -> None:
        if error.fields:
            for field, messages in error.fields.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, str(message))
        else:
            self.add_error(None, str(error.message))


class HouseholdForm(DomainForm):
    joined_on = forms.DateField(label=_("Head since"), widget=_DATE)
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=300,
        help_text=_("Leave empty to use the head's address."),
    )


class MemberForm(DomainForm):
    document_number = forms.CharField(
        label=_("Member's document number"),
        max_length=32,
        help_text=_("The person must already be registered."),
    )
    relation = forms.ChoiceField(label=_("Relation to the head"), choices=Relation.choices)
    joined_on = forms.DateField(label=_("Joined on"), widget=_DATE)


class LeaveForm(DomainForm):
    left_on = forms.DateField(label=_("Left on"), widget=_DATE)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class AuthorisationForm(DomainForm):
    agent_username = forms.CharField(
        label=_("Agent's user name"),
        max_length=150,
        help_text=_("The agent signs in with their own account."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AgentKind.choices)
    relation = forms.CharField(
        label=_("Relation to the person"),
        required=False,
        max_length=100,
        help_text=_("For example: daughter, neighbour, community worker."),
    )
    services = forms.MultipleChoiceField(
        label=_("Authorised services"),
        choices=AgentService.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=_DATE)
    valid_to = forms.DateField(label=_("Valid to"), widget=_DATE)
    basis = forms.CharField(
        label=_("Basis"),
        max_length=200,
        help_text=_("The letter of authorisation or the court order, with its number."),
    )

    def to_input(self) -> AuthorisationInput:
        d = self.cleaned_data
        return AuthorisationInput(
            agent_username=d["agent_username"],
            kind=d["kind"],
            services=tuple(d["services"]),
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
            basis=d["basis"],
            relation=d.get("relation") or "",
        )


class RevokeForm(DomainForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ContactForm(DomainForm):
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
