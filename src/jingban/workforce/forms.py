"""The workforce's forms. The rules live in ``services``; a form only reads the input and shows
the service's errors beside their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingban.core.forms import DomainForm
from jingban.core.models import Organisation, User
from jingban.registry.documents import mask_document
from jingban.registry.models import DocumentType
from jingban.workforce import queries, services
from jingban.workforce.models import (
    ASSESSOR_KINDS,
    CAREGIVER_KINDS,
    AffiliationKind,
    Assessor,
    AssessorClass,
    Caregiver,
    QualificationKind,
    QualificationLevel,
    StaffStatus,
)

_DATE = forms.DateInput(attrs={"type": "date"})


class _StaffForm(DomainForm):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    document_type = forms.ChoiceField(
        label=_("Document type"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(label=_("Document number"), max_length=32, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=StaffStatus.choices)

    def __init__(self, *args: Any, instance: Caregiver | Assessor | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            # The edit form never sends the stored number back to the browser.
            self.fields["document_number"].help_text = _(
                "On record: %(masked)s. Leave empty to keep it."
            ) % {"masked": mask_document(instance.document_type, instance.document_number)}
            self.fields["phone"].help_text = _("Leave empty to keep the phone on record.")


class CaregiverForm(_StaffForm):
    phone = forms.CharField(
        label=_("Check-in phone"),
        max_length=20,
        required=False,
        help_text=_("A mobile number or a landline with its area code."),
    )
    employer: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Employer"), queryset=Organisation.objects.none(), empty_label=None
    )
    training_hours = forms.IntegerField(label=_("Training hours"), min_value=0, initial=0)
    hired_on = forms.DateField(label=_("Hired on"), required=False, widget=_DATE)
    field_order = ("name", "document_type", "document_number", "phone", "employer", "status")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = queries.employers_for(user, services.CARE_EMPLOYERS)  # type: ignore[attr-defined]

    def to_input(self) -> services.StaffInput:
        data = self.cleaned_data
        phone = data["phone"]
        if self.instance is not None and not phone.strip():
            phone = self.instance.phone
        return services.StaffInput(
            name=data["name"],
            document_type=data["document_type"],
            document_number=data["document_number"],
            phone=phone,
            organisation_id=data["employer"].pk if data["employer"] else None,
            status=data["status"],
            training_hours=data["training_hours"] or 0,
            hired_on=data["hired_on"],
        )


class AssessorForm(_StaffForm):
    klass = forms.ChoiceField(label=_("Class"), choices=AssessorClass.choices)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Assessment institution"),
        queryset=Organisation.objects.none(),
        empty_label=None,
    )
    field_order = ("name", "klass", "document_type", "document_number", "phone", "organisation")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queries.employers_for(  # type: ignore[attr-defined]
            user, services.ASSESSOR_EMPLOYERS
        )

    def to_input(self) -> services.StaffInput:
        data = self.cleaned_data
        phone = data["phone"]
        if self.instance is not None and not phone.strip():
            phone = self.instance.phone
        return services.StaffInput(
            name=data["name"],
            document_type=data["document_type"],
            document_number=data["document_number"],
            phone=phone,
            organisation_id=data["organisation"].pk if data["organisation"] else None,
            status=data["status"],
            klass=data["klass"],
        )


class QualificationForm(DomainForm):
    kind = forms.ChoiceField(label=_("Qualification"))
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=[("", _("No level")), *list(QualificationLevel.choices)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=40)
    issued_on = forms.DateField(label=_("Issued on"), widget=_DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=_DATE)

    def __init__(self, *args: Any, for_caregiver: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = CAREGIVER_KINDS if for_caregiver else ASSESSOR_KINDS
        labels = dict(QualificationKind.choices)
        self.fields["kind"].choices = [(k.value, labels[k.value]) for k in kinds]  # type: ignore[attr-defined]

    def to_input(self) -> services.QualificationInput:
        data = self.cleaned_data
        return services.QualificationInput(
            kind=data["kind"],
            certificate_number=data["certificate_number"],
            issued_on=data["issued_on"],
            valid_until=data["valid_until"],
            level=data["level"],
        )


class AffiliationForm(DomainForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Care institution"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("Tie"), choices=AffiliationKind.choices)
    valid_from = forms.DateField(label=_("From"), widget=_DATE)
    valid_until = forms.DateField(label=_("Until"), required=False, widget=_DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queries.employers_for(  # type: ignore[attr-defined]
            user, services.CARE_EMPLOYERS
        )

    def to_input(self) -> services.AffiliationInput:
        data = self.cleaned_data
        return services.AffiliationInput(
            organisation_id=data["organisation"].pk,
            kind=data["kind"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            note=data["note"],
        )


class DrawForm(DomainForm):
    applicant_document = forms.CharField(
        label=_("Applicant's document number"),
        max_length=32,
        help_text=_("The whole number. Looking a person up by number is recorded."),
    )
    care_institution: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Applicant's care institution"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("None (care at home without an institution)"),
    )
    assessors = forms.IntegerField(
        label=_("Assessors needed"), min_value=0, max_value=10, initial=2
    )
    experts = forms.IntegerField(
        label=_("Assessment experts needed"), min_value=0, max_value=10, initial=1
    )
    previous_assessor: forms.ModelChoiceField[Assessor] = forms.ModelChoiceField(
        label=_("Assessor of the applicant's last assessment"),
        queryset=Assessor.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    exclude_previous = forms.BooleanField(
        label=_("The rules exclude the last assessment's assessor"), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["care_institution"].queryset = queries.employers_for(  # type: ignore[attr-defined]
            user, services.CARE_EMPLOYERS
        )
        self.fields["previous_assessor"].queryset = queries.assessors_for(user).order_by("name")  # type: ignore[attr-defined]
