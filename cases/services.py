"""Writes to cases other than status changes (those are cases.transitions only)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.countries import country_of
from crm.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from crm.events import publish_after_commit
from crm.jurisdiction import contacts_visible_to
from crm.models import AdminUnit, Channel, Contact, Interaction, Role, User
from crm.services import interaction_record

from . import events, sla
from .documents import sniff_content_type, upload_problem
from .labels import status_name
from .models import (
    Case,
    CaseCounter,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseTask,
    Facility,
    FacilityStaff,
    RequiredDocument,
    Service,
    Status,
    unit_district,
)
from .priority import priority_score
from .selectors import cases_visible_to, services_offered
from .workflows import workflow_for

# Clerks and rural akims receive social-assistance applications (seed 004).
CREATE_ROLES = {
    Role.AGENT,
    Role.LOCAL_WORKER,
    Role.DISTRICT_WORKER,
    Role.ADMIN,
    Role.CLERK,
    Role.AKIM,
}
EDIT_ROLES = CREATE_ROLES
EDITABLE_STATUSES = {Status.DRAFT, Status.RETURNED}
CLOSED_STATUSES = {Status.CANCELLED, Status.DISCHARGED, Status.ISSUED}
CASE_FIELDS = {
    "reason_for_care",
    "applicant",
    "applicant_relationship",
    "has_disability",
    "disability_type",
    "disability_percent",
}


def _next_number(year: int) -> str:
    """ "2026-000123": the year's counter row is locked, so two requests never share one."""
    # get_or_create re-reads (still FOR UPDATE) if another transaction created the row first.
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:06d}"


def _check_actor_sees(actor: User | None, contact: Contact, what: str) -> None:
    if actor is not None and not contacts_visible_to(actor).filter(pk=contact.pk).exists():
        # Whole sentences, so each language words them its own way.
        if what == "applicant":
            raise NotFound(_("No such applicant in your jurisdiction."))
        raise NotFound(_("No such citizen in your jurisdiction."))


def _check_offered_in(service: Service, unit: AdminUnit | None) -> None:
    """A case follows its unit's country's catalogue (its law, currency and offices)."""
    country = country_of(unit)
    if service.country == country:
        return
    offered = services_offered(country=country).values_list("code", flat=True)
    raise ValidationFailed(
        _(
            "The service '%(service)s' is offered in %(country)s, not where this case belongs "
            "(%(case_country)s); choose one of: %(offered)s."
        )
        % {
            "service": service.code,
            "country": service.get_country_display(),
            "case_country": country,
            "offered": ", ".join(offered),
        },
        details={"service": "other_country", "offered": list(offered)},
    )


def case_create(
    *,
    beneficiary: Contact,
    service: Service,
    actor: User | None,
    origin_channel: str,
    origin_interaction: Interaction | None = None,
    applicant: Contact | None = None,
    applicant_relationship: str = "",
    reason_for_care: str = "",
    unit: AdminUnit | None = None,
) -> Case:
    """A new case in status draft, on the beneficiary's unit unless ``unit`` is given.

    ``actor`` is the staff member opening it, or None when a citizen channel opens it.
    """
    if actor is not None and actor.role not in CREATE_ROLES:
        raise NotAllowed(_("Your role cannot open cases."))
    if origin_channel not in Channel.values:
        raise ValidationFailed(
            _("Unknown channel '%(channel)s'.") % {"channel": origin_channel},
            details={"origin_channel": Channel.values},
        )
    if not service.is_active:
        raise ValidationFailed(
            _("The service '%(service)s' is no longer offered.") % {"service": service.code},
            details={"service": "inactive"},
        )
    if beneficiary.merged_into_id:
        raise ValidationFailed(
            _("Citizen #%(id)s was merged into #%(into)s; open the case for that citizen.")
            % {"id": beneficiary.pk, "into": beneficiary.merged_into_id},
            details={"beneficiary": "merged"},
        )
    _check_actor_sees(actor, beneficiary, "citizen")
    if applicant is not None:
        if applicant.pk == beneficiary.pk:
            applicant = None
        else:
            _check_actor_sees(actor, applicant, "applicant")
    if applicant_relationship not in Case.Relationship.values:
        raise ValidationFailed(
            _("Unknown relationship '%(relationship)s'.")
            % {"relationship": applicant_relationship},
            details={"applicant_relationship": Case.Relationship.values},
        )
    unit = unit or beneficiary.address_unit
    if unit is None:
        # A case with no unit reaches no local worker and no country's lists: refuse it.
        raise ValidationFailed(
            _(
                "We do not know where citizen #%(id)s lives, so the request cannot reach a "
                "local worker. Identify them first (national ID lookup in the registry) or set "
                "their address unit."
            )
            % {"id": beneficiary.pk},
            details={"contact": "no_address_unit"},
        )
    _check_offered_in(service, unit)
    workflow = workflow_for(service.workflow)
    today = timezone.localdate()
    due_at, due_date = sla.step_due(
        timezone.now(), workflow.first_step_deadline, sla.country_of(unit)
    )
    with transaction.atomic():
        case = Case.objects.create(
            number=_next_number(today.year),
            service=service,
            status=workflow.initial_status,
            beneficiary=beneficiary,
            applicant=applicant,
            applicant_relationship=applicant_relationship if applicant else "",
            origin_channel=origin_channel,
            origin_interaction=origin_interaction,
            unit=unit,
            district=unit_district(unit),
            reason_for_care=reason_for_care.strip(),
            created_by=actor,
            due_at=due_at,
            due_date=due_date,
        )
        if actor is not None and actor.role == Role.LOCAL_WORKER:
            case.assigned_workers.add(actor)
        CaseEvent.objects.create(
            case=case,
            action="create",
            from_status="",
            to_status=case.status,
            actor=actor,
            payload={"origin_channel": origin_channel},
        )
        interaction_record(
            contact=beneficiary,
            channel=Channel.STAFF,
            direction=Interaction.Direction.INTERNAL,
            kind=Interaction.Kind.CASE_EVENT,
            body=f"{case.number}: {service.name_en} ({origin_channel})",
            author=actor,
            payload={"case_id": case.pk, "action": "create"},
        )
        publish_after_commit(
            events.case_created,
            sender=Case,
            case_id=case.pk,
            actor_id=actor.pk if actor else None,
            origin_channel=origin_channel,
        )
    return case


