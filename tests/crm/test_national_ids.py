import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.national_ids import (
    NationalIdError,
    iin_check_digit,
    parse_kz_iin,
    parse_mn_register,
    parse_national_id,
)


@pytest.mark.parametrize(
    ("iin", "birth", "sex"),
    [("871008401427", dt.date(1987, 10, 8), "F"), ("760212350620", dt.date(1976, 2, 12), "M")],
)
def test_valid_iins_decode_birth_date_and_sex(iin, birth, sex):
    parsed = parse_kz_iin(iin)
    assert (parsed.value, parsed.birth_date, parsed.sex) == (iin, birth, sex)


def test_iin_with_wrong_check_digit_is_refused_with_a_reason():
    with pytest.raises(NationalIdError, match="check digit"):
        parse_kz_iin("821214240092")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("87100840142", "exactly 12 digits"),
        ("8710084014x7", "exactly 12 digits"),
        ("871308401427", "not a real birth date"),
        ("871008701427", "7th digit"),
    ],
)
def test_malformed_iins_say_what_is_wrong(raw, reason):
    with pytest.raises(NationalIdError, match=reason):
        parse_kz_iin(raw)


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    female=st.booleans(),
    serial=st.integers(min_value=0, max_value=9999),
)
def test_every_iin_with_a_computed_check_digit_parses_back(birth, female, serial):
    century_digit = (3 if birth.year < 2000 else 5) + female
    first11 = f"{birth:%y%m%d}{century_digit}{serial:04d}"
    digit = iin_check_digit(first11)
    if digit is None:
        return  # such serials are never issued
    parsed = parse_kz_iin(first11 + str(digit))
    assert parsed.birth_date == birth
    assert parsed.sex == ("F" if female else "M")
    wrong = (digit + 1) % 10
    with pytest.raises(NationalIdError):
        parse_kz_iin(first11 + str(wrong))


def test_mongolian_register_decodes_birth_date_and_sex():
    parsed = parse_mn_register("УБ65031512")
    assert parsed.birth_date == dt.date(1965, 3, 15)
    assert parsed.sex == "M"  # the 9th character, 1, is odd


def test_mongolian_register_from_2000_adds_twenty_to_the_month():
    parsed = parse_mn_register("УБ01250462")
    assert parsed.birth_date == dt.date(2001, 5, 4)
    assert parsed.sex == "F"


@pytest.mark.parametrize("raw", ["уб65031512", " УБ 6503 1512 ", "УБ-65031512"])
def test_mongolian_register_is_normalised(raw):
    assert parse_mn_register(raw).value == "УБ65031512"


def test_latin_lookalike_letters_become_cyrillic():
    # Latin "Y" and "E" typed on an English keyboard for У and Е.
    assert parse_mn_register("YE50071933").value == "УЕ50071933"


def test_latin_letters_without_a_cyrillic_twin_are_refused():
    with pytest.raises(NationalIdError, match="Cyrillic"):
        parse_mn_register("UB65031512")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("УБ6503151", "two Cyrillic letters and 8 digits"),
        ("УБ65133112", "not a real birth date"),
        ("УБ65023012", "not a real birth date"),
    ],
)
def test_malformed_registers_say_what_is_wrong(raw, reason):
    with pytest.raises(NationalIdError, match=reason):
        parse_mn_register(raw)


def test_country_is_guessed_from_the_shape():
    assert parse_national_id("760212350620").country == "KZ"
    assert parse_national_id("УБ65031512").country == "MN"
