"""Chinese phone numbers as they are written in the bureaus' own lists (seed 002), checked by a
rule per form, with no library:

- a landline with its area code: ``0411-83709172``, ``0755-88366831``, ``0514-80979851``. An
  area code starts with 0; 010 and 02x (Beijing, Shanghai, Tianjin, Chongqing and the big cities
  of the 02x band) take 8-digit local numbers, the 0[3-9]xx codes 7 or 8 digits. ``(0411)8370…``
  and ``0411 8370…`` are the same number; an extension may follow as ``转123``;
- a local number without its area code, as Beijing writes its own (``65006161``): 7 or 8 digits,
  not starting with 0 or 1;
- a mobile number: 11 digits starting with 13–19 (``13812345678``, ``138-1234-5678``);
- a service hotline: the 5-digit government lines 123xx (``12345`` 政务服务便民热线, ``12393``
  医保服务热线, ``12333`` …), the 5-digit 95xxx/96xxx lines of insurers and utilities, and the
  10-digit 400/800 numbers.

Several numbers share a field, separated by ``、`` ``,`` ``，`` ``;`` or ``；``; they are stored
separated by ``、``. A number that fits no form is refused with the reason, in the reader's
language (``PhoneError``).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

MAX_NUMBERS = 10
_SEPARATORS = re.compile(r"[、,，;；]")
STORED_SEPARATOR = "、"

_FORMS = (
    re.compile(r"(?:010|02\d)-?[2-9]\d{7}(?:转\d{1,6})?"),
    re.compile(r"0[3-9]\d{2}-?[2-9]\d{6,7}(?:转\d{1,6})?"),
    re.compile(r"[2-9]\d{6,7}(?:转\d{1,6})?"),
    re.compile(r"1[3-9]\d-?\d{4}-?\d{4}"),
    re.compile(r"123\d{2}|9[56]\d{3}"),
    re.compile(r"[48]00-?\d{3}-?\d{4}"),
)
_BRACKETED_AREA = re.compile(r"^[(（](0\d{2,3})[)）]\s*")


class PhoneError(ValueError):
    """A phone field that holds something else than phone numbers; ``message`` says why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def split_phones(text: str) -> list[str]:
    """The numbers of a stored field, in order (no checking)."""
    return [part.strip() for part in _SEPARATORS.split(text or "") if part.strip()]


def normalise_number(raw: str) -> str:
    """One number in its written form with a hyphen after the area code: ``(0411) 83709172``
    and ``0411 83709172`` become ``0411-83709172``; other spaces go."""
    text = raw.strip()
    text = _BRACKETED_AREA.sub(r"\1-", text)
    return re.sub(r"\s+", "-", text)


def check_number(raw: str) -> str:
    """The number in its stored form, or ``PhoneError`` saying why it is none."""
    number = normalise_number(raw)
    if any(form.fullmatch(number) for form in _FORMS):
        return number
    raise PhoneError(
        _("“%(number)s” is not a phone number: %(reason)s")
        % {"number": raw.strip(), "reason": _reason(number)}
    )


def _reason(number: str) -> str:
    body = number.split("转", 1)[0]
    if re.search(r"[^\d-]", body):
        return _("a phone number holds only digits and hyphens (and 转 before an extension).")
    digits = body.replace("-", "")
    groups = body.split("-")
    if len(groups) > 1 and len(groups[0]) <= 3 and groups[0][:1] not in ("0", "1"):
        return _("an area code starts with 0 (0411-83709172).")
    if digits.startswith("1"):
        if len(digits) < 7 or digits.startswith("12"):
            return _(
                "a service hotline has 5 digits (12345, 12393); a mobile number has 11 digits."
            )
        return _("a mobile number has 11 digits starting with 13 to 19; this one has %(n)d.") % {
            "n": len(digits)
        }
    if digits.startswith("0"):
        return _(
            "after the area code a local number has 7 or 8 digits (8 after 010 and 02x) and "
            "does not start with 0 or 1."
        )
    return _(
        "a local number without an area code has 7 or 8 digits (65006161); this one has %(n)d."
    ) % {"n": len(digits)}


def parse_phones(text: str) -> list[str]:
    """Every number of a phone field, checked and normalised; ``PhoneError`` for the first
    that is not a number, for an empty field, or for too many numbers."""
    if not (text or "").strip():
        raise PhoneError(_("Enter at least one phone number."))
    parts = _SEPARATORS.split(text)
    if any(not part.strip() for part in parts):
        raise PhoneError(
            _("There is an empty place between two separators; separate numbers with 、 or ,.")
        )
    if len(parts) > MAX_NUMBERS:
        raise PhoneError(_("At most %(n)d numbers in one field.") % {"n": MAX_NUMBERS})
    return [check_number(part) for part in parts]


def clean_phones(text: str) -> str:
    """The field as stored: its numbers checked, normalised and joined with ``、``."""
    return STORED_SEPARATOR.join(parse_phones(text))


def tel_href(number: str) -> str:
    """The ``tel:`` address of a stored number (digits only; an extension after a pause)."""
    main, _sep, extension = number.partition("转")
    digits = re.sub(r"\D", "", main)
    return f"tel:{digits},{extension}" if extension else f"tel:{digits}"
