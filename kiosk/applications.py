"""Starting an application at a kiosk, through the same intake the other channels use."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cases.intake import IntakeResult, intake_services, intake_submit
from cases.models import Case, Service
from crm.errors import ValidationFailed
from crm.models import Channel, Interaction

from .models import KioskSession


def kiosk_application_services(*, session: KioskSession) -> QuerySet[Service]:
    """What the citizen can apply for: their own country's catalogue (the kiosk's, if unknown)."""
    return intake_services(unit=session.contact.address_unit or session.kiosk.unit)


def kiosk_application_start(
    *,
    session: KioskSession,
    service_code: str,
    for_self: bool,
    consent: bool,
    relative_national_id: str = "",
    relationship: str = "",
    request_id: str = "",
) -> tuple[Case, bool]:
    """Open a draft case for the citizen or a relative; returns (case, created).

    ``request_id`` (one per application screen) makes a double tap or a retried request return
    the case the first one opened instead of a second case.
    """
    service = Service.objects.filter(code=service_code, is_active=True).first()
    if service is None:
        raise ValidationFailed(
            _("Choose one of the services offered."), details={"service": ["unknown"]}
        )
    if not for_self and not relative_national_id.strip():
        raise ValidationFailed(
            _("Type the national ID of the person the application is for."),
            details={"relative_national_id": ["required"]},
        )
    with transaction.atomic():
        visit = Interaction.objects.select_for_update().get(pk=session.visit_id)
        actions = list((visit.payload or {}).get("actions", []))
        for action in actions:
            if request_id and action.get("request_id") == request_id:
                return Case.objects.get(number=action["case"]), False
        result: IntakeResult = intake_submit(
            applicant=session.contact,
            service=service,
            channel=Channel.KIOSK,
            consent_confirmed=consent,
            beneficiary_national_id="" if for_self else relative_national_id,
            relationship="" if for_self else relationship,
            consent_evidence={"kiosk": session.kiosk_id, "kiosk_session": session.pk},
            origin_interaction=visit,
        )
        actions.append(
            {"action": "application", "case": result.case.number, "request_id": request_id}
        )
        visit.payload = {**(visit.payload or {}), "actions": actions}
        visit.save(update_fields=["payload"])
    return result.case, True