def case_update(*, case: Case, actor: User, data: dict) -> Case:
    """Fill in the draft's parts (personal info, health status) or set the urgency.

    The request parts are editable while the case is a draft or returned; the district
    worker sets ``urgency`` while the case waits in the queue.
    """
    data = dict(data)
    with transaction.atomic():
        locked = Case.objects.select_for_update().filter(pk=case.pk).first()
        if locked is None or not cases_visible_to(user=actor).filter(pk=locked.pk).exists():
            raise NotFound(_("No such case in your jurisdiction."))
        urgency = data.pop("urgency", None)
        unknown = set(data) - CASE_FIELDS
        if unknown:
            raise ValidationFailed(
                _("These fields cannot be changed here: %(fields)s.")
                % {"fields": ", ".join(sorted(unknown))},
                details={k: ["read-only"] for k in sorted(unknown)},
            )
        if data:
            if actor.role not in EDIT_ROLES:
                raise NotAllowed(_("Your role cannot edit requests."))
            if locked.status not in EDITABLE_STATUSES:
                raise Conflict(
                    _(
                        "Case %(number)s is %(status)s; a request can be edited only while it "
                        "is a draft or returned."
                    )
                    % {
                        "number": locked.number,
                        "status": status_name(locked.status, locked.workflow),
                    }
                )
            if "applicant" in data and data["applicant"] is not None:
                if data["applicant"].pk == locked.beneficiary_id:
                    data["applicant"] = None
                else:
                    _check_actor_sees(actor, data["applicant"], "applicant")
            for name, value in data.items():
                setattr(locked, name, value.strip() if isinstance(value, str) else value)
            if locked.has_disability is False:
                locked.disability_type = ""
                locked.disability_percent = None
            if locked.applicant_id is None:
                locked.applicant_relationship = ""
        if urgency is not None:
            if actor.role not in (Role.DISTRICT_WORKER, Role.ADMIN):
                raise NotAllowed(_("Only the district worker sets the urgency."))
            if locked.status in CLOSED_STATUSES:
                raise Conflict(
                    _("Case %(number)s is %(status)s.")
                    % {
                        "number": locked.number,
                        "status": status_name(locked.status, locked.workflow),
                    }
                )
            locked.urgency = urgency
        if locked.status == Status.SUBMITTED:
            locked.priority_score = priority_score(locked, today=timezone.localdate())
        try:
            locked.full_clean(exclude=["number", "service", "beneficiary", "unit", "district"])
        except DjangoValidationError as exc:
            fields = ", ".join(sorted(exc.message_dict))
            raise ValidationFailed(
                _("Fix these fields: %(fields)s.") % {"fields": fields}, details=exc.message_dict
            ) from exc
        locked.save()
    return locked


