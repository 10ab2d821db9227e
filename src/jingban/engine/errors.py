"""The engine's errors: a stable code, an English message, and the parameters an application
needs to say it in the user's language (the engine itself knows no translations)."""

from __future__ import annotations


class CodedError(ValueError):
    def __init__(self, code: str, message: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(message)


class FieldError(CodedError):
    """A ``CodedError`` about one field of a claim or a row."""

    def __init__(self, code: str, field: str, message: str, **params: object) -> None:
        self.field = field
        super().__init__(code, message, **params)
