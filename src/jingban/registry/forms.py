"""The person form. It only parses input; the rules live in services (shared with the API)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingban.core.errors import DomainError
from jingban.core.forms import DomainForm, add_domain_errors
from jingban.core.models import User
from jingban.core.queries import regions_for
from jingban.registry import display
from jingban.registry.documents import carries_sex_and_birth_date
from jingban.registry.models import (
    AgentKind,
    AgentService,
    DocumentType,
    Person,
    Relation,
    RevealPurpose,
    Sex,
)
from jingban.registry.services import AuthorisationInput, PersonInput

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_FROM_DOCUMENT = _("From the document")
_CHOOSE = _("— choose —")


class PersonForm(forms.Form):
    """Registration, and editing. When editing, the document number, the birth date and the
    phone are never sent to the browser: each field starts empty, showing the masked value in
    its help text, and an empty field keeps what is stored (``to_input``). Typing a value
    replaces it."""

    document_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    document_number = forms.CharField(label=_("Document number"), max_length=32)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _FROM_DOCUMENT), *Sex.choices],
        help_text=_("Leave empty when the document number carries it."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=_DATE,
        help_text=_("Leave empty when the document number carries it."),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    clear_phone = forms.BooleanField(label=_("Remove the phone number"), required=False)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    region = forms.ChoiceField(label=_("Region"))
    death_date = forms.DateField(label=_("Date of death"), required=False, widget=_DATE)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: object,
        user: User,
        person: Person | None = None,
        **kwargs: object,
    ) -> None:
        if person is not None:
            kwargs.setdefault("initial", self.initial_for(person))
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.person = person
        self._offer_from_document()
        self.fields["region"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (r.code, f"{r.code} {r.name}") for r in regions_for(user).order_by("path")
        ]
        if person is None:
            del self.fields["death_date"]
            del self.fields["reason"]
            del self.fields["clear_phone"]
            return
        shown = display.shown(person)
        self.fields["document_number"].required = False
        self.fields["document_number"].help_text = _(
            "On record: %(masked)s. Leave empty to keep it; type the whole number to replace it."
        ) % {"masked": shown.document}
        self.fields["birth_date"].help_text = _(
            "Leave empty to keep the birth date on record (or take it from a new document "
            "number); enter a date to replace it."
        )
        if shown.phone:
            self.fields["phone"].help_text = _(
                "On record: %(masked)s. Leave empty to keep it; type a new number to replace it."
            ) % {"masked": shown.phone}
        else:
            del self.fields["clear_phone"]

    def _offer_from_document(self) -> None:
        """ "From the document" is offered for sex and birth date only while the chosen document
        type carries them (not for a passport). The page's script (person_form.js) switches
        the offer when the user changes the type; the labels it needs travel as data
        attributes."""
        if self.is_bound:
            chosen = str(self.data.get("document_type") or "")
        else:
            chosen = str(self.initial.get("document_type") or DocumentType.choices[0][0])
        derived = carries_sex_and_birth_date(chosen)
        self.fields["document_type"].widget.attrs["data-derived-types"] = " ".join(
            t for t in DocumentType.values if carries_sex_and_birth_date(t)
        )
        sex = self.fields["sex"]
        sex.widget.attrs.update(
            {"data-derived-label": str(_FROM_DOCUMENT), "data-blank-label": str(_CHOOSE)}
        )
        sex.choices = [("", _FROM_DOCUMENT if derived else _CHOOSE), *Sex.choices]  # type: ignore[attr-defined]
        if not derived:
            sex.help_text = ""
            self.fields["birth_date"].help_text = ""

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, object]:
        """What the edit form starts with: no document number, birth date or phone."""
        return {
            "document_type": person.document_type,
            "name": person.name,
            "sex": person.sex,
            "address": person.address,
            "region": person.region.code,
            "death_date": person.death_date,
        }

    def to_input(self) -> PersonInput:
        d = self.cleaned_data
        number = (d.get("document_number") or "").strip()
        phone = (d.get("phone") or "").strip()
        birth_date = d.get("birth_date")
        person = self.person
        if person is not None:
            if not number:
                number = person.document_number
            if d.get("clear_phone"):
                phone = ""
            elif not phone:
                phone = person.phone
            if birth_date is None and d["document_type"] == DocumentType.PASSPORT:
                # A passport carries no birth date: keep the one on record. Other documents
                # carry it, and the services take it from the number.
                birth_date = person.birth_date
        return PersonInput(
            document_type=d["document_type"],
            document_number=number,
            name=d["name"],
            region_code=d["region"],
            sex=d.get("sex") or "",
            birth_date=birth_date,
            phone=phone,
            address=d.get("address") or "",
            death_date=d.get("death_date"),
        )

    def add_domain_errors(self, error: DomainError) -> None:
        add_domain_errors(self, error)


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
    # No default: the relation is the operator's to state, never a guess the form makes.
    relation = forms.ChoiceField(
        label=_("Relation to the head"), choices=[("", _CHOOSE), *Relation.choices]
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=_DATE)


class LeaveForm(DomainForm):
    left_on = forms.DateField(label=_("Left on"), widget=_DATE)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class AuthorisationForm(DomainForm):
    agent = forms.CharField(
        label=_("Agent's document number or name"),
        max_length=100,
        help_text=_(
            "As on the letter of authorisation. The agent must be registered with an account: "
            "they sign in with it to act for the person."
        ),
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
            agent=d["agent"],
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
    """The agent's form for the person's phone and address. The phone on record is never sent
    to the browser: the field starts empty with the masked number in its help text, and an
    empty field keeps it."""

    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    clear_phone = forms.BooleanField(label=_("Remove the phone number"), required=False)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)

    def __init__(self, *args: object, person: Person, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"address": person.address})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        masked = display.shown(person).phone
        if masked:
            self.fields["phone"].help_text = _(
                "On record: %(masked)s. Leave empty to keep it; type a new number to replace it."
            ) % {"masked": masked}
        else:
            del self.fields["clear_phone"]

    def phone_change(self) -> str | None:
        """The new phone, ``""`` to remove it, or None to keep the one on record."""
        if self.cleaned_data.get("clear_phone"):
            return ""
        return (self.cleaned_data.get("phone") or "").strip() or None


class RevealForm(DomainForm):
    """Why the full number is needed (PIPL: a stated purpose for each reveal)."""

    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("", "—"), *RevealPurpose.choices],
        # The service's own words, so the page and the API refuse alike.
        error_messages={
            "required": _("Choose why you need the full number."),
            "invalid_choice": _("Unknown purpose."),
        },
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        help_text=_('Required for "Other"; for example the case number.'),
    )
