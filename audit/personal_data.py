"""The audit trail's part of a citizen's data: ids only, so export lists and erasure keeps."""

from __future__ import annotations

from crm.models import Contact
from crm.personal_data import Holder

from .models import AuditEntry


def export_audit(contact: Contact) -> list:
    rows = AuditEntry.objects.filter(contact_id=contact.pk).order_by("at", "id")
    return [
        {
            "at": r.at.isoformat(),
            "actor": r.actor_username,
            "via": r.via,
            "action": r.action,
            "object_type": r.object_type,
            "object_id": r.object_id,
        }
        for r in rows
    ]


def erase_audit(contact: Contact) -> int:
    # Rows hold ids and action names only; the trail of who saw the person stays.
    return 0


audit_holder = Holder("audit_trail", export_audit, erase_audit, order=950)
