"""A message's status, written in one place for its outbox row and its timeline interaction.

The outbox row is the truth; the interaction shows it on the citizen's timeline, so every
change goes through ``outbound_status_change`` (in memory, returning the timeline's fields) and
is written by ``outbound_status_apply`` (one row) or by the delivery batch in bulk. Also here:
who must not be messaged (``suppression_reason``), read by the sender and the deliverer alike.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Contact, Identity, Interaction

from .models import EarlyDeliveryStatus, OutboundMessage
from .registry import channel_type_get

Status = OutboundMessage.Status

# How the outbox status shows on the timeline (Interaction.Status has no pending/suppressed).
TIMELINE_STATUS = {
    Status.PENDING: Interaction.Status.QUEUED,
    Status.SENDING: Interaction.Status.QUEUED,
    Status.QUEUED: Interaction.Status.QUEUED,
    Status.SENT: Interaction.Status.SENT,
    Status.DELIVERED: Interaction.Status.DELIVERED,
    Status.UNDELIVERED: Interaction.Status.UNDELIVERED,
    Status.FAILED: Interaction.Status.FAILED,
    Status.SUPPRESSED: Interaction.Status.FAILED,
}

# A later callback never moves a message back (Twilio may deliver "sent" after "delivered").
STATUS_RANK = {
    Status.PENDING: 0,
    Status.SENDING: 1,
    Status.QUEUED: 2,
    Status.SENT: 3,
    Status.DELIVERED: 4,
    Status.UNDELIVERED: 4,
    Status.FAILED: 4,
    Status.SUPPRESSED: 4,
}


def suppression_reason(
    *, contact: Contact, scheme: str, address: str, purpose: str
) -> tuple[str, str] | None:
    """Why this message must not go out, as (code, text), or None when it may."""
    opted_out = Identity.objects.filter(
        scheme=scheme, value=address, opted_out_at__isnull=False
    ).exists()
    return _suppression(opted_out=opted_out, purpose=purpose, contact=contact)


def suppression_reasons(messages: list[OutboundMessage]) -> dict[int, tuple[str, str]]:
    """``suppression_reason`` for a batch of outbox rows, with one query per address scheme."""
    schemes = {m.pk: channel_type_get(m.channel).identity_scheme for m in messages}
    addresses: dict[str, set[str]] = defaultdict(set)
    for message in messages:
        addresses[schemes[message.pk]].add(message.address)
    opted_out: set[tuple[str, str]] = set()
    for scheme, values in addresses.items():
        opted_out.update(
            Identity.objects.filter(
                scheme=scheme, value__in=values, opted_out_at__isnull=False
            ).values_list("scheme", "value")
        )
    reasons: dict[int, tuple[str, str]] = {}
    for message in messages:
        reason = _suppression(
            opted_out=(schemes[message.pk], message.address) in opted_out,
            purpose=message.purpose,
            contact=message.contact,
        )
        if reason:
            reasons[message.pk] = reason
    return reasons


def _suppression(*, opted_out: bool, purpose: str, contact: Contact) -> tuple[str, str] | None:
    # A keyword's answer was already decided with the opt-out in mind: STOP is confirmed,
    # HELP and START are answered, anything else is not answered at all.
    if opted_out and purpose != OutboundMessage.Purpose.KEYWORD:
        return "opted_out", _("The citizen opted out (STOP) on this address.")
    # Consent is about notifications; answering someone who wrote to us needs none.
    if purpose == OutboundMessage.Purpose.NOTIFICATION and not contact.consent_messages:
        return "no_consent", _("The citizen does not consent to notifications.")
    return None


def outbound_status_change(
    message: OutboundMessage,
    *,
    status: str,
    provider_message_id: str | None = None,
    error_code: str = "",
    error_message: str = "",
    now: dt.datetime | None = None,
) -> dict | None:
    """Move ``message`` to ``status`` in memory; return the timeline's fields to update.

    Returns None, changing nothing, when ``status`` would move the message backwards. The
    caller writes both (``outbound_status_apply`` for one row, the delivery batch in bulk).
    """
    if STATUS_RANK[status] < STATUS_RANK[Status(message.status)]:
        return None
    now = now or timezone.now()
    message.status = status
    message.status_changed_at = now
    if provider_message_id:
        message.provider_message_id = provider_message_id
    if status in (Status.QUEUED, Status.SENT, Status.DELIVERED) and message.sent_at is None:
        message.sent_at = now
    if error_code or error_message:
        message.error_code = str(error_code)[:20]
        message.error_message = error_message[:255]
    fields = {"status": TIMELINE_STATUS[status]}
    if provider_message_id:
        fields["provider_message_id"] = provider_message_id
    if error_code or error_message:
        fields.update(error_code=str(error_code)[:20], error_message=error_message[:255])
    elif status in (Status.QUEUED, Status.SENT, Status.DELIVERED):
        # A retry that got through: the earlier failure is no longer the story.
        fields.update(error_code="", error_message="")
    return fields


def outbound_status_apply(
    message: OutboundMessage,
    *,
    status: str,
    provider_message_id: str | None = None,
    error_code: str = "",
    error_message: str = "",
) -> bool:
    """Move ``message`` (locked by the caller) to ``status`` and mirror it on the timeline.

    Returns False, changing nothing, when ``status`` would move the message backwards.
    """
    fields = outbound_status_change(
        message,
        status=status,
        provider_message_id=provider_message_id,
        error_code=error_code,
        error_message=error_message,
    )
    if fields is None:
        return False
    message.save()
    if message.interaction_id:
        Interaction.objects.filter(pk=message.interaction_id).update(**fields)
    return True


def delivery_status_record(
    *,
    channel: str,
    provider_message_id: str,
    status: str,
    error_code: str = "",
    error_message: str = "",
) -> OutboundMessage | None:
    """A provider reports how far a message got; None when we have no message with that id.

    A report for an id not recorded yet is kept (``EarlyDeliveryStatus``) and applied when the
    sending side records the id: the provider can be faster than our own commit.
    """
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(channel=channel, provider_message_id=provider_message_id)
            .first()
        )
        if message is not None:
            outbound_status_apply(
                message, status=status, error_code=error_code, error_message=error_message
            )
            return message
        EarlyDeliveryStatus.objects.create(
            channel=channel,
            provider_message_id=provider_message_id,
            status=status,
            error_code=str(error_code)[:20],
            error_message=error_message[:255],
        )
    # Committed first, then looked for: if the sender recorded the id meanwhile, one of the two
    # sides sees the other's row (each writes, commits, then reads).
    return early_statuses_apply(channel=channel, provider_message_ids=[provider_message_id]).get(
        provider_message_id
    )


def early_statuses_apply(
    *, channel: str, provider_message_ids: Iterable[str]
) -> dict[str, OutboundMessage]:
    """Apply kept reports to the messages now recorded with those ids; returns the messages."""
    ids = [sid for sid in provider_message_ids if sid]
    if (
        not ids
        or not EarlyDeliveryStatus.objects.filter(
            channel=channel, provider_message_id__in=ids
        ).exists()
    ):
        return {}
    applied: dict[str, OutboundMessage] = {}
    with transaction.atomic():
        messages = {
            m.provider_message_id: m
            for m in OutboundMessage.objects.select_for_update().filter(
                channel=channel, provider_message_id__in=ids
            )
        }
        reports = EarlyDeliveryStatus.objects.select_for_update().filter(
            channel=channel, provider_message_id__in=list(messages)
        )
        done: list[int] = []
        for report in reports:  # oldest first; a late "sent" never undoes "delivered"
            message = messages[report.provider_message_id]
            outbound_status_apply(
                message,
                status=report.status,
                error_code=report.error_code,
                error_message=report.error_message,
            )
            applied[report.provider_message_id] = message
            done.append(report.pk)
        EarlyDeliveryStatus.objects.filter(pk__in=done).delete()
    return applied
