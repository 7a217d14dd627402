"""Realistic citizen data made up deterministically: valid phones, national IDs and names.

Everything here is pure (no Django, no database) so the unit tests can check that what the
loader writes would pass the CRM's own validators.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

# Mongolian mobile ranges (Unitel, Mobicom, Skytel, G-Mobile) that phonenumbers accepts.
MN_MOBILE_PREFIXES = ("80", "85", "86", "88", "89", "90", "91", "94", "95", "96", "98", "99")
# Two-letter prefixes of civil registration numbers (aimag / district codes in practice).
MN_REGISTER_LETTERS = (
    "УБ", "УЕ", "УЗ", "УК", "УН", "УП", "УХ", "УЧ", "УШ", "ЧЕ", "ТА", "ДА", "ДО", "ЗА",
    "ОР", "ОЕ", "ГО", "ХЕ", "ХО", "СА", "СЭ", "БА", "БУ", "АЮ", "АК", "ДУ", "ЭА", "ФА",
)  # fmt: skip
FIRST_NAMES_M = (
    "Бат-Эрдэнэ", "Ганбаатар", "Тэмүүлэн", "Болд", "Мөнхбат", "Эрдэнэбаяр", "Сүхбаатар",
    "Дорж", "Наранбаатар", "Батбаяр", "Төмөрбаатар", "Оюунбилэг", "Ганзориг", "Пүрэв",
)  # fmt: skip
FIRST_NAMES_F = (
    "Оюунчимэг", "Сарантуяа", "Наранцэцэг", "Болормаа", "Цэцэгмаа", "Алтанцэцэг", "Мөнхзул",
    "Энхтуяа", "Ариунаа", "Солонго", "Гэрэлмаа", "Туяа", "Дулмаа", "Бямбасүрэн",
)  # fmt: skip
FAMILY_NAMES = (
    "Батболд", "Должин", "Ганхуяг", "Цэрэн", "Жаргал", "Лхагва", "Түмэн", "Баяр", "Энхбаяр",
    "Дашдорж", "Сүрэн", "Нямдорж", "Оюун", "Пүрэвсүрэн", "Мягмар", "Гомбо", "Очир", "Хүрэл",
)  # fmt: skip
MESSAGES = (
    "Сайн байна уу, асрамжийн газрын хүсэлт маань хаана явж байна вэ?",
    "Би тэтгэмжийн талаар асуух гэсэн юм",
    "Эмнэлгийн магадлагаа хэзээ авчрах вэ",
    "Ээжийгээ асрамжийн газарт оруулах хүсэлт гаргамаар байна",
    "Баярлалаа, ойлголоо",
    "Hello, I would like to know about the caregiver allowance",
    "Здравствуйте, когда будет решение по заявлению?",
    "Дуудлага хийж өгнө үү",
)


def mn_phone(rng: random.Random) -> str:
    """A valid Mongolian mobile number in E.164."""
    return f"+976{rng.choice(MN_MOBILE_PREFIXES)}{rng.randrange(10**6):06d}"


def unique_phones(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seen: set[str] = set()
    while len(seen) < count:
        seen.add(mn_phone(rng))
    # Sorted then shuffled: deterministic across Python hash seeds.
    phones = sorted(seen)
    rng.shuffle(phones)
    return phones


def mn_register(rng: random.Random, birth: dt.date, sex: str) -> str:
    """A civil registration number whose birth date and sex digits agree with the person."""
    month = birth.month + (20 if birth.year >= 2000 else 0)
    sex_digit = rng.choice("13579" if sex == "M" else "02468")
    letters = rng.choice(MN_REGISTER_LETTERS)
    serial = rng.randrange(10)
    return f"{letters}{birth.year % 100:02d}{month:02d}{birth.day:02d}{sex_digit}{serial}"


def birth_date(rng: random.Random) -> dt.date:
    """Skewed old: the service's clients are mostly elderly or disabled people and carers."""
    age = min(99, max(18, int(rng.gauss(62, 16))))
    return dt.date(2026 - age, 1, 1) + dt.timedelta(days=rng.randrange(365))


def people(count: int, seed: int) -> Iterator[dict]:
    """``count`` people with unique phone numbers and unique national IDs."""
    rng = random.Random(seed)
    phones = unique_phones(count, seed + 1)
    registers: set[str] = set()
    for i in range(count):
        sex = rng.choice("MF")
        born = birth_date(rng)
        register = mn_register(rng, born, sex)
        while register in registers:
            register = mn_register(rng, born, sex)
        registers.add(register)
        first = rng.choice(FIRST_NAMES_M if sex == "M" else FIRST_NAMES_F)
        yield {
            "first_name": first,
            "last_name": rng.choice(FAMILY_NAMES),
            "birth_date": born,
            "sex": sex,
            "phone": phones[i],
            "national_id": register,
        }
