"""Finding a birth date beside a masked document number in a response.

A masked resident ID keeps the place-of-issue code and the last four characters; the eight
hidden digits are the birth date. So a response that carries a person's masked number and their
birth date (in any common writing) or their birth year near it gives the number back. The check:

- for every person whose masked number is in the body,
- the birth date in any of ``date_forms`` anywhere in the body is a leak;
- in HTML, the birth year as a number of its own (not part of a longer one) in the visible text
  or an attribute value within ``YEAR_WINDOW`` characters of the masked number is a leak;
- in JSON, a ``birth_date`` key anywhere is a leak, and so is the birth year as a value (or
  inside a value) of the same object as the masked number.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from jingban.registry.documents import mask_document
from jingban.registry.models import Person

YEAR_WINDOW = 160

_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_ATTRIBUTE = re.compile(r"""\s[\w:-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True)
class Holder:
    pk: int
    masked: str
    birth_date: dt.date


def holders(persons: Iterable[Person]) -> list[Holder]:
    return [
        Holder(p.pk, mask_document(p.document_type, p.document_number), p.birth_date)
        for p in persons
    ]


def date_forms(day: dt.date) -> list[str]:
    """The ways a birth date is commonly written."""
    return [
        f"{day:%Y-%m-%d}",
        f"{day:%Y%m%d}",
        f"{day:%Y/%m/%d}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day:%Y.%m.%d}",
        f"{day:%Y年%m月%d日}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%d/%m/%Y}",
        f"{day:%m/%d/%Y}",
        f"{day.year}-{day.month}-{day.day}",
    ]


def _year(day: dt.date) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9]){day.year}(?![0-9])")


def visible_text(body: str) -> str:
    """The page's text with each tag replaced by its attribute values (an input's value, a
    title …), so a year hidden in an attribute is still near the number."""
    body = _SCRIPT.sub(" ", body)

    def tag(match: re.Match[str]) -> str:
        values = [a or b for a, b in _ATTRIBUTE.findall(match.group(0))]
        return " " + " ".join(v for v in values if v) + " "

    return " ".join(html.unescape(_TAG.sub(tag, body)).split())


def _json_objects(data: object) -> Iterable[dict[str, object]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _json_objects(value)
    elif isinstance(data, list):
        for item in data:
            yield from _json_objects(item)


def _has_key(data: object, key: str) -> bool:
    return any(key in obj for obj in _json_objects(data))


def leaks(body: str, people: list[Holder], *, is_json: bool = False) -> list[str]:
    """What in ``body`` puts a birth date or year beside a masked number (empty: nothing)."""
    found: list[str] = []
    present = [h for h in people if h.masked and h.masked in body]
    for holder in present:
        for form in date_forms(holder.birth_date):
            if form in body:
                found.append(f"person {holder.pk}: birth date {form!r}")
    if not present:
        return found
    if is_json:
        data = json.loads(body)
        if _has_key(data, "birth_date"):
            found.append("a birth_date field")
        for obj in _json_objects(data):
            scalars = [v for v in obj.values() if isinstance(v, str | int)]
            for holder in present:
                if holder.masked not in scalars:
                    continue
                year = _year(holder.birth_date)
                if any(year.search(str(v)) for v in scalars if v != holder.masked):
                    found.append(f"person {holder.pk}: birth year in the same object")
        return found
    text = visible_text(body)
    for holder in present:
        year = _year(holder.birth_date)
        for match in re.finditer(re.escape(holder.masked), text):
            window = text[max(match.start() - YEAR_WINDOW, 0) : match.end() + YEAR_WINDOW]
            if year.search(window.replace(holder.masked, " ")):
                found.append(f"person {holder.pk}: birth year near the masked number")
                break
    return found
