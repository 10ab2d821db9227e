"""The interface's wire format: amounts in yuan with two decimals (数值型 16,2) converted exactly
to and from int fen, dates and times as the specification writes them, and JSON written with
amounts as numbers carrying their two decimals (``12.30``, not ``12.3``).

Pure functions: no Django models, no database."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

# Amounts above 16 digits before the point do not fit the specification's 16,2.
MAX_YUAN = Decimal("99999999999999.99")
_NUMBER = re.compile(r"^\s*\d+(\.\d+)?\s*$")


class FieldProblem(Exception):
    """A field of the request is missing or has the wrong shape: the answer names it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def loads(body: bytes) -> Any:
    """Parse a request body; numbers with a fraction become exact ``Decimal``."""
    return json.loads(body, parse_float=Decimal)


def yuan_to_fen(value: object, field: str) -> int:
    """An amount in yuan (a JSON number or a numeric string) as int fen, exactly; negative,
    non-numeric or more than two decimals → ``FieldProblem`` naming ``field``."""
    if isinstance(value, bool) or value is None:
        raise FieldProblem(field, _("must be an amount in yuan"))
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, float):  # not produced by ``loads``; callers passing floats
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        if not _NUMBER.match(value) and not re.match(r"^\s*-\d", value):
            raise FieldProblem(field, _("must be an amount in yuan"))
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise FieldProblem(field, _("must be an amount in yuan")) from None
    else:
        raise FieldProblem(field, _("must be an amount in yuan"))
    if not amount.is_finite():
        raise FieldProblem(field, _("must be an amount in yuan"))
    if amount < 0:
        raise FieldProblem(field, _("must not be negative"))
    if amount > MAX_YUAN:
        raise FieldProblem(field, _("is too large"))
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise FieldProblem(field, _("must have at most two decimals"))
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    """int fen → yuan with exactly two decimals (``Decimal('12.30')``)."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def quantity(value: object, field: str) -> Decimal:
    """A quantity (数量, 16,4): positive, at most four decimals."""
    if isinstance(value, bool) or value is None:
        raise FieldProblem(field, _("must be a number"))
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise FieldProblem(field, _("must be a number")) from None
    if not number.is_finite():
        raise FieldProblem(field, _("must be a number"))
    if number <= 0:
        raise FieldProblem(field, _("must be more than zero"))
    if number != number.quantize(Decimal("0.0001")):
        raise FieldProblem(field, _("must have at most four decimals"))
    return number


def unit_price_to_fen(value: object, field: str) -> int:
    """A unit price (单价, 16,6). jingban keeps prices in fen: more than two decimals is refused
    unless the extra digits are zeros."""
    return yuan_to_fen(value, field)


_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y%m%d%H%M%S")


def parse_datetime(value: object, field: str, tz: dt.tzinfo) -> dt.datetime:
    """``yyyy-MM-dd HH:mm:ss`` (日期时间型) as an aware datetime in the bureau's time zone."""
    if isinstance(value, str):
        text = value.strip()
        for fmt in _DATETIME_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).replace(tzinfo=tz)
            except ValueError:
                continue
        try:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), tzinfo=tz)
        except ValueError:
            pass
    raise FieldProblem(field, _("must be a date and time like 2026-01-31 08:30:00"))


def parse_date(value: object, field: str) -> dt.date:
    """``yyyy-MM-dd`` (日期型); a date and time is cut to its date."""
    if isinstance(value, str):
        text = value.strip()[:10]
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise FieldProblem(field, _("must be a date like 2026-01-31"))


def format_datetime(value: dt.datetime | None, tz: dt.tzinfo) -> str | None:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if value is not None else None


def compact_time(value: dt.datetime) -> str:
    """``yyyyMMddHHmmssSSS`` as in ``refmsg_time`` and ``respond_time``."""
    return value.strftime("%Y%m%d%H%M%S") + f"{value.microsecond // 1000:03d}"


def dumps(data: Any) -> str:
    """JSON with ``Decimal`` written as a number as it is (``12.30``), dates as text, and
    Chinese as it is (not ``\\u`` escapes), as hospital systems expect."""
    parts: list[str] = []
    _write(data, parts)
    return "".join(parts)


def _write(value: Any, out: list[str]) -> None:
    if value is None or isinstance(value, bool | int | str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Decimal):
        out.append(format(value, "f"))
    elif isinstance(value, dt.datetime):
        out.append(json.dumps(value.strftime("%Y-%m-%d %H:%M:%S")))
    elif isinstance(value, dt.date):
        out.append(json.dumps(value.isoformat()))
    elif isinstance(value, Mapping):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out.append(",")
            out.append(json.dumps(str(key), ensure_ascii=False))
            out.append(":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif isinstance(value, float):
        out.append(repr(value))
    else:
        out.append(json.dumps(str(value), ensure_ascii=False))
