"""Forms of the policy pack pages. They only parse input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jingban.core.errors import DomainError
from jingban.core.forms import add_domain_errors
from jingban.engine.codes import CATEGORY_LABELS, PERSON_CATEGORIES
from jingban.engine.money import MoneyError, parse_yuan
from jingban.packs.models import PackStatus
from jingban.packs.services import MAX_CONTENT, MAX_NOTE

_SOURCE = forms.Textarea(
    attrs={"rows": 20, "spellcheck": "false", "autocapitalize": "off", "class": "source"}
)


class _DomainForm(forms.Form):
    def add_domain_errors(self, error: DomainError, *, content_field: str = "content") -> None:
        """The service's messages beside their fields; ``content`` may be shown on another
        field (the file that was uploaded), the summary on top."""
        add_domain_errors(self, error, field_map={"content": content_field})


class PackImportForm(_DomainForm):
    file = forms.FileField(
        label=_("Pack file (YAML)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
        help_text=_("A pack file such as sample-resident-2025.yaml, in UTF-8."),
    )
    content = forms.CharField(
        label=_("Or paste the text of the pack"),
        required=False,
        widget=_SOURCE,
        strip=False,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("file")
        pasted = str(data.get("content") or "")
        if upload and pasted.strip():
            raise forms.ValidationError(_("Choose a file or paste the text, not both."))
        if upload:
            raw = upload.read(MAX_CONTENT * 4 + 1)
            if len(raw) > MAX_CONTENT * 4:
                self.add_error("file", _("The file is too large for a policy pack."))
            else:
                try:
                    data["text"] = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    self.add_error("file", _("The file is not UTF-8 text."))
            data["source"] = getattr(upload, "name", "") or "<file>"
        elif not pasted.strip():
            self.add_error("content", _("Enter the text of the pack, or choose a file."))
        else:
            data["text"] = pasted
            data["source"] = "<text>"
        return data

    @property
    def content_field(self) -> str:
        """Where the service's messages on the pack text belong."""
        return "file" if self.cleaned_data.get("file") else "content"


class PackDraftForm(_DomainForm):
    content = forms.CharField(
        label=_("Text of the new version (YAML)"),
        widget=_SOURCE,
        strip=False,
        help_text=_(
            "The version number has been raised for you. Change the figures, then save: the new "
            "version is a draft until another person approves it."
        ),
    )


class ReviewForm(_DomainForm):
    """Approval takes a note: what the approver checked, kept on the version and in the log."""

    note = forms.CharField(
        label=_("Approval note"),
        help_text=_("What you checked (the notice it was compared with …), kept with the version."),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(_DomainForm):
    note = forms.CharField(
        label=_("Reason for the rejection"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Pack id or title"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *PackStatus.choices],
    )


VISIT_TYPES = [
    ("inpatient", _("Inpatient")),
    ("outpatient_general", _("Outpatient pooling")),
    ("outpatient_two_diseases", _("Two diseases (hypertension, diabetes)")),
    ("outpatient_chronic", _("Chronic and special outpatient care")),
    ("outpatient_dialysis", _("Special outpatient care (dialysis)")),
    ("maternity_natural", _("Childbirth (natural)")),
    ("maternity_cesarean", _("Childbirth (caesarean)")),
    ("accident_outpatient", _("Accident outpatient care")),
]
CONDITIONS = [("", _("None")), ("hypertension", _("Hypertension")), ("diabetes", _("Diabetes"))]
LEVELS = [("1", _("Level 1 and below")), ("2", _("Level 2")), ("3", _("Level 3"))]


def _person_categories() -> list[tuple[str, str]]:
    """The engine's person categories (one list for the engine and the registry), labelled in
    the active language."""
    chinese = (get_language() or "").startswith("zh")
    return [(code, CATEGORY_LABELS[code][0 if chinese else 1]) for code in PERSON_CATEGORIES]


CROSS_REGION = [
    ("local", _("Local treatment")),
    ("filed_long_term", _("Long-term residence elsewhere (filed)")),
    ("referral", _("Referral")),
    ("emergency", _("Emergency")),
    ("filed_temporary", _("Other temporary treatment (filed)")),
    ("unfiled", _("Treatment elsewhere without filing")),
]


class _YuanField(forms.CharField):
    """An amount in yuan with at most two decimals, as fen."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, value: object) -> int:
        text = str(super().clean(value) or "0")
        try:
            return parse_yuan(text)
        except MoneyError as err:
            message = {
                "money.negative": _("The amount must not be negative."),
                "money.too_precise": _("Give the amount in yuan with at most two decimals."),
            }.get(err.code, _("Enter an amount in yuan, like 1234.50."))
            raise forms.ValidationError(message, code=err.code) from err


class TrialForm(forms.Form):
    """A made-up claim to settle (试算)."""

    visit_type = forms.ChoiceField(label=_("Visit type"), choices=VISIT_TYPES)
    condition = forms.ChoiceField(label=_("Condition"), choices=CONDITIONS, required=False)
    hospital_level = forms.TypedChoiceField(
        label=_("Hospital level"), choices=LEVELS, coerce=int, initial="3"
    )
    service_date = forms.DateField(label=_("Service date"))
    discharge_date = forms.DateField(label=_("Discharge date"), required=False)
    total = _YuanField(label=_("Total"))
    out_of_scope = _YuanField(label=_("Out-of-scope amount"), required=False)
    class_b = _YuanField(label=_("Class B amount"), required=False)
    person_category = forms.ChoiceField(
        label=_("Person category"), choices=_person_categories, initial="general"
    )
    cross_region = forms.ChoiceField(
        label=_("Cross-region status"), choices=CROSS_REGION, initial="local"
    )
