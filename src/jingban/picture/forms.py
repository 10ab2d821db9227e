"""The year selector and the person switcher of the picture page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PictureForm(forms.Form):
    """``?year=`` (and ``?person=`` on the insured's page); both optional."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=1, max_value=9999)
    person = forms.IntegerField(label=_("Whose picture"), required=False, min_value=1)
