"""Demo data of the CRM core: units of both countries, staff, citizens, a registry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from .conversation_facts import conversation_facts_refresh
from .models import (
    AdminUnit,
    Contact,
    Conversation,
    Household,
    HouseholdMember,
    Identity,
    Interaction,
    RegistryPerson,
    Role,
    TargetGroup,
    User,
)

UNITS = [
    # (parent path, code, level, name, name_en)
    ("", "MN", 0, "Монгол Улс", "Mongolia"),
    ("MN/", "UB", 1, "Улаанбаатар", "Ulaanbaatar"),
    ("MN/UB/", "SKH", 2, "Сонгинохайрхан дүүрэг", "Songinokhairkhan district"),
    ("MN/UB/SKH/", "07", 3, "7-р хороо", "Khoroo 7"),
    ("MN/UB/SKH/", "12", 3, "12-р хороо", "Khoroo 12"),
    ("MN/UB/", "SBD", 2, "Сүхбаатар дүүрэг", "Sukhbaatar district"),
    ("MN/UB/SBD/", "01", 3, "1-р хороо", "Khoroo 1"),
    ("MN/", "DG", 1, "Дундговь аймаг", "Dundgovi aimag"),
    ("MN/DG/", "STS", 2, "Сайнцагаан сум", "Saintsagaan soum"),
    ("MN/DG/STS/", "01", 3, "1-р баг", "Bag 1"),
    ("MN/DG/", "DRN", 2, "Дэрэн сум", "Deren soum"),
    ("MN/DG/DRN/", "01", 3, "1-р баг", "Bag 1"),
    ("", "KZ", 0, "Қазақстан Республикасы", "Kazakhstan"),
    ("KZ/", "AKM", 1, "Ақмола облысы", "Akmola oblast"),
    ("KZ/AKM/", "KOK", 2, "Көкшетау қаласы", "Kokshetau city"),
    ("KZ/AKM/KOK/", "KR", 3, "Краснояр ауылдық округі", "Krasnoyar rural okrug"),
    ("KZ/AKM/", "ZER", 2, "Зеренді ауданы", "Zerendi district"),
    ("KZ/AKM/ZER/", "ZER", 3, "Зеренді ауылдық округі", "Zerendi rural okrug"),
]

STAFF = [
    # username, role, unit path, first, last, language, password
    ("admin", Role.ADMIN, "MN/", "Систем", "Админ", "en", "admin-demo-2026"),
    ("agent.bolor", Role.AGENT, "MN/", "Болор", "Ганбат", "mn", "agent-demo-2026"),
    ("agent.tuya", Role.AGENT, "MN/", "Туяа", "Дорж", "mn", "agent-demo-2026"),
    (
        "local.skh07",
        Role.LOCAL_WORKER,
        "MN/UB/SKH/07/",
        "Сарнай",
        "Баатар",
        "mn",
        "local-demo-2026",
    ),
    ("local.skh12", Role.LOCAL_WORKER, "MN/UB/SKH/12/", "Оюун", "Пүрэв", "mn", "local-demo-2026"),
    ("local.deren", Role.LOCAL_WORKER, "MN/DG/DRN/", "Ганзориг", "Сүх", "mn", "local-demo-2026"),
    (
        "district.skh",
        Role.DISTRICT_WORKER,
        "MN/UB/SKH/",
        "Энхтуяа",
        "Батсүх",
        "mn",
        "district-demo-2026",
    ),
    (
        "district.dg",
        Role.DISTRICT_WORKER,
        "MN/DG/",
        "Мөнхбат",
        "Лхагва",
        "mn",
        "district-demo-2026",
    ),
    ("supervisor", Role.SUPERVISOR, "MN/", "Нарантуяа", "Эрдэнэ", "en", "super-demo-2026"),
    ("kz.agent", Role.AGENT, "KZ/", "Айгерім", "Сейітова", "kk", "agent-demo-2026"),
    (
        "kz.local.zer",
        Role.LOCAL_WORKER,
        "KZ/AKM/ZER/ZER/",
        "Гүлнар",
        "Омарова",
        "kk",
        "local-demo-2026",
    ),
    (
        "kz.district.zer",
        Role.DISTRICT_WORKER,
        "KZ/AKM/ZER/",
        "Ерлан",
        "Жақсыбеков",
        "ru",
        "district-demo-2026",
    ),
    ("kz.supervisor", Role.SUPERVISOR, "KZ/", "Дәурен", "Нұрланов", "ru", "super-demo-2026"),
]

CITIZENS = [
    # key, last, first, national id, birth, sex, unit, phone, language, groups, lives alone
    (
        "dorj",
        "Дорж",
        "Цэрэн",
        "УБ45031512",
        dt.date(1945, 3, 15),
        "M",
        "MN/UB/SKH/07/",
        "+97699112233",
        "mn",
        ["elderly"],
        True,
    ),
    (
        "dolgor",
        "Гомбо",
        "Долгор",
        "УБ42110824",
        dt.date(1942, 11, 8),
        "F",
        "MN/UB/SKH/07/",
        "+97688114455",
        "mn",
        ["elderly", "disability"],
        True,
    ),
    (
        "bat",
        "Баяр",
        "Бат",
        "УЕ50071933",
        dt.date(1950, 7, 19),
        "M",
        "MN/UB/SKH/12/",
        "+97695223344",
        "mn",
        ["elderly"],
        False,
    ),
    (
        "oyun",
        "Намжил",
        "Оюунчимэг",
        "УК48020546",
        dt.date(1948, 2, 5),
        "F",
        "MN/UB/SKH/12/",
        "+97691334455",
        "mn",
        ["elderly", "incurable_illness"],
        True,
    ),
    (
        "sukh",
        "Дамдин",
        "Сүхбаатар",
        "ДГ39061217",
        dt.date(1939, 6, 12),
        "M",
        "MN/DG/DRN/01/",
        "+97698445566",
        "mn",
        ["elderly", "disability"],
        True,
    ),
    (
        "tsetseg",
        "Лхам",
        "Цэцэг",
        "ДГ44091328",
        dt.date(1944, 9, 13),
        "F",
        "MN/DG/DRN/01/",
        "+97680556677",
        "mn",
        ["elderly"],
        True,
    ),
    (
        "ganaa",
        "Очир",
        "Ганбаатар",
        "УБ55120312",
        dt.date(1955, 12, 3),
        "M",
        "MN/UB/SKH/07/",
        "+97699667788",
        "ru",
        ["elderly", "disability"],
        False,
    ),
    (
        "anar",
        "Бямба",
        "Анар",
        "УБ01250462",
        dt.date(2001, 5, 4),
        "F",
        "MN/UB/SKH/07/",
        "+97688778899",
        "mn",
        ["disability"],
        False,
    ),
    (
        "aigul",
        "Нұрланова",
        "Айгүл",
        "",
        dt.date(1946, 4, 12),
        "F",
        "KZ/AKM/ZER/ZER/",
        "+77011234567",
        "kk",
        ["elderly"],
        True,
    ),
    (
        "serik",
        "Оспанов",
        "Серік",
        "",
        dt.date(1940, 1, 20),
        "M",
        "KZ/AKM/ZER/ZER/",
        "+77052345678",
        "kk",
        ["elderly", "disability"],
        True,
    ),
    (
        "valentina",
        "Иванова",
        "Валентина",
        "",
        dt.date(1943, 8, 30),
        "F",
        "KZ/AKM/ZER/ZER/",
        "+77773456789",
        "ru",
        ["elderly"],
        True,
    ),
]

# More people of the Songinokhairkhan khoroos, so every worklist tab holds several requests.
CITIZENS += [
    ("tsend", "Жамц", "Цэрэндулам", "УБ40052328", dt.date(1940, 5, 23), "F", "MN/UB/SKH/07/",
     "+97699001101", "mn", ["elderly"], True),
    ("luvsan", "Лувсан", "Дашдорж", "УБ38081415", dt.date(1938, 8, 14), "M", "MN/UB/SKH/07/",
     "+97699001102", "mn", ["elderly", "disability"], True),
    ("enkhee", "Батаа", "Энхтуяа", "УБ46120927", dt.date(1946, 12, 9), "F", "MN/UB/SKH/07/",
     "+97699001103", "ru", ["elderly"], True),
    ("gombo", "Самдан", "Гомбосүрэн", "УБ36030113", dt.date(1936, 3, 1), "M", "MN/UB/SKH/07/",
     "+97699001104", "mn", ["elderly"], True),
    ("badam", "Дорж", "Бадамханд", "УБ47110464", dt.date(1947, 11, 4), "F", "MN/UB/SKH/07/",
     "+97699001107", "mn", ["elderly"], False),
    ("naraa", "Пүрэв", "Нарантуяа", "УЕ43071246", dt.date(1943, 7, 12), "F", "MN/UB/SKH/12/",
     "+97699001105", "mn", ["elderly", "incurable_illness"], True),
    ("tumur", "Цэвээн", "Төмөр", "УЕ41022035", dt.date(1941, 2, 20), "M", "MN/UB/SKH/12/",
     "+97699001106", "mn", ["elderly"], True),
    ("davaa", "Даваа", "Хишигт", "УЕ39100917", dt.date(1939, 10, 9), "M", "MN/UB/SKH/12/",
     "+97699001108", "mn", ["elderly", "disability"], True),
]  # fmt: skip

# In the registry but not yet known to the CRM: a worker can look them up by ID.
REGISTRY_ONLY = [
    (
        "УБ47051821",
        "Мягмар",
        "Батцэцэг",
        dt.date(1947, 5, 18),
        "F",
        "MN/UB/SKH/07/",
        "7-р хороо, 15-р байр",
    ),
    (
        "ДГ41030115",
        "Цэдэн",
        "Жамъян",
        dt.date(1941, 3, 1),
        "M",
        "MN/DG/DRN/01/",
        "Дэрэн сум, 1-р баг",
    ),
]


def _iin(birth: dt.date, sex: str, serial: str) -> str:
    """A valid demo IIN for a birth date and sex (the check digit computed, not invented)."""
    from .national_ids import iin_check_digit

    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth.year // 100 * 100] + (sex == "F")
    for n in range(int(serial), int(serial) + 50):
        first11 = f"{birth:%y%m%d}{century_digit}{n:04d}"
        digit = iin_check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"
    raise ValueError("no valid IIN in range")


def seed_units(context) -> None:
    for parent_path, code, level, name, name_en in UNITS:
        parent = context.units.get(parent_path) if parent_path else None
        unit, _ = AdminUnit.objects.update_or_create(
            parent=parent, code=code, defaults={"level": level, "name": name, "name_en": name_en}
        )
        context.units[unit.path] = unit


def seed_staff(context) -> None:
    for username, role, path, first, last, language, password in STAFF:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "unit": context.units[path],
                "first_name": first,
                "last_name": last,
                "language": language,
                "is_staff": role in (Role.ADMIN, Role.SUPERVISOR),
                "is_superuser": role == Role.ADMIN,
                "availability": User.Availability.AVAILABLE
                if role == Role.AGENT
                else User.Availability.AWAY,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        context.account(user, password)


def seed_citizens(context) -> None:
    groups = {g.code: g for g in TargetGroup.objects.all()}
    for serial, row in enumerate(CITIZENS, start=100):
        key, last, first, nid, birth, sex, path, phone, language, codes, alone = row
        if not nid:
            nid = _iin(birth, sex, str(serial * 10))
        identity = Identity.objects.filter(scheme=Identity.Scheme.NATIONAL_ID, value=nid).first()
        defaults = {
            "last_name": last,
            "first_name": first,
            "birth_date": birth,
            "sex": sex,
            "address_unit": context.units[path],
            "preferred_language": language,
            "preferred_channel": "sms",
            "lives_alone": alone,
            "is_identified": True,
            "consent_data_processing": True,
            "consent_recorded_at": timezone.now(),
        }
        if identity:
            contact = identity.contact
            for name, value in defaults.items():
                setattr(contact, name, value)
            contact.save()
        else:
            contact = Contact.objects.create(**defaults)
            Identity.objects.create(
                contact=contact, scheme=Identity.Scheme.NATIONAL_ID, value=nid, verified=True
            )
        Identity.objects.get_or_create(
            scheme=Identity.Scheme.PHONE, value=phone, defaults={"contact": contact}
        )
        contact.target_groups.set([groups[c] for c in codes])
        RegistryPerson.objects.update_or_create(
            national_id=nid,
            defaults={
                "first_name": first,
                "last_name": last,
                "birth_date": birth,
                "sex": sex,
                "address_unit_path": path,
                "address_text": context.units[path].name,
            },
        )
        context.contacts[key] = contact
    for nid, last, first, birth, sex, path, address in REGISTRY_ONLY:
        RegistryPerson.objects.update_or_create(
            national_id=nid,
            defaults={
                "first_name": first,
                "last_name": last,
                "birth_date": birth,
                "sex": sex,
                "address_unit_path": path,
                "address_text": address,
            },
        )


def seed_household(context) -> None:
    bat, anar = context.contacts["bat"], context.contacts["anar"]
    household = Household.objects.filter(members__contact=bat).first() or Household.objects.create(
        address_unit=bat.address_unit, address_text="12-р хороо, 4-р гудамж 18"
    )
    HouseholdMember.objects.update_or_create(
        household=household,
        contact=bat,
        defaults={"relationship": "head", "monthly_income": Decimal("420000")},
    )
    HouseholdMember.objects.update_or_create(
        household=household,
        contact=anar,
        defaults={"relationship": "grandchild", "monthly_income": Decimal("0")},
    )


def seed_conversation(context) -> None:
    """One open SMS thread so the inbox is not empty before anyone texts."""
    dolgor = context.contacts["dolgor"]
    phone = dolgor.identities.get(scheme=Identity.Scheme.PHONE).value
    if Interaction.objects.filter(channel="sms", provider_message_id="SMdemo0001").exists():
        return
    conversation, _ = Conversation.objects.get_or_create(
        contact=dolgor,
        channel="sms",
        status=Conversation.Status.OPEN,
        defaults={"address": phone, "unread_count": 1},
    )
    Interaction.objects.create(
        contact=dolgor,
        conversation=conversation,
        channel="sms",
        direction=Interaction.Direction.INBOUND,
        body="Сайн байна уу. Асрамжийн газарт орох хүсэлтээ хаана өгөх вэ?",
        address=phone,
        provider_message_id="SMdemo0001",
    )
    conversation_facts_refresh(Conversation.objects.filter(pk=conversation.pk))


def seed(context) -> None:
    seed_units(context)
    seed_staff(context)
    seed_citizens(context)
    seed_household(context)
    seed_conversation(context)