def case_document_add(
    *,
    case: Case,
    actor: User | None,
    file: UploadedFile,
    kind: str = CaseDocument.Kind.REQUIRED,
    required_document: RequiredDocument | None = None,
    issue_date: dt.date | None = None,
) -> CaseDocument:
    """Store an uploaded PDF/JPEG/PNG (checked by its bytes, at most 10 MB) on the case.

    ``actor`` is None when the applicant sends the document on a citizen channel.
    """
    if actor is not None and actor.role in (Role.SUPERVISOR,):
        raise NotAllowed(_("Supervisors read cases; they do not add documents."))
    if actor is not None and not cases_visible_to(user=actor).filter(pk=case.pk).exists():
        raise NotFound(_("No such case in your jurisdiction."))
    if case.status in CLOSED_STATUSES:
        raise Conflict(
            _("Case %(number)s is %(status)s; it takes no more documents.")
            % {"number": case.number, "status": status_name(case.status, case.workflow)}
        )
    if kind not in CaseDocument.Kind.values:
        raise ValidationFailed(
            _("Unknown kind '%(kind)s'.") % {"kind": kind},
            details={"kind": CaseDocument.Kind.values},
        )
    if kind == CaseDocument.Kind.REQUIRED:
        if required_document is None:
            raise ValidationFailed(
                _("Say which of the service's documents this is (required_document)."),
                details={"required_document": ["required when kind is 'required'"]},
            )
        if required_document.service_id != case.service_id:
            raise ValidationFailed(
                _("'%(name)s' is not a document of this case's service.")
                % {"name": required_document.name_en},
                details={"required_document": ["belongs to another service"]},
            )
    else:
        required_document = None
    if issue_date and issue_date > timezone.localdate():
        raise ValidationFailed(
            _("The issue date is in the future."), details={"issue_date": ["in the future"]}
        )
    problem = upload_problem(file)
    if problem == "too_large":
        raise ValidationFailed(
            _("The file is %(size)s MB; the limit is 10 MB.")
            % {"size": f"{file.size / 1024 / 1024:.1f}"},
            details={"file": ["too large"]},
        )
    if problem == "not_allowed":
        raise ValidationFailed(
            _(
                "Only PDF, JPEG or PNG files are accepted (checked by content, and the file name "
                "must end in .pdf, .jpg, .jpeg or .png)."
            ),
            details={"file": ["not a PDF, JPEG or PNG"]},
        )
    content_type = sniff_content_type(file)
    with transaction.atomic():
        return CaseDocument.objects.create(
            case=case,
            kind=kind,
            required_document=required_document,
            issue_date=issue_date,
            file=file,
            original_name=(file.name or "")[:255],
            content_type=content_type,
            size=file.size,
            uploaded_by=actor,
        )


@transaction.atomic
def facility_staff_link(*, user: User, facility: Facility) -> FacilityStaff:
    """Make ``user`` (role facility_staff) staff of ``facility``."""
    if user.role != Role.FACILITY_STAFF:
        raise ValidationFailed(
            _("Only care-home staff accounts can be linked to a care home."),
            details={"user": ["role is not facility_staff"]},
        )
    link, _created = FacilityStaff.objects.update_or_create(
        user=user, defaults={"facility": facility}
    )
    return link


# --- notes and tasks -------------------------------------------------------------------------


def _case_for_writing(case: Case, actor: User) -> Case:
    locked = Case.objects.select_for_update().filter(pk=case.pk).first()
    if locked is None or not cases_visible_to(user=actor).filter(pk=locked.pk).exists():
        raise NotFound(_("No such case in your jurisdiction."))
    return locked


def case_note_add(*, case: Case, actor: User, text: str) -> CaseNote:
    """A note on the case for whoever reads it next; anyone who sees the case may write one."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Write the note first."), details={"text": ["empty"]})
    with transaction.atomic():
        locked = _case_for_writing(case, actor)
        return CaseNote.objects.create(case=locked, author=actor, text=text)


def case_task_add(
    *, case: Case, actor: User, title: str, assignee: User, due_on: dt.date
) -> CaseTask:
    """A task on the case for one person who works it, due on a day not in the past."""
    from .selectors import task_assignees

    title = (title or "").strip()
    problems: dict[str, list[str]] = {}
    if not title:
        problems["title"] = [str(_("Say what has to be done."))]
    if due_on < timezone.localdate():
        problems["due_on"] = [str(_("The due date cannot be in the past."))]
    with transaction.atomic():
        locked = _case_for_writing(case, actor)
        if not task_assignees(case=locked).filter(pk=assignee.pk).exists():
            problems["assignee"] = [
                str(_("%(name)s does not work on this case.") % {"name": assignee})
            ]
        if problems:
            raise ValidationFailed(
                " ".join(m for messages in problems.values() for m in messages), details=problems
            )
        return CaseTask.objects.create(
            case=locked, title=title, assignee=assignee, due_on=due_on, created_by=actor
        )


def case_task_done(*, task: CaseTask, actor: User) -> CaseTask:
    """Tick a task off; the assignee or whoever set it may do it, once."""
    with transaction.atomic():
        locked = CaseTask.objects.select_for_update().filter(pk=task.pk).first()
        if locked is None or not cases_visible_to(user=actor).filter(pk=locked.case_id).exists():
            raise NotFound(_("No such task."))
        if actor.pk not in (locked.assignee_id, locked.created_by_id) and not actor.sees_everything:
            raise NotAllowed(_("Only the person it is assigned to or who set it can tick it off."))
        if locked.done_at is not None:
            raise Conflict(_("This task is already done."))
        locked.done_at = timezone.now()
        locked.done_by = actor
        locked.save(update_fields=["done_at", "done_by"])
        return locked
