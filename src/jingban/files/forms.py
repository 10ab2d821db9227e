from django import forms
from django.utils.translation import gettext_lazy as _

from jingban.files import checks


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,  # the service says what is wrong, with the other checks
        allow_empty_file=True,
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(e for t in checks.ACCEPTED for e in t.extensions)}
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
