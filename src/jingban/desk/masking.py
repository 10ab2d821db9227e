"""How a filer shows to staff without the reveal capability (docs/masking.md): the surname, the
first and last characters of a document number, the first three and last four digits of a
phone."""

from __future__ import annotations


def mask_name(name: str) -> str:
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_document(number: str) -> str:
    number = number.strip()
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
