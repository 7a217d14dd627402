"""Organisations and their mark applications (seed 003): create, edit the employees, copy,
check the IINs in the registry in the background, expire marks after 180 days."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.errors import Conflict, NotAllowed, ValidationFailed
from crm.identities import IdentityError
from crm.models import AdminUnit, Contact, Identity, Role, User
from crm.national_ids import NationalIdError, parse_kz_iin
from crm.registry import RegistryUnavailable, registry_lookup
from crm.services import identity_add

from .labels import status_name
from .models import Case, Service, Status, Workflow
from .organisations import (
    MAX_EMPLOYEES,
    MarkApplication,
    MarkEmployee,
    Organisation,
    bin_error,
)
from .services import case_create
from .transitions import case_apply_action

logger = logging.getLogger(__name__)

MARK_SERVICE_CODE = "organisation-mark"
EDITABLE = {Status.DRAFT, Status.REJECTED}
EDIT_ROLES = {Role.CLERK, Role.EXECUTOR, Role.ADMIN}
# The account the registry processing and the expiry job act as (it has no password).
SYSTEM_USERNAME = "system.processing"


def system_actor() -> User:
    user, _created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"role": Role.ADMIN, "first_name": "Registry processing"},
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def mark_service() -> Service:
    """The catalogue entry every mark application is a case of (offered in Kazakhstan)."""
    service, _created = Service.objects.get_or_create(
        code=MARK_SERVICE_CODE,
        defaults={
            "name_mn": "«Хөгжлийн бэрхшээлтэй иргэдийн нийгэмлэг» тэмдэг",
            "name_kk": "«Мүгедектер бірлестігі» белгісі",
            "name_ru": "Признак «Объединение инвалидов»",
            "name_en": "Association of persons with disabilities mark",
            "country": "KZ",
            "workflow": Workflow.ORGANISATION_MARK,
            "payment_frequency": Service.Frequency.NONE,
        },
    )
    return service


# --- organisations --------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    name: str,
    bin: str,
    unit: AdminUnit,
    contact_person: str,
    phone: str = "",
    telegram: str = "",
    address: str = "",
    language: str = "kk",
) -> Organisation:
    """A new organisation and the contact it is reached through (phone, Telegram id)."""
    if actor.role not in EDIT_ROLES:
        raise NotAllowed(
            _("Your role cannot register organisations; the welfare office's clerk does.")
        )
    problems = {}
    if not name.strip():
        problems["name"] = [_("The organisation's name is required.")]
    bin_value = (bin or "").strip().replace(" ", "")
    if error := bin_error(bin_value):
        problems["bin"] = [error]
    elif Organisation.objects.filter(bin=bin_value).exists():
        problems["bin"] = [
            _("An organisation with BIN %(bin)s is already registered.") % {"bin": bin_value}
        ]
    if not contact_person.strip():
        problems["contact_person"] = [_("Who to speak to at the organisation is required.")]
    if not phone and not telegram:
        problems["phone"] = [_("A phone number or a Telegram id to reach the organisation.")]
    if problems:
        raise ValidationFailed(
            _("Cannot register the organisation: %(problems)s")
            % {"problems": " ".join(m for v in problems.values() for m in v)},
            details=problems,
        )
    contact = Contact.objects.create(
        last_name=name.strip()[:100],
        first_name=contact_person.strip()[:100],
        address_unit=unit,
        address_text=address.strip(),
        preferred_language=language,
    )
    try:
        for scheme, raw in ((Identity.Scheme.PHONE, phone), (Identity.Scheme.TELEGRAM, telegram)):
            if raw:
                identity_add(contact=contact, scheme=scheme, raw_value=str(raw))
    except IdentityError as exc:  # pragma: no cover - identity_add maps these itself
        raise ValidationFailed(str(exc)) from exc
    return Organisation.objects.create(
        name=name.strip(),
        bin=bin_value,
        unit=unit,
        contact_person=contact_person.strip(),
        address=address.strip(),
        contact=contact,
    )


# --- applications ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EmployeeRow:
    iin: str
    disability: str
    payroll: Decimal


def parse_employees(rows: list[dict]) -> list[EmployeeRow]:
    """Validate the whole list at once: every IIN's check digit, no duplicates, at most 100.

    Raises ValidationFailed naming each bad row (1-based) and what to fix.
    """
    if len(rows) > MAX_EMPLOYEES:
        raise ValidationFailed(
            _("At most %(most)s employees per application; %(count)s were given.")
            % {"most": MAX_EMPLOYEES, "count": len(rows)},
            details={"employees": [f"at most {MAX_EMPLOYEES}"]},
        )
    parsed, errors, seen = [], {}, set()
    kinds = set(MarkEmployee.Disability.values)
    for number, row in enumerate(rows, start=1):
        problems = []
        try:
            iin = parse_kz_iin(str(row.get("iin", ""))).value
        except NationalIdError as exc:
            iin, problems = "", [str(exc)]
        if iin and iin in seen:
            problems.append(_("IIN %(iin)s is listed twice.") % {"iin": iin})
        seen.add(iin)
        disability = row.get("disability") or ""
        if row.get("has_disability") and not disability:
            disability = MarkEmployee.Disability.OTHER
        if disability not in kinds:
            problems.append(
                _("disability must be one of %(kinds)s.")
                % {"kinds": ", ".join(k for k in kinds if k)}
            )
        try:
            payroll = Decimal(str(row.get("payroll", "")))
            if payroll < 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            payroll = Decimal(0)
            problems.append(_("payroll: the employee's monthly pay, a number of at least 0."))
        if problems:
            errors[str(number)] = problems
        else:
            parsed.append(EmployeeRow(iin=iin, disability=disability, payroll=payroll))
    if errors:
        raise ValidationFailed(
            _("Fix the employee rows: %(rows)s")
            % {
                "rows": "; ".join(
                    _("row %(row)s: %(problems)s") % {"row": n, "problems": " ".join(p)}
                    for n, p in errors.items()
                )
            },
            details={"employees": errors},
        )
    return parsed


def _check_editable(case: Case) -> None:
    if case.service.workflow != Workflow.ORGANISATION_MARK:
        raise Conflict(
            _("Case %(number)s is not an organisation mark application.") % {"number": case.number}
        )
    if case.status not in EDITABLE:
        raise Conflict(
            _(
                "Case %(number)s is %(status)s; only draft and rejected applications can be "
                "edited (copy an approved one to start a new application)."
            )
            % {"number": case.number, "status": status_name(case.status, case.workflow)}
        )


def _write_employees(application: MarkApplication, rows: list[EmployeeRow]) -> None:
    known = {e.iin: e for e in application.employees.all()}
    keep = {r.iin for r in rows}
    application.employees.exclude(iin__in=keep).delete()
    for row in rows:
        existing = known.get(row.iin)
        if existing is None:
            MarkEmployee.objects.create(
                application=application, iin=row.iin, disability=row.disability, payroll=row.payroll
            )
        elif (existing.disability, existing.payroll) != (row.disability, row.payroll):
            existing.disability, existing.payroll = row.disability, row.payroll
            existing.save(update_fields=["disability", "payroll"])


def mark_application_create(
    *,
    organisation: Organisation,
    actor: User,
    employees: list[dict] | None = None,
    specialised: bool = False,
    origin_channel: str = "walk_in",
) -> Case:
    """A new draft application of ``organisation``; employees are optional in a draft."""
    rows = parse_employees(employees or [])
    with transaction.atomic():
        case = case_create(
            beneficiary=organisation.contact,
            service=mark_service(),
            actor=actor,
            origin_channel=origin_channel,
            unit=organisation.unit,
        )
        case.organisation = organisation
        case.save(update_fields=["organisation"])
        application = MarkApplication.objects.create(
            case=case, organisation=organisation, specialised=specialised
        )
        _write_employees(application, rows)
    return case


def mark_application_update(
    *, case: Case, actor: User, employees: list[dict] | None = None, specialised: bool | None = None
) -> Case:
    """Replace the employee list (rows kept by IIN keep their registry answer) or the
    specialised flag of a draft or rejected application."""
    if actor.role not in EDIT_ROLES:
        raise NotAllowed(_("Your role cannot edit mark applications."))
    rows = parse_employees(employees) if employees is not None else None
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        _check_editable(locked)
        application = MarkApplication.objects.get(case=locked)
        if rows is not None:
            _write_employees(application, rows)
        if specialised is not None:
            application.specialised = specialised
        application.computation = {}
        application.save(update_fields=["specialised", "computation"])
    return locked


def mark_copy(*, case: Case, actor: User) -> Case:
    """A new draft of the same organisation copying the last approved application.

    ``case`` names the organisation; the copy is made from its most recently approved
    application (valid or expired). 409 when it never had one approved.
    """
    if case.service.workflow != Workflow.ORGANISATION_MARK:
        raise Conflict(
            _("Case %(number)s is not an organisation mark application.") % {"number": case.number}
        )
    organisation = (
        MarkApplication.objects.select_related("organisation").get(case=case).organisation
    )
    source = (
        MarkApplication.objects.filter(organisation=organisation, approved_at__isnull=False)
        .select_related("case")
        .order_by("-approved_at", "-id")
        .first()
    )
    if source is None:
        raise Conflict(
            _("%(organisation)s has no approved application to copy; create a new one.")
            % {"organisation": organisation.name}
        )
    rows = [
        {"iin": e.iin, "disability": e.disability, "payroll": e.payroll}
        for e in source.employees.all()
    ]
    with transaction.atomic():
        new = mark_application_create(
            organisation=organisation,
            actor=actor,
            employees=rows,
            specialised=source.specialised,
            origin_channel=case.origin_channel,
        )
        MarkApplication.objects.filter(case=new).update(copied_from=source.case)
    return new


# --- background processing ------------------------------------------------------------------


def mark_registry_check(*, case_id: int) -> str:
    """Look every unanswered IIN up, then let the rule decide. Idempotent: a case no longer
    ``sent`` is left alone, rows already answered are not asked again."""
    case = Case.objects.filter(pk=case_id).select_related("service").first()
    if case is None or case.status != Status.SENT:
        return "skipped"
    application = MarkApplication.objects.get(case=case)
    now = timezone.now()
    for employee in application.employees.exclude(lookup=MarkEmployee.Lookup.FOUND):
        try:
            record = registry_lookup(employee.iin)
        except RegistryUnavailable as exc:
            employee.lookup, employee.lookup_error = MarkEmployee.Lookup.FAILED, str(exc)[:300]
        else:
            if record is None:
                employee.lookup = MarkEmployee.Lookup.NOT_FOUND
                employee.lookup_error = "No person with this IIN in the registry."
            else:
                employee.lookup, employee.lookup_error = MarkEmployee.Lookup.FOUND, ""
                employee.full_name = " ".join(
                    p for p in (record.last_name, record.first_name, record.middle_name) if p
                )
        employee.checked_at = now
        employee.save(update_fields=["lookup", "lookup_error", "full_name", "checked_at"])
    rows = application.employees.values_list("lookup", flat=True)
    if MarkEmployee.Lookup.FAILED in rows:
        action = "fail"
    elif MarkEmployee.Lookup.NOT_FOUND in rows:
        action = "reject"
    else:
        from .workflows.mark_rules import compute_for

        action = "approve" if compute_for(application).met else "reject"
    try:
        case_apply_action(case=case, action=action, actor=system_actor(), internal=True)
    except Conflict:  # another run decided first
        return "skipped"
    return action


def marks_expire(*, now=None) -> int:
    """Expire every approved mark past its 180 days; running it again expires nothing more."""
    now = now or timezone.now()
    due = Case.objects.filter(
        status=Status.APPROVED,
        service__workflow=Workflow.ORGANISATION_MARK,
        mark__expires_at__lte=now,
    ).values_list("pk", flat=True)
    actor, expired = system_actor(), 0
    for pk in list(due):
        try:
            case_apply_action(case=Case(pk=pk), action="expire", actor=actor, internal=True)
        except (Conflict, ValidationFailed, IntegrityError):
            continue  # a concurrent run got there first
        expired += 1
    return expired
