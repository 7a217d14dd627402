"""What the kiosks hold about a citizen: their sessions (masked ID, where the code went)."""

from __future__ import annotations

from django.utils import timezone

from crm.models import Contact
from crm.personal_data import Holder, register_holder

from .models import KioskSession


def export_sessions(contact: Contact) -> list:
    return [
        {
            "kiosk": s.kiosk.name,
            "national_id_masked": s.national_id_masked,
            "code_channel": s.code_channel,
            "code_address": s.code_address,
            "state": s.state,
            "created_at": s.created_at.isoformat(),
        }
        for s in KioskSession.objects.filter(contact=contact).select_related("kiosk")
    ]


def erase_sessions(contact: Contact) -> int:
    sessions = KioskSession.objects.filter(contact=contact)
    # A session still open at a kiosk ends now: the screen must not go on showing the person.
    sessions.exclude(state=KioskSession.State.ENDED).update(
        state=KioskSession.State.ENDED,
        end_reason=KioskSession.EndReason.EXPIRED,
        ended_at=timezone.now(),
    )
    return sessions.update(national_id_masked="", code_address="")


def register_kiosk_holders() -> None:
    register_holder(Holder("kiosk_sessions", export_sessions, erase_sessions))
