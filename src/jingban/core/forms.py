"""Forms whose rules live in the services: a service's domain error shown on the form, each
message beside its field, the summary on top."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from jingban.core.errors import DomainError


def add_domain_errors(
    form: forms.BaseForm, error: DomainError, *, field_map: Mapping[str, str] | None = None
) -> None:
    """Put ``error``'s messages on ``form``.

    A service names its fields (``document_number``); ``field_map`` says where a name shows on
    this form when it differs (the pack text ``content`` shown on the uploaded ``file``). A
    message for a field the form does not show goes on top. The error's own message goes on top
    when it is all there is, or when it says more than its kind's default (a summary such as
    "the pack does not load: 2 problems" above a long text).
    """
    names = field_map or {}
    for name, messages in error.fields.items():
        target = names.get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, str(message))
    if not error.fields or str(error.message) != str(type(error).default_message):
        form.add_error(None, str(error.message))


class DomainForm(forms.Form):
    """A form that shows a service's domain errors (``add_domain_errors``)."""

    def add_domain_errors(self, error: DomainError) -> None:
        add_domain_errors(self, error)
