"""Reading the ``input`` nodes of a transaction: each missing required field or malformed
value raises ``FieldProblem`` naming it as the interface names it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jingban.medical.national.wire import (
    FieldProblem,
    parse_date,
    parse_datetime,
    quantity,
    yuan_to_fen,
)


class Node:
    """One node of ``input`` (``data``, ``mdtrtinfo``, one ``feedetail`` row)."""

    def __init__(self, data: Mapping[str, Any], tz: dt.tzinfo, where: str = "") -> None:
        self.data = data
        self.tz = tz
        self.where = where  # prefix of field names in messages: "feedetail[2]."

    def _name(self, name: str) -> str:
        return f"{self.where}{name}"

    def has(self, name: str) -> bool:
        value = self.data.get(name)
        return value is not None and value != ""

    def _raw(self, name: str, required: bool) -> Any:
        value = self.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise FieldProblem(self._name(name), _("is required"))
            return None
        return value

    def text(self, name: str, *, required: bool = True, default: str = "", size: int = 200) -> str:
        value = self._raw(name, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise FieldProblem(self._name(name), _("must be text"))
        text = str(value).strip()
        if "\x00" in text:
            raise FieldProblem(self._name(name), _("must not hold a null character"))
        if len(text) > size:
            raise FieldProblem(
                self._name(name), _("must be at most %(size)d characters") % {"size": size}
            )
        return text

    def code(self, name: str, table_codes: Sequence[str] | None = None, **kw: Any) -> str:
        value = self.text(name, size=10, **kw)
        if value and table_codes is not None and value not in table_codes:
            raise FieldProblem(self._name(name), _("is not a known code"))
        return value

    def fen(self, name: str, *, required: bool = True) -> int:
        value = self._raw(name, required)
        return 0 if value is None else yuan_to_fen(value, self._name(name))

    def quantity(self, name: str) -> Decimal:
        return quantity(self._raw(name, True), self._name(name))

    def datetime(self, name: str, *, required: bool = True) -> dt.datetime | None:
        value = self._raw(name, required)
        return None if value is None else parse_datetime(value, self._name(name), self.tz)

    def date(self, name: str) -> dt.date:
        return parse_date(self._raw(name, True), self._name(name))

    def integer(self, name: str) -> int:
        value = self._raw(name, True)
        if isinstance(value, bool):
            raise FieldProblem(self._name(name), _("must be a whole number"))
        try:
            number = int(str(value).strip())
        except ValueError:
            raise FieldProblem(self._name(name), _("must be a whole number")) from None
        if number < 0:
            raise FieldProblem(self._name(name), _("must not be negative"))
        return number


def node(payload: Mapping[str, Any], name: str, tz: dt.tzinfo) -> Node:
    """``input.<name>``, an object; required."""
    value = payload.get(name)
    if value is None:
        raise FieldProblem(f"input.{name}", _("is required"))
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], Mapping):
        value = value[0]  # some clients send a one-row list where the spec has an object
    if not isinstance(value, Mapping):
        raise FieldProblem(f"input.{name}", _("must be a JSON object"))
    return Node(value, tz)


def rows(payload: Mapping[str, Any], name: str, tz: dt.tzinfo) -> list[Node]:
    """``input.<name>``, a list of objects (at least one); an object alone counts as one."""
    value = payload.get(name)
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list) or not value:
        raise FieldProblem(f"input.{name}", _("is required: a list of at least one row"))
    found = []
    for index, row in enumerate(value):
        if not isinstance(row, Mapping):
            raise FieldProblem(f"{name}[{index}]", _("must be a JSON object"))
        found.append(Node(row, tz, where=f"{name}[{index}]."))
    return found
