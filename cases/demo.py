"""Demo data of the case core: care homes with staff in both countries, and cases in every
status, moved there through ``case_apply_action`` so their histories are real.

Idempotent: a demo case is recognised by its beneficiary, service and reason for care.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from crm.models import Contact, Identity, Role, User

from . import services
from .models import Case, CaseDocument, Facility, Service, Status, Ward
from .transitions import case_apply_action

PLACEMENT = "care-home-placement"
KZ_PLACEMENT = "kz-care-home-placement"
DEMO_PDF = b"%PDF-1.4\n% demo scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

FACILITIES = [
    # key, unit path, name, name_en, accreditation, valid days, wards, staff username
    (
        "skh",
        "MN/UB/SKH/",
        "Сонгинохайрхан дүүргийн Ахмадын асрамжийн газар",
        "Songinokhairkhan elderly care home",
        Facility.Accreditation.ACCREDITED,
        700,
        {"F": 15, "M": 15},
        "care.skh",
    ),
    (
        "dg",
        "MN/DG/STS/",
        "Дундговь аймгийн Ахмадын асрамжийн газар",
        "Dundgovi elderly care home",
        Facility.Accreditation.LICENSED,
        400,
        {"": 20},
        "care.dg",
    ),
    (
        "sbd",
        "MN/UB/SBD/",
        "Сүхбаатар дүүргийн Асрамжийн төв (тусгай зөвшөөрөл дууссан)",
        "Sukhbaatar care centre (licence expired)",
        Facility.Accreditation.LICENSED,
        -30,
        {"": 12},
        "",
    ),
    (
        "zer",
        "KZ/AKM/ZER/",
        "Зеренді аудандық қарттар мен мүгедектерге арналған медициналық-әлеуметтік мекеме",
        "Zerendi district care home for the elderly and disabled",
        Facility.Accreditation.LICENSED,
        900,
        {"": 25},
        "kz.care.zer",
    ),
]

# More people in Zerendi so the Kazakh data has a case in every status too.
KZ_CITIZENS = [
    # key, last, first, birth, sex, phone, language, lives alone
    ("bauyrzhan", "Ахметов", "Бауыржан", dt.date(1938, 2, 14), "M", "+77015550101", "kk", True),
    ("roza", "Смағұлова", "Роза", dt.date(1941, 10, 3), "F", "+77015550102", "kk", True),
    ("nikolai", "Петров", "Николай", dt.date(1944, 6, 22), "M", "+77015550103", "ru", True),
    ("kulash", "Жұмабаева", "Күләш", dt.date(1937, 12, 1), "F", "+77015550104", "kk", False),
    ("marat", "Сейітқали", "Марат", dt.date(1949, 3, 9), "M", "+77015550105", "kk", True),
    ("saule", "Қасымова", "Сәуле", dt.date(1939, 5, 5), "F", "+77015550106", "kk", True),
    ("ivan", "Сидоров", "Иван", dt.date(1942, 9, 17), "M", "+77015550107", "ru", True),
    ("almas", "Бекұлы", "Алмас", dt.date(1945, 1, 28), "M", "+77015550108", "kk", True),
    ("gulsim", "Омарова", "Гүлсім", dt.date(1936, 7, 7), "F", "+77015550109", "kk", True),
    ("yerlan", "Тоқтаров", "Ерлан", dt.date(1947, 4, 19), "M", "+77015550110", "kk", True),
]

# contact key, service, target status, reason for care (unique per demo case),
# local worker, district worker, facility key, channel
CASES = [
    ("dorj", PLACEMENT, Status.IN_SERVICE, "Ганц бие, хөдөлгөөн хязгаарлагдмал, асрах хүнгүй.",
     "local.skh07", "district.skh", "skh", "walk_in"),
    ("dolgor", PLACEMENT, Status.SUBMITTED, "Ганц бие, хараа муудсан, асаргаа хэрэгтэй.",
     "local.skh07", "district.skh", "", "sms"),
    ("dolgor", PLACEMENT, Status.CANCELLED, "Давхардсан хүсэлт (утсаар бүртгүүлсэн).",
     "local.skh07", "district.skh", "", "voice"),
    ("ganaa", PLACEMENT, Status.DISCHARGED, "Хагалгааны дараах түр асаргаа.",
     "local.skh07", "district.skh", "skh", "walk_in"),
    ("bat", PLACEMENT, Status.DRAFT, "Ач охиноо асарч чадахгүй болсон, өөрөө асаргаа хүсч байна.",
     "local.skh12", "district.skh", "", "walk_in"),
    ("oyun", PLACEMENT, Status.ALLOCATED, "Эдгэшгүй өвчтэй, ганцаараа амьдардаг.",
     "local.skh12", "district.skh", "skh", "telegram"),
    ("bat", "caregiver-allowance-13-2-4", Status.SUBMITTED,
     "Хөгжлийн бэрхшээлтэй ач охин Анарыг байнга асардаг.",
     "local.skh12", "district.skh", "", "walk_in"),
    ("sukh", PLACEMENT, Status.WAITLISTED, "Ганц бие, 87 настай, хөгжлийн бэрхшээлтэй.",
     "local.deren", "district.dg", "dg", "walk_in"),
    ("tsetseg", PLACEMENT, Status.RETURNED, "Ганц бие, өвлийн улиралд түлш хангалтгүй.",
     "local.deren", "district.dg", "", "sms"),
    ("aigul", KZ_PLACEMENT, Status.IN_SERVICE, "Жалғызбасты, өз-өзіне қарай алмайды.",
     "kz.local.zer", "kz.district.zer", "zer", "walk_in"),
    ("serik", KZ_PLACEMENT, Status.WAITLISTED, "Жалғызбасты, мүгедектігі бар, тұрақты күтім қажет.",
     "kz.local.zer", "kz.district.zer", "zer", "voice"),
    ("valentina", KZ_PLACEMENT, Status.SUBMITTED, "Одинокая, после инсульта, нуждается в уходе.",
     "kz.local.zer", "kz.district.zer", "", "telegram"),
    ("bauyrzhan", KZ_PLACEMENT, Status.ALLOCATED, "Жалғызбасты, жасы 88-де.",
     "kz.local.zer", "kz.district.zer", "zer", "walk_in"),
    ("roza", KZ_PLACEMENT, Status.RETURNED, "Жалғызбасты, үйі жылытылмайды.",
     "kz.local.zer", "kz.district.zer", "", "sms"),
    ("nikolai", KZ_PLACEMENT, Status.DRAFT, "Одинокий, плохо ходит.",
     "kz.local.zer", "kz.district.zer", "", "voice"),
    ("kulash", KZ_PLACEMENT, Status.DISCHARGED, "Уақытша күтім, отбасы қайтып алды.",
     "kz.local.zer", "kz.district.zer", "zer", "walk_in"),
    ("marat", KZ_PLACEMENT, Status.CANCELLED, "Туысы өз қамқорлығына алды.",
     "kz.local.zer", "kz.district.zer", "", "walk_in"),
    # More of a working day: several requests on every worklist tab.
    ("tsend", PLACEMENT, Status.DRAFT, "Ганц бие, гэр нь хуучирсан, өвөлжих боломжгүй.",
     "local.skh07", "district.skh", "", "walk_in"),
    ("luvsan", PLACEMENT, Status.SUBMITTED, "Хөгжлийн бэрхшээлтэй, ганцаараа, тэргэнцэртэй.",
     "local.skh07", "district.skh", "", "voice"),
    ("enkhee", PLACEMENT, Status.RETURNED, "Одинокая, после перелома бедра не встаёт.",
     "local.skh07", "district.skh", "", "telegram"),
    ("gombo", PLACEMENT, Status.WAITLISTED, "90 настай, ганц бие, хооллох хүнгүй.",
     "local.skh07", "district.skh", "skh", "walk_in"),
    ("badam", PLACEMENT, Status.IN_SERVICE, "Хүүхдүүд нь гадаадад, өөрөө асаргаа хүссэн.",
     "local.skh07", "district.skh", "skh", "kiosk"),
    ("naraa", PLACEMENT, Status.WAITLISTED, "Эдгэшгүй өвчтэй, байнгын асаргаа хэрэгтэй.",
     "local.skh12", "district.skh", "skh", "sms"),
    ("tumur", PLACEMENT, Status.ALLOCATED, "Ганц бие, дулаангүй гэрт амьдардаг.",
     "local.skh12", "district.skh", "skh", "voice"),
    ("davaa", PLACEMENT, Status.RETURNED, "Хөгжлийн бэрхшээлтэй, асран хамгаалагч нь нас барсан.",
     "local.skh12", "district.skh", "", "walk_in"),
    ("ganaa", PLACEMENT, Status.DRAFT, "Хагалгааны дараа дахин асаргаа хүссэн.",
     "local.skh07", "district.skh", "", "voice"),
    ("luvsan", PLACEMENT, Status.CANCELLED, "Давхардсан хүсэлт (киоскоор илгээсэн).",
     "local.skh07", "district.skh", "", "kiosk"),
    ("saule", KZ_PLACEMENT, Status.SUBMITTED, "Жалғызбасты, көзі нашар көреді.",
     "kz.local.zer", "kz.district.zer", "", "kiosk"),
    ("ivan", KZ_PLACEMENT, Status.RETURNED, "Одинокий, инвалид второй группы.",
     "kz.local.zer", "kz.district.zer", "", "sms"),
    ("gulsim", KZ_PLACEMENT, Status.IN_SERVICE, "Жалғызбасты, 90 жаста, көмекшісі жоқ.",
     "kz.local.zer", "kz.district.zer", "zer", "walk_in"),
    ("yerlan", KZ_PLACEMENT, Status.ALLOCATED, "Мүгедектігі бар, туыстары алыста тұрады.",
     "kz.local.zer", "kz.district.zer", "zer", "voice"),
    ("almas", KZ_PLACEMENT, Status.WAITLISTED, "Жалғызбасты, жүре алмайды.",
     "kz.local.zer", "kz.district.zer", "zer", "telegram"),
]  # fmt: skip

# The actions from draft to each status (allowances are approved instead of allocated).
PATHS: dict[str, list[str]] = {
    Status.DRAFT: [],
    Status.SUBMITTED: ["submit"],
    Status.RETURNED: ["submit", "return"],
    Status.ALLOCATED: ["submit", "allocate"],
    Status.WAITLISTED: ["submit", "allocate", "accept"],
    Status.IN_SERVICE: ["submit", "allocate", "accept", "admit"],
    Status.DISCHARGED: ["submit", "allocate", "accept", "admit", "discharge"],
    Status.CANCELLED: ["submit", "cancel"],
}

PASSWORD = "care-demo-2026"


def seed_facilities(context) -> dict[str, Facility]:
    homes = {}
    today = timezone.localdate()
    for key, path, name, name_en, accreditation, days, wards, username in FACILITIES:
        unit = context.units[path]
        facility, _ = Facility.objects.update_or_create(
            unit=unit,
            name_en=name_en,
            defaults={
                "name": name,
                "accreditation": accreditation,
                "accreditation_valid_until": today + dt.timedelta(days=days),
            },
        )
        for sex, capacity in wards.items():
            Ward.objects.get_or_create(facility=facility, sex=sex, defaults={"capacity": capacity})
        homes[key] = facility
        if username:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "role": Role.FACILITY_STAFF,
                    "unit": unit,
                    "language": "mn" if path.startswith("MN") else "kk",
                },
            )
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            services.facility_staff_link(user=user, facility=facility)
            context.account(user, PASSWORD)
    return homes


def seed_kz_citizens(context) -> None:
    from crm.demo import _iin  # the same valid-IIN helper the CRM demo uses

    unit = context.units["KZ/AKM/ZER/ZER/"]
    for serial, (key, last, first, birth, sex, phone, language, alone) in enumerate(
        KZ_CITIZENS, start=300
    ):
        nid = _iin(birth, sex, str(serial * 10))
        identity = Identity.objects.filter(scheme=Identity.Scheme.NATIONAL_ID, value=nid).first()
        if identity:
            contact = identity.contact
        else:
            contact = Contact.objects.create(
                last_name=last,
                first_name=first,
                birth_date=birth,
                sex=sex,
                address_unit=unit,
                preferred_language=language,
                preferred_channel="sms",
                lives_alone=alone,
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
        context.contacts[key] = contact


def _attach(case: Case, actor: User, *, kind: str, required=None) -> None:
    services.case_document_add(
        case=case,
        actor=actor,
        file=ContentFile(DEMO_PDF, name=f"{required.code if required else kind}.pdf"),
        kind=kind,
        required_document=required,
        issue_date=timezone.localdate() - dt.timedelta(days=10),
    )


def _fill_draft(case: Case, local: User, *, complete: bool) -> Case:
    disabled = case.beneficiary.target_groups.filter(code="disability").exists()
    data = {"has_disability": disabled}
    if disabled:
        data.update(disability_type="Хөдөлгөөний / мобильности", disability_percent=75)
    case = services.case_update(case=case, actor=local, data=data)
    for required in case.service.documents.all():
        if required.applies_to(case):
            _attach(case, local, kind=CaseDocument.Kind.REQUIRED, required=required)
            if not complete:
                break  # a draft with the first paper only, as a worker saves it midway
    return case


def _walk(case: Case, target: str, context, local: User, district: User, home) -> Case:
    path = PATHS[target]
    if case.service.workflow == "allowance":
        path = [{"allocate": "approve"}.get(a, a) for a in path if a not in ("accept", "admit")]
    facility_user = None
    if home is not None:
        facility_user = User.objects.filter(facility_link__facility=home).first()
    for action in path:
        if action == "allocate":
            for kind in (CaseDocument.Kind.GOVERNOR_DECREE, CaseDocument.Kind.WELFARE_LETTER):
                _attach(case, district, kind=kind)
        actor = {
            "submit": local,
            "return": district,
            "allocate": district,
            "approve": district,
            "cancel": district,
        }.get(action, facility_user)
        payload = {
            "return": {
                "reason_code": "expired_health_certificate",
                "reason": "Эрүүл мэндийн тодорхойлолтоо шинэчилнэ үү / renew the health "
                "certificate",
            },
            "cancel": {"reason": "Хүсэлт давхардсан эсвэл гэр бүл нь асрахаар болсон"},
            "allocate": {"facility": home.pk if home else None},
            "decline": {"reason": "demo"},
            # One bed per person: room and bed follow the case's own number.
            "admit": {
                "admitted_on": timezone.localdate(),
                "room": str(101 + case.pk // 4),
                "bed": str(1 + case.pk % 4),
            },
        }.get(action, {})
        case = case_apply_action(case=case, action=action, actor=actor, payload=payload)
    return case


def seed_cases(context, homes: dict[str, Facility]) -> None:
    for key, code, target, reason, local_name, district_name, home_key, channel in CASES:
        contact = context.contacts[key]
        service = Service.objects.get(code=code)
        if Case.objects.filter(
            beneficiary=contact, service=service, reason_for_care=reason
        ).exists():
            continue
        local, district = context.staff[local_name], context.staff[district_name]
        case = services.case_create(
            beneficiary=contact,
            service=service,
            actor=local,
            origin_channel=channel,
            reason_for_care=reason,
        )
        case = _fill_draft(case, local, complete=target != Status.DRAFT)
        _walk(case, target, context, local, district, homes.get(home_key))


def seed(context) -> None:
    from . import demo_assistance, demo_marks

    homes = seed_facilities(context)
    seed_kz_citizens(context)
    seed_cases(context, homes)
    demo_assistance.seed(context)
    demo_marks.seed(context)
    context.notes.append(
        "Care homes: GET /api/v1/facilities/; cases in every status: GET /api/v1/cases/ "
        f"(care-home staff log in as care.skh / care.dg / kz.care.zer, password {PASSWORD})."
    )
