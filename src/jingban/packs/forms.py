"""Forms of the policy pack pages. They only parse input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.core.errors import DomainError
from jingban.packs.models import PackStatus
from jingban.packs.services import MAX_CONTENT, MAX_NOTE

_SOURCE = forms.Textarea(
    attrs={"rows": 20, "spellcheck": "false", "autocapitalize": "off", "class": "source"}
)


class _DomainForm(forms.Form):
    def add_domain_errors(self, error: DomainError, *, content_field: str = "content") -> None:
        """The service's messages beside their fields; ``content`` may be shown on another
        field (the file that was uploaded)."""
        if not error.fields or error.message != type(error).default_message:
            # The summary at the top of the form ("does not load: 2 problems"): the field's
            # messages may be below a long text.
            self.add_error(None, str(error.message))
        for field, messages in error.fields.items():
            name = content_field if field == "content" else field
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, str(message))


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
    note = forms.CharField(
        label=_("Note"),
        required=False,
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
