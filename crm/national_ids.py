"""National identification numbers of Mongolia and Kazakhstan, validated for real.

Mongolia: the civil registration number (регистрийн дугаар) is two Cyrillic letters and eight
digits. Digits 1-6 are the birth date YYMMDD, with 20 added to the month for people born from
2000 on; the ninth character (the 7th digit) is odd for men and even for women.

Kazakhstan: the IIN (ЖСН / ИИН) is twelve digits: YYMMDD, a century-and-sex digit
(1/2: 1800s, 3/4: 1900s, 5/6: 2000s; odd men, even women), four serial digits and a check
digit computed mod 11 with weights 1..11, and when that gives 10, weights 3..11,1,2.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Latin letters that look like Cyrillic ones on a keyboard or a photocopy. Typing "UB" for
# "УБ" is not covered: U and У do not look alike, so it is refused rather than guessed.
LATIN_LOOKALIKES = str.maketrans(
    {
        "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М",
        "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У",
    }
)  # fmt: skip
MN_LETTERS = "АБВГДЕЁЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ"
_MN_PATTERN = re.compile(rf"^[{MN_LETTERS}]{{2}}[0-9]{{8}}$")
_IIN_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_IIN_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


class NationalIdError(ValueError):
    """The number cannot be a real one; the message says why, for the person typing it."""


@dataclass(frozen=True)
class NationalId:
    country: str
    value: str
    birth_date: dt.date
    sex: str  # "M" or "F"


def _compact(raw: str) -> str:
    return re.sub(r"[\s\-.]", "", raw or "").upper()


def parse_mn_register(raw: str) -> NationalId:
    value = _compact(raw)
    if not value:
        raise NationalIdError(_("Enter the registration number, e.g. УБ65031512."))
    value = value[:2].translate(LATIN_LOOKALIKES) + value[2:]
    if re.search(r"[A-Z]", value[:2]):
        raise NationalIdError(
            _(
                "The first two characters of a registration number are Cyrillic letters "
                "(e.g. УБ); switch the keyboard to Cyrillic."
            )
        )
    if not _MN_PATTERN.match(value):
        raise NationalIdError(
            _("A registration number is two Cyrillic letters and 8 digits, e.g. УБ65031512.")
        )
    digits = value[2:]
    year, month, day = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    if month > 20:
        year, month = 2000 + year, month - 20
    else:
        year = 1900 + year
    try:
        birth = dt.date(year, month, day)
    except ValueError as exc:
        raise NationalIdError(
            _("Digits 1-6 of the registration number are not a real birth date.")
        ) from exc
    sex = "M" if int(value[8]) % 2 else "F"
    return NationalId(country="MN", value=value, birth_date=birth, sex=sex)


def iin_check_digit(first11: str) -> int | None:
    """The IIN's 12th digit for its first 11, or None when no valid digit exists."""
    digits = [int(c) for c in first11]
    check = sum(w * d for w, d in zip(_IIN_WEIGHTS_1, digits, strict=True)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip(_IIN_WEIGHTS_2, digits, strict=True)) % 11
        if check == 10:
            return None
    return check


def parse_kz_iin(raw: str) -> NationalId:
    value = _compact(raw)
    if not value:
        raise NationalIdError(_("Enter the 12-digit IIN."))
    if not (value.isascii() and value.isdigit()) or len(value) != 12:
        raise NationalIdError(_("An IIN is exactly 12 digits."))
    century_sex = int(value[6])
    if century_sex not in range(1, 7):
        raise NationalIdError(_("The 7th digit of an IIN must be 1 to 6 (century and sex)."))
    century = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}[century_sex]
    try:
        birth = dt.date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError as exc:
        raise NationalIdError(
            _("The first 6 digits of the IIN are not a real birth date.")
        ) from exc
    if iin_check_digit(value[:11]) != int(value[11]):
        raise NationalIdError(_("The IIN's check digit does not match: check for a typo."))
    return NationalId(
        country="KZ", value=value, birth_date=birth, sex="M" if century_sex % 2 else "F"
    )


PARSERS = {"MN": parse_mn_register, "KZ": parse_kz_iin}


def parse_national_id(raw: str, country: str | None = None) -> NationalId:
    """Parse for the given country, or guess it from the shape (digits only means IIN)."""
    if country:
        return PARSERS[country](raw)
    compact = _compact(raw)
    is_digits = compact.isascii() and compact.isdigit()
    return parse_kz_iin(compact) if is_digits else parse_mn_register(compact)


def looks_like_national_id(raw: str) -> bool:
    compact = _compact(raw)
    return bool(
        re.fullmatch(r"[0-9]{12}", compact)
        or re.fullmatch(rf"[{MN_LETTERS}A-Z]{{2}}[0-9]{{8}}", compact)
    )
