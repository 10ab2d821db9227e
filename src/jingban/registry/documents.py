"""Identity documents and phone numbers of insured persons: validation, normalisation, masking.

Four document types are accepted (see ``DocumentType``):

居民身份证 (``resident_id``)
    The 18-character citizen identity number of GB 11643: a 6-digit place-of-issue code, the
    birth date as YYYYMMDD (characters 7–14), a 3-digit sequence whose last digit is odd for men
    and even for women (character 17), and a check character computed with ISO 7064 MOD 11-2
    ("0"–"9" or "X"). The birth date must be a real calendar date, not later than today and not
    earlier than 1890-01-01.

港澳台居民居住证 (``hkmt_residence``)
    Same format and checks, but the place-of-issue code is always 810000 (Hong Kong), 820000
    (Macao) or 830000 (Taiwan). Because these prefixes are never given to mainland resident
    identity cards, a resident ID starting with 81, 82 or 83 is rejected with a message that
    points at the residence-permit type instead.

外国人永久居留身份证 (``foreign_permanent``)
    The 18-digit card issued since 1 December 2023: the same structure and MOD 11-2 check as a
    resident ID, with "9" as the first character so it can never collide with a citizen number
    (whose province codes start with 1–8). The older 15-character cards (three letters and
    twelve digits) are not accepted by this type.

Passport (``passport``)
    5 to 17 letters and digits. Nothing is derived from a passport number.

Why the place-of-issue code is not looked up in a region list: a citizen number never changes
after it is assigned, while counties are merged, renamed and renumbered. A number issued under
a code that has since been withdrawn stays valid for life, so checking it against today's code
table would reject real people. Only the structural facts above (length, characters, checksum,
birth date, type prefix) are checked.

Numbers are normalised by stripping surrounding white space and upper-casing, so a trailing
lower-case "x" is stored as "X". Every error is raised as ``ValidationFailed`` with the
message on ``document_number`` (or ``document_type`` when the number belongs to another type),
in the shape the registry services merge into their own field errors.

Phones: mainland mobile numbers (11 digits starting with 13–19, an optional +86 / 86 prefix is
dropped) and landlines (area code 0XX or 0XXX, then 7 or 8 digits, stored as ``0512-12345678``).
When a landline is typed without the hyphen, the area code is split off by the national rule:
010 and 02X are three-digit codes, all others have four digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from jingban.core.errors import Message, ValidationFailed
from jingban.registry.models import DocumentType

__all__ = [
    "EARLIEST_BIRTH_DATE",
    "DocumentFacts",
    "carries_sex_and_birth_date",
    "mask_document",
    "mask_phone",
    "normalise_phone",
    "parse_document",
]

EARLIEST_BIRTH_DATE = date(1890, 1, 1)

# ISO 7064 MOD 11-2 as used by GB 11643: weight of each of the first 17 digits, and the check
# character indexed by (weighted sum mod 11).
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"

_ID_LENGTH = 18
_ID_CHARACTERS = frozenset("0123456789X")
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_HKMT_PREFIXES = ("810000", "820000", "830000")
_HKMT_PROVINCES = ("81", "82", "83")
_FOREIGN_PREFIX = "9"

_PASSPORT_MIN, _PASSPORT_MAX = 5, 17
_PASSPORT_SHAPE = re.compile(r"[0-9A-Za-z]+")

# Character classes are spelt out as [0-9]: in Python ``\d`` also matches full-width and other
# Unicode digits, which must not slip into a stored number.
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9][0-9]{9})")
_LANDLINE_SPLIT = re.compile(r"(0[0-9]{2,3})-([0-9]{7,8})")
_LANDLINE_COMPACT = re.compile(r"0[0-9]{9,11}")
_LOCAL_NUMBER = re.compile(r"[0-9]{7,8}")
_PHONE_SEPARATORS = re.compile(r"[\s\-]+")

_FIELD_NUMBER = "document_number"
_FIELD_TYPE = "document_type"
_FIELD_PHONE = "phone"


@dataclass(frozen=True)
class DocumentFacts:
    """What a valid document number says about its holder."""

    document_type: str
    number: str
    birth_date: date | None
    sex: str | None


def carries_sex_and_birth_date(document_type: str) -> bool:
    """Whether a valid number of this document type gives its holder's sex and birth date
    (every type but the passport), so that a form may leave those two fields empty."""
    return document_type in DocumentType.values and document_type != DocumentType.PASSPORT


def _number_error(message: Message) -> ValidationFailed:
    return ValidationFailed(fields={_FIELD_NUMBER: [message]})


def _type_error(message: Message) -> ValidationFailed:
    return ValidationFailed(fields={_FIELD_TYPE: [message]})


def _check_character(body: str) -> str:
    """The MOD 11-2 check character for a 17-digit body."""
    total = sum(int(digit) * weight for digit, weight in zip(body, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def _birth_date(number: str, *, today: date) -> date:
    text = number[6:14]
    try:
        born = date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise _number_error(
            _("The birth date in the number (characters 7 to 14) is not a real calendar date.")
        ) from None
    if born > today:
        raise _number_error(_("The birth date in the number is in the future."))
    if born < EARLIEST_BIRTH_DATE:
        raise _number_error(_("The birth date in the number is before 1890."))
    return born


def _parse_eighteen(number: str, *, today: date) -> tuple[date, str]:
    """Check the shared 18-character structure; return the birth date and sex it carries."""
    if any(char not in _ID_CHARACTERS for char in number):
        raise _number_error(
            _("The number may contain only digits and, as its last character, the letter X.")
        )
    if len(number) != _ID_LENGTH:
        raise _number_error(_("The number must have exactly 18 characters."))
    if not _ID_SHAPE.fullmatch(number):
        raise _number_error(_("Only the last character of the number may be the letter X."))
    if _check_character(number[:17]) != number[17]:
        raise _number_error(
            _("The check character of the number is wrong. Check the number for typing errors.")
        )
    born = _birth_date(number, today=today)
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return born, sex


def _parse_passport(number: str) -> None:
    if not _PASSPORT_SHAPE.fullmatch(number):
        raise _number_error(_("A passport number may contain only Latin letters and digits."))
    if not _PASSPORT_MIN <= len(number) <= _PASSPORT_MAX:
        raise _number_error(_("A passport number must have 5 to 17 letters and digits."))


def parse_document(document_type: str, number: str, *, today: date) -> DocumentFacts:
    """Validate ``number`` as a document of ``document_type`` and return what it carries.

    ``today`` is the reference date for the "birth date in the future" check; it is passed in so
    the caller decides the time zone and tests can fix it. Raises ``ValidationFailed``.
    """
    try:
        kind = DocumentType(document_type)
    except ValueError:
        raise _type_error(_("Unknown document type.")) from None

    cleaned = number.strip()
    if not cleaned:
        raise _number_error(_("Enter the document number."))

    if kind == DocumentType.PASSPORT:
        _parse_passport(cleaned)
        return DocumentFacts(
            document_type=kind.value, number=cleaned.upper(), birth_date=None, sex=None
        )

    # No character outside ASCII upper-cases to a digit or "X", so the character check in
    # _parse_eighteen can run on the upper-cased text.
    normalised = cleaned.upper()
    born, sex = _parse_eighteen(normalised, today=today)

    if kind == DocumentType.RESIDENT_ID:
        if normalised.startswith(_HKMT_PROVINCES):
            raise _type_error(
                _(
                    "This number belongs to a residence permit for Hong Kong, Macao and Taiwan "
                    "residents. Choose that document type."
                )
            )
        if normalised.startswith(_FOREIGN_PREFIX):
            # Citizens' numbers start with a province code 11–65; 9 marks a foreigner's card.
            raise _type_error(
                _(
                    "This number belongs to a foreign permanent resident ID card. Choose that "
                    "document type."
                )
            )
    elif kind == DocumentType.HKMT_RESIDENCE:
        if not normalised.startswith(_HKMT_PREFIXES):
            raise _type_error(
                _(
                    "The number does not fit a residence permit for Hong Kong, Macao and Taiwan "
                    "residents, whose numbers start with 810000, 820000 or 830000."
                )
            )
    elif kind == DocumentType.FOREIGN_PERMANENT:
        if not normalised.startswith(_FOREIGN_PREFIX):
            raise _type_error(
                _(
                    "The number does not fit a foreign permanent resident ID card, whose "
                    "numbers start with 9."
                )
            )

    return DocumentFacts(document_type=kind.value, number=normalised, birth_date=born, sex=sex)


def _mask_middle(text: str, *, keep_start: int, keep_end: int, min_hidden: int) -> str:
    """Keep ``keep_start`` and ``keep_end`` characters, asterisks between (``min_hidden`` or more).

    Text too short to keep both ends while hiding at least one character is masked entirely.
    """
    if len(text) <= keep_start + keep_end:
        return "*" * max(min_hidden, len(text))
    hidden = max(min_hidden, len(text) - keep_start - keep_end)
    return text[:keep_start] + "*" * hidden + text[len(text) - keep_end :]


def mask_document(document_type: str, number: str) -> str:
    """A document number fit for display: never the whole number.

    18-character numbers keep the place-of-issue code and the last four characters
    (``320582********1234``); anything else, passports included, keeps two characters at each
    end with at least three asterisks between. Works on stored data of any shape and never
    raises, whatever ``document_type`` says.
    """
    text = number.strip().upper()
    if not text:
        return ""
    if len(text) == _ID_LENGTH and document_type != DocumentType.PASSPORT:
        return _mask_middle(text, keep_start=6, keep_end=4, min_hidden=8)
    return _mask_middle(text, keep_start=2, keep_end=2, min_hidden=3)


def _phone_error(message: Message) -> ValidationFailed:
    return ValidationFailed(fields={_FIELD_PHONE: [message]})


def normalise_phone(phone: str) -> str:
    """Validate a mainland mobile or landline number and return it in its stored form.

    Mobiles come back as 11 digits (``13812345678``), landlines as ``0512-12345678``. An empty
    or blank input means "no phone" and returns ``""``. Raises ``ValidationFailed`` on "phone".
    """
    compact = re.sub(r"\s+", "", phone)
    if not compact:
        return ""

    split = _LANDLINE_SPLIT.fullmatch(compact)
    if split:
        return f"{split.group(1)}-{split.group(2)}"

    digits = _PHONE_SEPARATORS.sub("", compact)
    mobile = _MOBILE.fullmatch(digits)
    if mobile:
        return mobile.group(1)

    if _LANDLINE_COMPACT.fullmatch(digits):
        area_length = 3 if digits.startswith(("010", "02")) else 4
        area, local = digits[:area_length], digits[area_length:]
        if _LOCAL_NUMBER.fullmatch(local):
            return f"{area}-{local}"

    raise _phone_error(
        _(
            "Enter a mainland mobile number (11 digits starting with 1) or a landline number "
            "with its area code, such as 0512-12345678."
        )
    )


def mask_phone(phone: str) -> str:
    """A phone number fit for display: ``138****5678`` or ``0512-******78``.

    Never raises: a stored value that is no longer a valid phone keeps only its last two
    characters.
    """
    text = phone.strip()
    if not text:
        return ""
    try:
        normal = normalise_phone(text)
    except ValidationFailed:
        return _mask_middle(text, keep_start=0, keep_end=2, min_hidden=3)
    if "-" in normal:
        area, local = normal.split("-", 1)
        return f"{area}-{_mask_middle(local, keep_start=0, keep_end=2, min_hidden=3)}"
    return _mask_middle(normal, keep_start=3, keep_end=4, min_hidden=4)
