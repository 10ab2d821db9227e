"""What a person's record looks like on a page, in the API or in an export: the document number
and the phone masked, and the age instead of the birth date.

Why the age and not the birth date: a masked resident ID keeps its place-of-issue code and its
last four characters (sequence and check character). With the birth date beside it, the eight
hidden digits are exactly the birth date, so the whole number could be rebuilt without the
logged reveal. The age leaves about a year of candidate dates, and the check character then
still leaves dozens of numbers. The full number, and the birth date with it, come only from the
reveal, which asks for a purpose and is logged (``services.reveal_document``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jingban.core.calendar import today as local_today
from jingban.registry.documents import mask_document, mask_phone
from jingban.registry.models import Person


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day`` (周岁). Someone born on 29 February turns a year older
    on 1 March in common years."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return max(day.year - birth_date.year - (0 if had_birthday else 1), 0)


@dataclass(frozen=True)
class PersonShown:
    """The fields of a person safe to show beside each other to any viewer of the record."""

    document: str
    phone: str
    age: int


def shown(person: Person, *, today: dt.date | None = None) -> PersonShown:
    """Masked document and phone, and the age today in Asia/Shanghai (at death for the
    deceased)."""
    day = person.death_date or today or local_today()
    return PersonShown(
        document=mask_document(person.document_type, person.document_number),
        phone=mask_phone(person.phone),
        age=age_on(person.birth_date, day),
    )
