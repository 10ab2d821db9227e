"""The one error shape of /api/v1, for the operations' ``response={...}`` declarations.

Every error answers ``{"code", "message", "fields"}``. The API object documents the statuses its
own layer produces on every operation (401, 422, and 400 and 403 where a body or a CSRF check
applies); an operation declares the ones its code can raise::

    @router.get("/things/{pk}", response={200: ThingOut, **errors(403, 404)})
"""

from __future__ import annotations

from ninja import Field, Schema


class ErrorOut(Schema):
    code: str = Field(
        description="Stable code: invalid, unauthenticated, forbidden, not_found, conflict …"
    )
    message: str = Field(description="What went wrong, in the user's language")
    fields: dict[str, list[str]] = Field(
        description="Messages per field of the request; empty when the error concerns no field"
    )


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``response`` entries documenting that the operation may answer these error statuses."""
    return dict.fromkeys(statuses, ErrorOut)
