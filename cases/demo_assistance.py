"""Demo of Kazakh social assistance (seed 004) in Zerendi: the office's staff of every step,
families with their incomes, and applications standing at every step of both routes.

Every case is moved there through ``case_apply_action``, so histories, deadlines and the
citizens' notifications are real. Idempotent: a demo application is recognised by its
beneficiary, service and stated reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from crm.models import Commission, Contact, Household, HouseholdMember, Identity, Role, User

from . import services
from .models import Case, CaseDocument, Service, Status
from .transitions import case_apply_action

SERVICE = "kz-social-assistance"
OFFICE, OKRUG = "KZ/AKM/ZER/", "KZ/AKM/ZER/ZER/"
PASSWORD = "assist-demo-2026"
DEMO_PDF = b"%PDF-1.4\n% demo scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# username, role, commission, unit path, first name, last name
MEMBER, LOCAL, SPECIAL = Role.COMMISSION_MEMBER, Commission.LOCAL, Commission.SPECIAL
STAFF = [
    ("kz.clerk.zer", Role.CLERK, "", OFFICE, "Гүлнар", "Әбенова"),
    ("kz.head.zer", Role.HEAD, "", OFFICE, "Ерлан", "Қасымов"),
    ("kz.executor.zer", Role.EXECUTOR, "", OFFICE, "Динара", "Оспанова"),
    ("kz.commission.local", MEMBER, LOCAL, OFFICE, "Бақыт", "Жақсылықов"),
    ("kz.commission.special", MEMBER, SPECIAL, OFFICE, "Сәуле", "Мұратова"),
    ("kz.akim.zer", Role.AKIM, "", OKRUG, "Нұрлан", "Ибраев"),
]  # fmt: skip

# key, last name, first name, birth, sex, phone, language, family: (relationship, income)
FAMILIES = [
    ("asel", "Төлегенова", "Әсел", dt.date(1988, 4, 11), "F", "+77015550201", "kk",
     [("head", 95000), ("child", 0), ("child", 0), ("child", 0)]),
    ("dauren", "Бекболатов", "Дәурен", dt.date(1979, 9, 2), "M", "+77015550202", "kk",
     [("head", 70000), ("spouse", 0), ("child", 0)]),
    ("irina", "Коваленко", "Ирина", dt.date(1965, 1, 23), "F", "+77015550203", "ru",
     [("head", 85000), ("parent", 60000)]),
    ("zhanar", "Омарова", "Жанар", dt.date(1992, 7, 30), "F", "+77015550204", "kk",
     [("head", 0), ("child", 0), ("child", 0)]),
]  # fmt: skip

OFFICE_STEPS = [
    ("register", "kz.clerk.zer"),
    ("assign", "kz.head.zer"),
    ("send_to_survey", "kz.executor.zer"),
    ("record_survey", "kz.commission.local"),
    ("send_to_review", "kz.executor.zer"),
    ("decide", "kz.commission.special"),
    ("prepare", "kz.executor.zer"),
    ("sign", "kz.head.zer"),
    ("issue", "kz.clerk.zer"),
]
AKIM_STEPS = [
    ("register", "kz.akim.zer"),
    ("send_to_survey", "kz.akim.zer"),
    ("record_survey", "kz.commission.local"),
    ("forward", "kz.akim.zer"),
    ("send_to_review", "kz.executor.zer"),
    ("decide", "kz.commission.special"),
    ("prepare", "kz.executor.zer"),
    ("sign", "kz.head.zer"),
    ("send_to_akim", "kz.clerk.zer"),
    ("issue", "kz.akim.zer"),
]

# family key, route, the status to stop at, the application's stated reason (unique), amount
CASES = [
    ("asel", "office", Status.DRAFT, "Көпбалалы ана, табысы төмен (жоба).", 0),
    ("asel", "office", Status.REGISTERED, "Көпбалалы отбасы, қыстық отын алуға көмек.", 0),
    ("dauren", "office", Status.ASSIGNED, "Жұмыссыз жұбайы, мектепке бала дайындау.", 0),
    ("irina", "office", Status.IN_SURVEY, "Пенсионерка с матерью, лечение после операции.", 0),
    ("zhanar", "office", Status.SURVEYED, "Жалғызбасты ана, табысы жоқ.", 0),
    ("asel", "akim", Status.FORWARDED, "Ауылда тұрады, балаларға қысқы киім керек.", 0),
    ("dauren", "office", Status.IN_REVIEW, "Отбасы табысы ең төменгі күнкөрістен төмен.", 0),
    ("irina", "office", Status.DECIDED, "Просит помощь на коммунальные услуги.", 60000),
    ("zhanar", "akim", Status.PREPARED, "Баланың емделуіне көмек.", 80000),
    ("asel", "office", Status.SIGNED, "Үй өрттен зардап шекті.", 150000),
    ("dauren", "akim", Status.SENT_TO_AKIM, "Ауылдағы отбасы, мал басы жоқ.", 45000),
    ("zhanar", "office", Status.ISSUED, "Жалғызбасты ана, үш бала.", 120000),
    ("irina", "akim", Status.ISSUED, "Разовая помощь к отопительному сезону.", 0),
    ("dauren", "office", Status.SUSPENDED, "Табыс туралы анықтама жоғалған.", 0),
    ("asel", "akim", Status.CANCELLED, "Өтінішті өзі қайтарып алды.", 0),
]


def seed_staff(context) -> dict[str, User]:
    staff = {}
    for username, role, commission, path, first, last in STAFF:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "commission": commission,
                "unit": context.units[path],
                "first_name": first,
                "last_name": last,
                "language": "kk",
            },
        )
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        context.account(user, PASSWORD)
        staff[username] = user
    return staff


def seed_families(context) -> dict[str, Contact]:
    from crm.demo import _iin  # the same valid-IIN helper the CRM demo uses

    unit = context.units[OKRUG]
    people = {}
    for serial, (key, last, first, birth, sex, phone, language, family) in enumerate(
        FAMILIES, start=500
    ):
        nid = _iin(birth, sex, str(serial * 10))
        identity = Identity.objects.filter(scheme=Identity.Scheme.NATIONAL_ID, value=nid).first()
        if identity:
            people[key] = identity.contact
            continue
        contact = Contact.objects.create(
            last_name=last,
            first_name=first,
            birth_date=birth,
            sex=sex,
            address_unit=unit,
            preferred_language=language,
            preferred_channel="sms",
            is_identified=True,
            consent_data_processing=True,
            consent_recorded_at=timezone.now(),
        )
        Identity.objects.create(
            contact=contact, scheme=Identity.Scheme.NATIONAL_ID, value=nid, verified=True
        )
        Identity.objects.get_or_create(
            scheme=Identity.Scheme.PHONE, value=phone, defaults={"contact": contact}
        )
        household = Household.objects.create(address_unit=unit, address_text=unit.name)
        for position, (relationship, income) in enumerate(family):
            member = contact
            if position:
                member = Contact.objects.create(
                    last_name=last,
                    first_name=f"{first} ({position})",
                    address_unit=unit,
                    preferred_language=language,
                )
            HouseholdMember.objects.create(
                household=household,
                contact=member,
                relationship=relationship,
                monthly_income=Decimal(income),
            )
        people[key] = contact
    return people


def _payload(action: str, staff: dict[str, User], amount: int) -> dict:
    return {
        "assign": {"executor": staff["kz.executor.zer"].pk},
        "record_survey": {"need": True, "act_number": "ZER-2026-14"},
        "decide": {"need": bool(amount), "amount": str(amount)},
    }.get(action, {})


def _walk(case: Case, route: str, target: str, staff: dict[str, User], amount: int) -> Case:
    steps = OFFICE_STEPS if route == "office" else AKIM_STEPS
    if target == Status.SUSPENDED:
        steps, last = steps[:3], ("request_documents", "kz.executor.zer")
    elif target == Status.CANCELLED:
        steps, last = steps[:1], ("cancel", "kz.akim.zer" if route == "akim" else "kz.head.zer")
    else:
        last = None
    for action, who in steps:
        if case.status == target:
            break
        case = case_apply_action(
            case=case, action=action, actor=staff[who], payload=_payload(action, staff, amount)
        )
    if last is not None:
        action, who = last
        reasons = {
            "request_documents": {
                "reason_code": "lost",
                "reason": "Жұбайының табысы туралы анықтама жоғалған; қайта әкелу керек.",
            },
            "cancel": {"reason": "Өтініш беруші өтінішін қайтарып алды."},
        }
        case = case_apply_action(
            case=case, action=action, actor=staff[who], payload=reasons[action]
        )
    return case


def seed(context) -> None:
    service = Service.objects.get(code=SERVICE)
    staff = seed_staff(context)
    people = seed_families(context)
    for key, route, target, reason, amount in CASES:
        contact = people[key]
        if Case.objects.filter(
            beneficiary=contact, service=service, reason_for_care=reason
        ).exists():
            continue
        first = staff["kz.akim.zer" if route == "akim" else "kz.clerk.zer"]
        case = services.case_create(
            beneficiary=contact,
            service=service,
            actor=first,
            origin_channel="walk_in",
            reason_for_care=reason,
        )
        for required in service.documents.all():
            services.case_document_add(
                case=case,
                actor=first,
                file=ContentFile(DEMO_PDF, name=f"{required.code}.pdf"),
                kind=CaseDocument.Kind.REQUIRED,
                required_document=required,
                issue_date=timezone.localdate() - dt.timedelta(days=3),
            )
        _walk(case, route, target, staff, amount)
    context.notes.append(
        "Social assistance (Zerendi, Kazakhstan): applications at every step of the office "
        f"and rural-akim routes; its staff log in as kz.clerk.zer / kz.head.zer / "
        f"kz.executor.zer / kz.commission.local / kz.commission.special / kz.akim.zer, "
        f"password {PASSWORD}."
    )
