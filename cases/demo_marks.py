"""Demo of organisations' mark applications (seed 003) in Zerendi, one in every status, and of
caregiver allowances being paid (seed 001) with months behind them.

Statuses are reached through ``case_apply_action`` and the registry processing itself. The
demo registry answers from its table, so the application in ``error`` has one employee whose
registry check failed recorded as the processing would record it, and the application in
``sent`` keeps waiting for the processing queue. Idempotent: organisations by BIN, allowances
by beneficiary, service and stated reason.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from crm.models import RegistryPerson, User

from . import marks, services
from .models import Case, Service, Status
from .organisations import MarkApplication, MarkEmployee, Organisation
from .transitions import case_apply_action

OFFICE = "KZ/AKM/ZER/"
CLERK = "kz.clerk.zer"

# key, name, contact person, phone, address, specialised, (disabled kind or "", pay) per
# employee, the status the last application reaches
ORGANISATIONS = [
    ("umit", "«Үміт» ЖШС (тігін цехы)", "Айгүл Сәрсенова", "+77015550301",
     "Зеренді а., Мира к-сі 12", True,
     [("hearing", 180000), ("hearing", 180000), ("", 250000), ("", 260000)], Status.APPROVED),
    ("zharyk", "«Жарық» қоғамдық бірлестігі", "Ерболат Ахметов", "+77015550302",
     "Зеренді а., Абай к-сі 4", False,
     [("other", 150000), ("vision", 150000), ("other", 150000), ("", 200000)], Status.SENT),
    ("demeu", "«Демеу» ЖШС", "Мария Ким", "+77015550303", "Зеренді а., Ленин к-сі 40",
     False, [("other", 120000), ("", 300000), ("", 300000)], Status.REJECTED),
    ("kemel", "«Кемел» ЖШС", "Нұржан Байұлы", "+77015550304", "Зеренді а., Бейбітшілік 7",
     False, [("speech", 160000), ("other", 170000), ("", 180000)], Status.ERROR),
    ("bereke", "«Береке» ЖШС", "Гүлмира Тасова", "+77015550305", "Зеренді а., Жастар 2",
     False, [("other", 140000), ("other", 140000), ("", 140000)], Status.EXPIRED),
    ("nur", "«Нұр» ЖШС", "Әлия Серікова", "+77015550306", "Зеренді а., Орталық 1",
     False, [("other", 100000), ("", 100000)], Status.DRAFT),
]  # fmt: skip

FIRST_NAMES = ["Асқар", "Гүлнар", "Дана", "Ерлан", "Жанна", "Қайрат", "Ләззат", "Мұрат"]


def _bin(serial: int) -> str:
    from crm.national_ids import iin_check_digit

    for n in range(serial * 10, serial * 10 + 10):
        first11 = f"0805400{n:04d}"
        digit = iin_check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"
    raise ValueError("no valid BIN in range")


def _employees(org_number: int, rows: list[tuple[str, int]]) -> list[dict]:
    from crm.demo import _iin

    people = []
    for n, (kind, pay) in enumerate(rows):
        birth = dt.date(1975 + n * 3, 1 + org_number, 10 + n)
        iin = _iin(birth, "F" if n % 2 else "M", f"{org_number * 100 + n * 7:04d}")
        RegistryPerson.objects.get_or_create(
            national_id=iin,
            defaults={
                "first_name": FIRST_NAMES[(org_number + n) % len(FIRST_NAMES)],
                "last_name": f"Демо-{org_number}{n}",
                "birth_date": birth,
                "sex": "F" if n % 2 else "M",
                "address_unit_path": OFFICE,
            },
        )
        people.append({"iin": iin, "disability": kind, "payroll": pay})
    return people


def _send_and_leave_queued(case: Case, clerk: User) -> None:
    """Send, leaving the registry check queued (as while the 2-4 hour processing works)."""
    with transaction.atomic():
        case_apply_action(case=case, action="send", actor=clerk)
        connection.run_on_commit = [
            entry
            for entry in connection.run_on_commit
            if "queue_registry_check" not in getattr(entry[1], "__qualname__", "")
        ]


def seed_marks(context) -> None:
    clerk = context.staff[CLERK]
    unit = context.units[OFFICE]
    system = marks.system_actor()
    for number, (key, name, person, phone, address, specialised, rows, target) in enumerate(
        ORGANISATIONS, start=1
    ):
        bin_value = _bin(number)
        if Organisation.objects.filter(bin=bin_value).exists():
            continue
        org = marks.organisation_create(
            actor=clerk,
            name=name,
            bin=bin_value,
            unit=unit,
            contact_person=person,
            phone=phone,
            address=address,
        )
        context.contacts[f"org.{key}"] = org.contact
        case = marks.mark_application_create(
            organisation=org,
            actor=clerk,
            employees=_employees(number, rows),
            specialised=specialised,
        )
        if target == Status.DRAFT:
            continue
        if target == Status.SENT:
            _send_and_leave_queued(case, clerk)
            continue
        if target == Status.ERROR:
            _send_and_leave_queued(case, clerk)
            failed = MarkEmployee.objects.filter(application__case=case).last()
            failed.lookup, failed.lookup_error = MarkEmployee.Lookup.FAILED, "registry timed out"
            failed.checked_at = timezone.now()
            failed.save()
            MarkEmployee.objects.filter(application__case=case).exclude(pk=failed.pk).update(
                lookup=MarkEmployee.Lookup.FOUND, checked_at=timezone.now()
            )
            case_apply_action(case=case, action="fail", actor=system, internal=True)
            continue
        # The processing, run here rather than queued, so the demo is the same with a worker.
        _send_and_leave_queued(case, clerk)
        marks.mark_registry_check(case_id=case.pk)
        if target == Status.EXPIRED:
            # Approved 181 days ago: the periodic job removes the mark.
            MarkApplication.objects.filter(case=case).update(
                approved_at=timezone.now() - dt.timedelta(days=181),
                expires_at=timezone.now() - dt.timedelta(days=1),
            )
            marks.marks_expire()
        if target == Status.APPROVED:
            # A new application started from the approved one, as the office does it.
            marks.mark_copy(case=case, actor=clerk)


# beneficiary, service, reason, local worker, months paid before this one, stopped months ago
ALLOWANCES = [
    ("dolgor", "caregiver-allowance-13-2-1", "Өнчин ач хүүгээ асран хамгаалж байна.",
     "local.skh07", 5, None),
    ("oyun", "caregiver-allowance-13-2-2", "Эцэг эхийн асрамжгүй зээ охиноо асарч байна.",
     "local.skh12", 14, 2),
    ("ganaa", "caregiver-allowance-13-2-3", "Хөгжлийн бэрхшээлтэй хүүгээ асарч байна.",
     "local.skh07", 0, None),
]  # fmt: skip


def _months_ago(months: int) -> dt.date:
    month = timezone.localdate().replace(day=1)
    for _ in range(months):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def seed_allowances(context) -> None:
    from .demo import _fill_draft

    district = context.staff["district.skh"]
    for key, code, reason, local_name, months, stopped in ALLOWANCES:
        contact, service = context.contacts[key], Service.objects.get(code=code)
        if Case.objects.filter(beneficiary=contact, service=service, reason_for_care=reason):
            continue
        local = context.staff[local_name]
        case = _fill_draft(
            services.case_create(
                beneficiary=contact,
                service=service,
                actor=local,
                origin_channel="walk_in",
                reason_for_care=reason,
            ),
            local,
            complete=True,
        )
        case = case_apply_action(case=case, action="submit", actor=local)
        case = case_apply_action(case=case, action="approve", actor=district)
        if stopped is not None:
            case = case_apply_action(
                case=case,
                action="discharge",
                actor=district,
                payload={"reason": "Асран хамгаалагч өөрчлөгдсөн / the guardian changed"},
            )
        # The demo's history: granted ``months`` months ago (the first months were paid).
        entitlement = case.entitlement
        entitlement.first_month = _months_ago(months)
        entitlement.last_month = _months_ago(stopped) if stopped is not None else None
        entitlement.save(update_fields=["first_month", "last_month"])


def seed(context) -> None:
    seed_marks(context)
    seed_allowances(context)
    context.notes.append(
        "Organisations' mark applications (one in every status): console /console/"
        f"organisations/ as {CLERK}; the allowance payment list: /console/payments/ as "
        "district.skh (GET /api/v1/payments/?month=YYYY-MM&export=csv|xlsx)."
    )
