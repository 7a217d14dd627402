"""What the case core holds about a citizen, for export and erasure (crm.personal_data)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from crm.models import Contact
from crm.personal_data import Holder, register_holder

from .models import Case, CaseDocument, CaseEvent
from .services import CLOSED_STATUSES


def _cases_of(contact: Contact):
    return Case.objects.filter(Q(beneficiary=contact) | Q(applicant=contact))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_cases(contact: Contact) -> list:
    cases = (
        _cases_of(contact)
        .select_related("service", "unit", "facility")
        .prefetch_related("events__actor", "documents__required_document")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": case.pk,
            "number": case.number,
            "role": "beneficiary" if case.beneficiary_id == contact.pk else "applicant",
            "service": case.service.code,
            "status": case.status,
            "unit": case.unit.full_name if case.unit_id else None,
            "facility": case.facility.name if case.facility_id else None,
            "reason_for_care": case.reason_for_care,
            "has_disability": case.has_disability,
            "disability_type": case.disability_type,
            "disability_percent": case.disability_percent,
            "applicant_relationship": case.applicant_relationship,
            "origin_channel": case.origin_channel,
            "created_at": _iso(case.created_at),
            "submitted_at": _iso(case.submitted_at),
            "events": [
                {
                    "action": e.action,
                    "from_status": e.from_status,
                    "to_status": e.to_status,
                    "by": e.actor.username if e.actor_id else None,
                    "reason_code": e.reason_code,
                    "reason": e.reason,
                    "occurred_at": _iso(e.occurred_at),
                }
                for e in case.events.all()
            ],
            "documents": [
                {
                    "id": d.pk,
                    "kind": d.kind,
                    "document_type": d.required_document.code if d.required_document_id else None,
                    "original_name": d.original_name,
                    "content_type": d.content_type,
                    "size": d.size,
                    "issue_date": _iso(d.issue_date),
                    "uploaded_at": _iso(d.uploaded_at),
                }
                for d in case.documents.all()
            ],
        }
        for case in cases
    ]


def erase_cases(contact: Contact) -> int:
    """Closed cases stay as anonymous figures; what they said about the person goes."""
    cases = _cases_of(contact)
    case_ids = list(cases.values_list("pk", flat=True))
    documents = CaseDocument.objects.filter(case_id__in=case_ids)
    files = [(d.file.storage, d.file.name) for d in documents if d.file]
    removed = documents.delete()[0]

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    # The files go only once the rows are gone for good.
    transaction.on_commit(remove_files)
    touched = Case.objects.filter(pk__in=case_ids, beneficiary=contact).update(
        reason_for_care="", has_disability=None, disability_type="", disability_percent=None
    )
    # CaseEvent.save() refuses updates: the history keeps its shape, only the words go.
    touched += CaseEvent.objects.filter(case_id__in=case_ids).update(reason="", payload={})
    return removed + touched


def erasure_blockers(contact: Contact) -> list[str]:
    open_cases = _cases_of(contact).exclude(status__in=CLOSED_STATUSES).order_by("number")
    return [
        _("Case %(number)s is still in progress (%(status)s): close it first.")
        % {"number": case.number, "status": case.get_status_display()}
        for case in open_cases.only("number", "status")
    ]


def register_case_holders() -> None:
    register_holder(Holder("cases", export_cases, erase_cases, blockers=erasure_blockers))
