"""What a kiosk shows: public information, and a citizen's own cases once identified.

Everything is returned as plain data in the citizen's language, ready for the touch page.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.labels import status_label
from cases.models import Case, RequiredDocument, Service
from cases.selectors import (
    cases_for_contact,
    document_checklist,
    queue_position,
    services_offered,
)
from crm.countries import country_of
from crm.models import AdminUnit, Contact

from .models import Kiosk
from .next_steps import next_step
from .office_hours import office_hours


def _service_text(service: Service, language: str) -> dict:
    eligibility = service.eligibility_mn if language == "mn" else service.eligibility_en
    return {
        "code": service.code,
        "name": service.name_in(language),
        "legal_basis": service.legal_basis,
        "eligibility": eligibility or service.eligibility_en,
        "amount": f"{service.amount:,.0f}" if service.amount is not None else "",
        "currency": service.currency,
        "frequency": service.get_payment_frequency_display()
        if service.payment_frequency != Service.Frequency.NONE
        else "",
    }


def _document_text(document: RequiredDocument, language: str) -> dict:
    if document.requirement == RequiredDocument.Requirement.MANDATORY:
        when = ""
    elif document.condition == RequiredDocument.Condition.DISABILITY:
        when = _("Only when the person has a disability")
    else:
        when = _("Only in some situations: ask the social worker")
    recent = (
        _("Issued within the last %(months)s months") % {"months": document.valid_months}
        if document.valid_months
        else ""
    )
    return {"name": document.name_in(language), "when": when, "recent": recent}


def service_catalogue(*, unit: AdminUnit, language: str) -> list[dict]:
    """Services offered where the kiosk stands, each with the documents to bring."""
    services = services_offered(unit=unit).prefetch_related("documents")
    return [
        {
            **_service_text(service, language),
            "documents": [_document_text(d, language) for d in service.documents.all()],
        }
        for service in services
    ]


def where_to_go(*, unit: AdminUnit) -> dict:
    """The offices serving the kiosk's place (its unit and the district above) and their hours."""
    offices = [unit, *unit.ancestors().filter(level__gte=AdminUnit.Level.DISTRICT).reverse()]
    country = country_of(unit)
    return {
        "country": country,
        "offices": [
            {
                "name": office.name,
                "full_name": office.full_name,
            }
            for office in offices
        ],
        "hours": office_hours(country=country),
    }


def citizen_summary(*, contact: Contact, national_id_masked: str) -> dict:
    """How the screen greets the citizen: a first name and the masked ID, nothing more."""
    return {"first_name": contact.first_name, "national_id": national_id_masked}


def _missing_documents(case: Case, language: str) -> list[str]:
    return [
        row["required_document"].name_in(language)
        for row in document_checklist(case=case)
        if row["applies"] and not row["present"]
    ]


def citizen_case(*, case: Case, contact: Contact, language: str) -> dict:
    """One of the citizen's own cases as the kiosk shows it."""
    role = "beneficiary" if case.beneficiary_id == contact.pk else "applicant"
    return {
        "number": case.number,
        "service": case.service.name_in(language),
        "status": case.status,
        "status_label": status_label(case.status, language),
        "next_step": str(next_step(case.status)),
        "missing_documents": _missing_documents(case, language),
        "queue_position": queue_position(case=case),
        "for_someone_else": role == "applicant",
        "created": timezone.localdate(case.created_at).isoformat(),
        "changed": timezone.localdate(case.status_changed_at).isoformat(),
    }


def citizen_cases(*, contact: Contact, language: str) -> list[dict]:
    cases = cases_for_contact(contact=contact).prefetch_related("documents", "service__documents")
    return [citizen_case(case=c, contact=contact, language=language) for c in cases]


def citizen_case_get(*, contact: Contact, number: str) -> Case | None:
    """The citizen's own case with this number; None for anyone else's (or none at all)."""
    return (
        cases_for_contact(contact=contact)
        .prefetch_related("documents", "service__documents")
        .filter(number=(number or "").strip())
        .first()
    )


def kiosks_silent(*, now: dt.datetime | None = None) -> QuerySet[Kiosk]:
    """Enabled kiosks not heard from for ``KIOSK_STALE_MINUTES`` (or never): someone should look."""
    limit = (now or timezone.now()) - dt.timedelta(minutes=settings.KIOSK_STALE_MINUTES)
    return (
        Kiosk.objects.filter(is_active=True)
        .exclude(last_seen_at__gte=limit)
        .select_related("unit")
        .order_by("last_seen_at", "name")
    )
