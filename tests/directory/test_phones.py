"""Phone numbers as seed 002 writes them are accepted; wrong ones are refused with a reason."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from jingban.directory.phones import PhoneError, clean_phones, parse_phones, tel_href

SEED_FORMATS = [
    ("0411-83709172", "0411-83709172"),  # Dalian, area code
    ("0755-88366831、0755-82978723", "0755-88366831、0755-82978723"),  # two numbers, 、
    ("0514-80979851", "0514-80979851"),  # Yangzhou
    ("65006161", "65006161"),  # Beijing, 8 digits without area code
    ("66007070", "66007070"),
    ("13812345678", "13812345678"),  # mobile
    ("12345", "12345"),  # 政务服务便民热线
    ("12393", "12393"),  # 医保服务热线
    ("12333", "12333"),
    ("0411-83709172, 12345; 65006161", "0411-83709172、12345、65006161"),
    ("(0411)83709182", "0411-83709182"),
    ("010-65006161", "010-65006161"),
    ("0411 83709170", "0411-83709170"),
    ("0411-83709172转801", "0411-83709172转801"),
    ("400-810-9999", "400-810-9999"),
]


@pytest.mark.parametrize(("written", "stored"), SEED_FORMATS)
def test_seed_formats_are_accepted(written: str, stored: str) -> None:
    assert clean_phones(written) == stored


WRONG = [
    ("411-83709172", "area code starts with 0"),  # area code without its 0
    ("650061611", "has 9"),  # 9-digit local number
    ("0411-837091720", "7 or 8 digits"),  # 9 digits after the area code
    ("021-1234567", "7 or 8 digits"),  # 02x takes 8 digits
    ("1381234567", "this one has 10"),  # a mobile with 10 digits
    ("138123456789", "this one has 12"),
    ("0411-8370917a", "only digits"),  # letters
    ("call us", "only digits"),
    ("123456", "5 digits"),
    ("12345,,12393", "empty place"),
    ("", "at least one"),
]


@pytest.mark.parametrize(("written", "reason"), WRONG)
def test_wrong_numbers_are_refused_with_the_reason(written: str, reason: str) -> None:
    with translation.override("en"), pytest.raises(PhoneError) as caught:
        parse_phones(written)
    assert reason in caught.value.message.lower() or reason in caught.value.message
    if written.strip() and ",," not in written:
        assert f"“{written}”" in caught.value.message


def test_the_reason_is_translated() -> None:
    with translation.override("zh-hans"), pytest.raises(PhoneError) as caught:
        parse_phones("411-83709172")
    assert "区号" in caught.value.message


def test_tel_links_dial_digits_only() -> None:
    assert tel_href("0411-83709182") == "tel:041183709182"
    assert tel_href("0411-83709172转801") == "tel:041183709172,801"
    assert tel_href("12393") == "tel:12393"


_AREA = st.sampled_from(["010", "021", "025", "0411", "0512", "0514", "0755", "0912"])


@st.composite
def _landline(draw: st.DrawFn) -> str:
    area = draw(_AREA)
    length = 8 if area.startswith(("01", "02")) else draw(st.sampled_from([7, 8]))
    first = draw(st.sampled_from("23456789"))
    rest = draw(st.text("0123456789", min_size=length - 1, max_size=length - 1))
    return f"{area}-{first}{rest}"


_MOBILE = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
)
_NUMBER = st.one_of(_landline(), _MOBILE, st.sampled_from(["12345", "12393", "12333"]))


@given(st.lists(_NUMBER, min_size=1, max_size=5), st.sampled_from(["、", ",", "；", "，"]))
def test_stored_numbers_read_back_unchanged(numbers: list[str], separator: str) -> None:
    stored = clean_phones(separator.join(numbers))
    assert stored.split("、") == numbers
    assert clean_phones(stored) == stored


@given(_landline())
def test_a_landline_without_its_leading_zero_or_with_a_digit_more_is_refused(
    number: str,
) -> None:
    with pytest.raises(PhoneError):
        parse_phones(number[1:])
    if len(number.split("-")[1]) == 8:  # 7 digits may grow to 8; 8 may not grow to 9
        with pytest.raises(PhoneError):
            parse_phones(number + "0")
