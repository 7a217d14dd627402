"""What the voice line holds about a citizen: their calls (number, menu path) and the
stored step answers, for export and erasure (crm.personal_data)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from crm.models import Contact
from crm.personal_data import Holder, register_holder
from sms.client import twilio_configured
from sms.personal_data import twilio_copies_delete

from .models import Call, CallStep


def _calls(contact: Contact):
    numbers = list(contact.identities.values_list("value", flat=True))
    return Call.objects.filter(Q(contact=contact) | Q(citizen_number__in=numbers))


def export_calls(contact: Contact) -> list:
    return [
        {
            "call_sid": c.call_sid,
            "purpose": c.purpose,
            "direction": c.direction,
            "citizen_number": c.citizen_number,
            "language": c.language,
            "menu_path": c.menu_path,
            "started_at": c.started_at.isoformat() if c.started_at else None,
            "duration_seconds": c.duration_seconds,
        }
        for c in _calls(contact).order_by("started_at", "id")
    ]


def erase_calls(contact: Contact) -> int:
    calls = _calls(contact)
    sids = list(calls.values_list("call_sid", flat=True))
    # The stored answers of a call's steps may speak the person's case and name.
    CallStep.objects.filter(call_sid__in=sids).delete()
    touched = calls.update(citizen_number="", menu_path=[])
    if sids and twilio_configured():
        # Twilio's call log holds the number too: it is asked to delete it after commit.
        transaction.on_commit(lambda: twilio_copies_delete.delay([], [], sids))
    return touched


def register_call_holders() -> None:
    # Before the identities go: a call is also found by the number it came from.
    register_holder(Holder("calls", export_calls, erase_calls, order=4))
