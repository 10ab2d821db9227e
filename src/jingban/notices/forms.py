"""The form of a user's notice channels."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.notices import channels


class ChannelsForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Also send my notices by"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["channels"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(name, c.label) for name, c in channels.configured().items()]
