"""One family of domain errors, each with a stable code and a translatable message.

The API renders them as ``{"code", "message", "fields"}``; forms show the field messages beside
their fields. Messages are lazy so they render in the language active when they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Message = str | Promise


class DomainError(Exception):
    """Base of every error a user can cause and should be told about."""

    code = "error"
    status = 400
    default_message: Message = _("The request could not be carried out.")

    def __init__(
        self,
        message: Message | None = None,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[Message]] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields: dict[str, list[Message]] = {k: list(v) for k, v in (fields or {}).items()}
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {name: [str(m) for m in msgs] for name, msgs in self.fields.items()},
        }


class ValidationFailed(DomainError):
    code = "invalid"
    default_message = _("Some fields are not valid. Please correct them and try again.")


class NotFound(DomainError):
    """Also what an out-of-scope object looks like: its existence is not revealed."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    default_message = _("You do not have permission to do this.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("The record was changed by someone else. Reload and try again.")
