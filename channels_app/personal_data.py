"""What the channel hub holds about a citizen, for export and erasure (crm.personal_data)."""

from __future__ import annotations

from django.db.models import Q

from crm.models import Contact
from crm.personal_data import Holder, register_holder

from .models import CallbackRequest, InboundDelivery, InboundReply, OutboundMessage


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_outbox(contact: Contact) -> list:
    return [
        {
            "id": m.pk,
            "channel": m.channel,
            "address": m.address,
            "body": m.body,
            "language": m.language,
            "purpose": m.purpose,
            "status": m.status,
            "created_at": _iso(m.created_at),
            "sent_at": _iso(m.sent_at),
        }
        for m in OutboundMessage.objects.filter(contact=contact).order_by("created_at", "id")
    ]


def erase_outbox(contact: Contact) -> int:
    # Nothing still waiting goes out to an address that is about to be blanked.
    OutboundMessage.objects.filter(contact=contact, status=OutboundMessage.Status.PENDING).update(
        status=OutboundMessage.Status.SUPPRESSED
    )
    return OutboundMessage.objects.filter(contact=contact).update(
        address="", body="", error_message=""
    )


def export_callbacks(contact: Contact) -> list:
    return [
        {
            "id": c.pk,
            "channel": c.channel,
            "phone": c.phone,
            "status": c.status,
            "note": c.note,
            "due_at": _iso(c.due_at),
        }
        for c in CallbackRequest.objects.filter(contact=contact).order_by("id")
    ]


def erase_callbacks(contact: Contact) -> int:
    CallbackRequest.objects.filter(contact=contact, status=CallbackRequest.Status.OPEN).update(
        status=CallbackRequest.Status.CANCELLED
    )
    return CallbackRequest.objects.filter(contact=contact).update(phone="", note="")


def export_replies(contact: Contact) -> list:
    rows = InboundReply.objects.filter(inbound__contact=contact).order_by("created_at", "id")
    return [
        {"inbound": r.inbound_id, "command": r.command, "reply_text": r.reply_text} for r in rows
    ]


def erase_replies(contact: Contact) -> int:
    # The stored answer quotes the reply (and so the case number and name).
    return InboundReply.objects.filter(inbound__contact=contact).update(reply_text="")


def _deliveries(contact: Contact):
    """Raw webhook deliveries of this person: linked to their messages, or sent from one of
    their addresses (a delivery refused or not yet processed has no message)."""

    addresses = list(contact.identities.values_list("value", flat=True))
    return InboundDelivery.objects.filter(Q(interaction__contact=contact) | Q(sender__in=addresses))


def export_deliveries(contact: Contact) -> list:
    return [
        {
            "channel": d.channel,
            "provider_id": d.provider_id,
            "sender": d.sender,
            "status": d.status,
            "received_at": _iso(d.received_at),
            "request": d.payload,
        }
        for d in _deliveries(contact).order_by("received_at", "id")
    ]


def erase_deliveries(contact: Contact) -> int:
    # The provider id stays: a late retry of the same delivery is still recognised.
    return _deliveries(contact).update(sender="", payload={}, error="")


def register_channel_holders() -> None:
    # Before the identities go: a delivery is found by the address it came from.
    register_holder(Holder("inbound_deliveries", export_deliveries, erase_deliveries, order=5))
    register_holder(Holder("outbox", export_outbox, erase_outbox))
    register_holder(Holder("callbacks", export_callbacks, erase_callbacks))
    register_holder(Holder("inbound_replies", export_replies, erase_replies))
