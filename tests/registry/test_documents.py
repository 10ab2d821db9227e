"""Identity-document and phone validation: pure functions, no database."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from jingban.core.errors import ValidationFailed
from jingban.registry.documents import (
    DocumentFacts,
    mask_document,
    mask_phone,
    normalise_phone,
    parse_document,
)
from jingban.registry.models import DocumentType

TODAY = date(2025, 6, 30)
LONG_S = "\u017f"  # LATIN SMALL LETTER LONG S: str.upper() turns it into an ASCII "S"

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECKS = "10X98765432"


def with_check(body: str) -> str:
    """Complete a 17-digit body with its ISO 7064 MOD 11-2 check character."""
    assert len(body) == 17 and body.isascii() and body.isdigit()
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + CHECKS[total % 11]


def make_number(prefix: str, born: date | str, sequence: str = "123") -> str:
    birth = born if isinstance(born, str) else born.strftime("%Y%m%d")
    return with_check(prefix + birth + sequence)


def full_width(text: str) -> str:
    """The same ASCII letters and digits as their full-width forms (Ａ, １, ...)."""
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


def fails(document_type: str, number: str, *, today: date = TODAY) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        parse_document(document_type, number, today=today)
    return info.value


def only_message(err: ValidationFailed, field: str) -> str:
    """The error carries exactly one non-empty message, on ``field``."""
    assert list(err.fields) == [field]
    [message] = err.fields[field]
    text = str(message)
    assert text.strip()
    return text


# Known-good numbers -------------------------------------------------------------------------

RESIDENT = make_number("320582", "19900307", "123")  # sequence ends in 3: male
RESIDENT_FEMALE = make_number("110105", "19851231", "042")
HKMT = make_number("810000", "19750101", "001")
FOREIGN = make_number("915156", "19820615", "018")


def test_helper_matches_a_published_example() -> None:
    # The GB 11643 example number 11010519491231002X.
    assert with_check("11010519491231002") == "11010519491231002X"
    facts = parse_document("resident_id", "11010519491231002X", today=TODAY)
    assert facts.birth_date == date(1949, 12, 31)
    assert facts.sex == "F"


def test_resident_id_valid() -> None:
    facts = parse_document(DocumentType.RESIDENT_ID, RESIDENT, today=TODAY)
    assert facts == DocumentFacts(
        document_type="resident_id", number=RESIDENT, birth_date=date(1990, 3, 7), sex="M"
    )
    assert type(facts.document_type) is str


def test_resident_id_female() -> None:
    facts = parse_document("resident_id", RESIDENT_FEMALE, today=TODAY)
    assert facts.sex == "F"
    assert facts.birth_date == date(1985, 12, 31)


def test_resident_id_region_code_is_not_looked_up() -> None:
    # Codes that are withdrawn or were never assigned still pass: numbers are issued for life.
    for prefix in ("000000", "512300", "320500"):
        number = make_number(prefix, "19600101")
        assert parse_document("resident_id", number, today=TODAY).number == number


def test_number_is_stripped_and_lower_case_x_upper_cased() -> None:
    number = next(
        make_number("440301", "19700101", f"{seq:03d}")
        for seq in range(1000)
        if make_number("440301", "19700101", f"{seq:03d}").endswith("X")
    )
    facts = parse_document("resident_id", f"  {number.lower()}\t", today=TODAY)
    assert facts.number == number
    assert facts.number.endswith("X")


def test_hkmt_residence_valid() -> None:
    for prefix in ("810000", "820000", "830000"):
        number = make_number(prefix, "19750101", "002")
        facts = parse_document("hkmt_residence", number, today=TODAY)
        assert facts.document_type == "hkmt_residence"
        assert facts.birth_date == date(1975, 1, 1)
        assert facts.sex == "F"


def test_foreign_permanent_valid() -> None:
    facts = parse_document("foreign_permanent", FOREIGN, today=TODAY)
    assert facts.document_type == "foreign_permanent"
    assert facts.birth_date == date(1982, 6, 15)
    assert facts.sex == "F"
    male = make_number("911840", "20010203", "017")
    assert parse_document("foreign_permanent", male, today=TODAY).sex == "M"


def test_passport_valid() -> None:
    facts = parse_document("passport", "  e12345678 ", today=TODAY)
    assert facts == DocumentFacts(
        document_type="passport", number="E12345678", birth_date=None, sex=None
    )
    assert parse_document("passport", "AB123", today=TODAY).number == "AB123"
    assert parse_document("passport", "A" * 17, today=TODAY).number == "A" * 17


# Errors ------------------------------------------------------------------------------------


def test_unknown_document_type() -> None:
    err = fails("driving_licence", RESIDENT)
    only_message(err, "document_type")


@pytest.mark.parametrize("document_type", [t.value for t in DocumentType])
@pytest.mark.parametrize("number", ["", "   ", "\u3000"])
def test_empty_number(document_type: str, number: str) -> None:
    only_message(fails(document_type, number), "document_number")


@pytest.mark.parametrize(
    "number",
    [RESIDENT[:-1], RESIDENT + "1", "1234567890", "12345678901234567890"],
)
def test_wrong_length(number: str) -> None:
    only_message(fails("resident_id", number), "document_number")


@pytest.mark.parametrize(
    "number",
    [
        RESIDENT[:6] + "-" + RESIDENT[6:],
        RESIDENT[:17] + "Y",
        RESIDENT[:8] + "A" + RESIDENT[9:],
        full_width(RESIDENT),
        RESIDENT[:17] + "\u0663",  # ARABIC-INDIC DIGIT THREE: str.isdigit() is true
    ],
)
def test_illegal_characters(number: str) -> None:
    only_message(fails("resident_id", number), "document_number")


def test_x_not_in_last_position() -> None:
    only_message(fails("resident_id", "X" + RESIDENT[1:]), "document_number")


def test_bad_checksum() -> None:
    wrong = "0" if RESIDENT[-1] != "0" else "1"
    err = fails("resident_id", RESIDENT[:-1] + wrong)
    only_message(err, "document_number")
    with translation.override("en"):
        assert "check character" in str(err.fields["document_number"][0])


def test_impossible_birth_date() -> None:
    only_message(fails("resident_id", make_number("320582", "19990230")), "document_number")
    only_message(fails("resident_id", make_number("320582", "19991301")), "document_number")
    only_message(fails("resident_id", make_number("320582", "19990000")), "document_number")


def test_leap_day() -> None:
    assert parse_document("resident_id", make_number("320582", "20000229"), today=TODAY)
    only_message(fails("resident_id", make_number("320582", "19000229")), "document_number")


def test_birth_date_in_future() -> None:
    number = make_number("320582", "20250701")
    only_message(fails("resident_id", number), "document_number")
    # The same number is fine once that day has come.
    facts = parse_document("resident_id", number, today=date(2025, 7, 1))
    assert facts.birth_date == date(2025, 7, 1)


def test_birth_date_before_1890() -> None:
    only_message(fails("resident_id", make_number("320582", "18891231")), "document_number")
    assert parse_document("resident_id", make_number("320582", "18900101"), today=TODAY)


@pytest.mark.parametrize("province", ["81", "82", "83"])
def test_hkmt_number_given_as_resident_id(province: str) -> None:
    number = make_number(province + "0000", "19750101")
    text = only_message(fails("resident_id", number), "document_type")
    with translation.override("en"):
        message = fails("resident_id", number).fields["document_type"][0]
        assert "Hong Kong, Macao and Taiwan" in str(message)
    assert text


def test_resident_number_given_as_hkmt_residence() -> None:
    only_message(fails("hkmt_residence", make_number("320582", "19750101")), "document_type")
    # 81 alone is not enough: the whole 810000 prefix is required.
    only_message(fails("hkmt_residence", make_number("810100", "19750101")), "document_type")


def test_resident_number_given_as_foreign_permanent() -> None:
    only_message(fails("foreign_permanent", RESIDENT), "document_type")


def test_old_foreign_permanent_format_rejected() -> None:
    only_message(fails("foreign_permanent", "USA310090015"), "document_number")


def test_structural_errors_come_before_type_errors() -> None:
    bad_check = RESIDENT[:-1] + ("0" if RESIDENT[-1] != "0" else "1")
    only_message(fails("foreign_permanent", bad_check), "document_number")


@pytest.mark.parametrize("number", ["E1234", "G12345678", "A" * 17])
def test_passport_accepts(number: str) -> None:
    assert parse_document("passport", number, today=TODAY).number == number


@pytest.mark.parametrize(
    "number",
    ["E123", "A" * 18, "E1234-567", "E 1234567", full_width("E12345678"), LONG_S + "12345"],
)
def test_passport_rejects(number: str) -> None:
    only_message(fails("passport", number), "document_number")


def test_messages_render_in_english() -> None:
    with translation.override("en"):
        err = fails("resident_id", make_number("320582", "20250701"))
        assert str(err.fields["document_number"][0]) == (
            "The birth date in the number is in the future."
        )


# Masks -------------------------------------------------------------------------------------


def test_mask_eighteen_character_numbers() -> None:
    assert mask_document("resident_id", "320582199003071234") == "320582********1234"
    assert mask_document("hkmt_residence", HKMT) == HKMT[:6] + "*" * 8 + HKMT[-4:]
    assert mask_document("foreign_permanent", FOREIGN) == FOREIGN[:6] + "*" * 8 + FOREIGN[-4:]
    assert mask_document("resident_id", " 11010519491231002x ") == "110105********002X"


def test_mask_passport() -> None:
    assert mask_document("passport", "E12345678") == "E1*****78"
    assert mask_document("passport", "AB123") == "AB***23"
    assert mask_document("passport", "") == ""
    assert mask_document("resident_id", "   ") == ""


@pytest.mark.parametrize("document_type", [t.value for t in DocumentType] + ["other"])
@pytest.mark.parametrize("number", ["1", "12", "1234", "12345", "ABCDEFGHIJ", RESIDENT])
def test_mask_never_shows_whole_number(document_type: str, number: str) -> None:
    masked = mask_document(document_type, number)
    assert masked != number
    assert "*" in masked
    assert number not in masked


# Phones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("", ""),
        ("   ", ""),
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("0512-12345678", "0512-12345678"),
        ("051212345678", "0512-12345678"),
        ("0512 1234 5678", "0512-12345678"),
        ("0512-1234567", "0512-1234567"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("02112345678", "021-12345678"),
        ("0755 8888 8888", "0755-88888888"),
        ("07551234567", "0755-1234567"),
    ],
)
def test_normalise_phone_valid(raw: str, normal: str) -> None:
    assert normalise_phone(raw) == normal


@pytest.mark.parametrize(
    "raw",
    [
        "12812345678",  # no mobile range 12x
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "+85212345678",  # Hong Kong
        "+1 415 555 0100",
        "512-12345678",  # area code without 0
        "0512-123456",  # local number too short
        "0512-123456789",  # local number too long
        "0512123456789",
        full_width("13812345678"),
        "138l2345678",
        "tel:13812345678",
    ],
)
def test_normalise_phone_invalid(raw: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        normalise_phone(raw)
    only_message(info.value, "phone")


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138 1234 5678") == "138****5678"
    assert mask_phone("0512-12345678") == "0512-******78"
    assert mask_phone("010-1234567") == "010-*****67"
    assert mask_phone("") == ""


@pytest.mark.parametrize("raw", ["12", "999", "not a phone", "12812345678"])
def test_mask_phone_never_raises_nor_shows_invalid_values(raw: str) -> None:
    masked = mask_phone(raw)
    assert raw not in masked
    assert "*" in masked


# Properties --------------------------------------------------------------------------------

PREFIXES: dict[str, st.SearchStrategy[str]] = {
    "resident_id": st.from_regex(r"\A[0-9]{6}\Z", fullmatch=True).filter(
        lambda p: not p.startswith(("81", "82", "83"))
    ),
    "hkmt_residence": st.sampled_from(["810000", "820000", "830000"]),
    "foreign_permanent": st.from_regex(r"\A9[0-9]{5}\Z", fullmatch=True),
}


@st.composite
def valid_numbers(draw: st.DrawFn) -> tuple[str, str, date, str]:
    document_type = draw(st.sampled_from(sorted(PREFIXES)))
    prefix = draw(PREFIXES[document_type])
    born = draw(st.dates(min_value=date(1890, 1, 1), max_value=TODAY))
    sequence = draw(st.from_regex(r"\A[0-9]{3}\Z", fullmatch=True))
    return document_type, make_number(prefix, born, sequence), born, sequence


@given(valid_numbers())
def test_property_valid_body_with_check_digit_is_accepted(
    case: tuple[str, str, date, str],
) -> None:
    document_type, number, born, sequence = case
    facts = parse_document(document_type, number, today=TODAY)
    assert facts.number == number
    assert facts.birth_date == born
    assert facts.sex == ("M" if int(sequence[-1]) % 2 else "F")
    assert mask_document(document_type, number) == number[:6] + "********" + number[-4:]


@given(valid_numbers(), st.data())
def test_property_changing_one_character_fails(
    case: tuple[str, str, date, str], data: st.DataObject
) -> None:
    document_type, number, _born, _sequence = case
    position = data.draw(st.integers(min_value=0, max_value=17), label="position")
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(
        st.sampled_from([c for c in alphabet if c != number[position]]), label="replacement"
    )
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationFailed) as info:
        parse_document(document_type, changed, today=TODAY)
    only_message(info.value, "document_number")


def test_foreign_card_number_given_as_resident_id_is_a_type_error() -> None:
    number = make_number("944840", "19850612", "015")
    with pytest.raises(ValidationFailed) as caught:
        parse_document("resident_id", number, today=TODAY)
    assert set(caught.value.fields) == {"document_type"}
    assert parse_document("foreign_permanent", number, today=TODAY).sex is not None
