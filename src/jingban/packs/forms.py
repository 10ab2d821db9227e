"""Forms of the policy pack pages. They only parse input; the rules live in services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jingban.core.errors import DomainError
from jingban.core.forms import add_domain_errors
from jingban.engine.codes import CATEGORY_LABELS, PERSON_CATEGORIES
from jingban.engine.money import MoneyError, parse_yuan
from jingban.engine.policy.meta import (
    CONDITION_LABELS,
    CROSS_REGION_LABELS,
    HOSPITAL_LEVEL_LABELS,
    VISIT_TYPE_LABELS,
)
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


def _labelled(labels: Mapping[Any, tuple[str, str]]) -> list[tuple[str, str]]:
    """Codes of the engine with their labels in the active language, from the one bilingual
    list the pack pages use too (engine/policy/meta.py, engine/codes.py)."""
    chinese = (get_language() or "").startswith("zh")
    return [
        (str(getattr(code, "value", code)), pair[0 if chinese else 1])
        for code, pair in labels.items()
    ]


def _visit_types() -> list[tuple[str, str]]:
    return _labelled(VISIT_TYPE_LABELS)


def _conditions() -> list[tuple[str, str]]:
    return [("", str(_("None"))), *_labelled(CONDITION_LABELS)]


def _levels() -> list[tuple[str, str]]:
    return _labelled(HOSPITAL_LEVEL_LABELS)


def _person_categories() -> list[tuple[str, str]]:
    return _labelled({code: CATEGORY_LABELS[code] for code in PERSON_CATEGORIES})


def _cross_region() -> list[tuple[str, str]]:
    return _labelled(CROSS_REGION_LABELS)


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

    visit_type = forms.ChoiceField(label=_("Visit type"), choices=_visit_types)
    condition = forms.ChoiceField(label=_("Condition"), choices=_conditions, required=False)
    hospital_level = forms.TypedChoiceField(
        label=_("Hospital level"), choices=_levels, coerce=int, initial="3"
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
        label=_("Cross-region status"), choices=_cross_region, initial="local"
    )
