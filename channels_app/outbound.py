"""The outbound path: decide to send (an outbox row), deliver it after commit, track delivery.

Every message to a citizen, whether a case notification or an agent's reply, goes through
``message_send`` so that opt-out, consent, retries and delivery status apply to all of them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.errors import ValidationFailed
from crm.models import Contact, Conversation, Identity, Interaction, User
from crm.services import contact_live, interaction_record

from .models import EarlyDeliveryStatus, OutboundMessage
from .registry import channel_type_get
from .texts import text_render

logger = logging.getLogger(__name__)

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


def message_send(
    *,
    contact: Contact,
    channel: str,
    address: str | None = None,
    body: str | None = None,
    template_code: str = "",
    context: dict | None = None,
    language: str | None = None,
    purpose: str = OutboundMessage.Purpose.NOTIFICATION,
    dedupe_key: str | None = None,
    conversation: Conversation | None = None,
    author: User | None = None,
    announce: bool = True,
) -> OutboundMessage:
    """Put one message in the outbox and deliver it after commit.

    Either ``body`` or ``template_code`` (rendered in ``language``, by default the contact's).
    With a ``dedupe_key`` already used, the existing row is returned and nothing is sent again.
    ``announce=False``: no ``interaction_recorded`` of its own (see ``interaction_record``).
    """
    channel_type = channel_type_get(channel)
    language = language or contact.language
    if body is None:
        body = text_render(template_code, language, **(context or {}))
    body = body.strip()
    if not body:
        raise ValidationFailed(_("A message cannot be empty."), details={"body": ["empty"]})
    address = address or channel_type.address_for(contact)
    if not address:
        raise ValidationFailed(
            _("%(contact)s has no address on %(channel)s.")
            % {"contact": contact, "channel": channel},
            details={"channel": ["no address"]},
        )
    if dedupe_key:
        existing = OutboundMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing

    suppressed = suppression_reason(
        contact=contact, scheme=channel_type.identity_scheme, address=address, purpose=purpose
    )
    status = Status.SUPPRESSED if suppressed else Status.PENDING
    try:
        with transaction.atomic():
            interaction = interaction_record(
                contact=contact,
                channel=channel,
                direction=Interaction.Direction.OUTBOUND,
                kind=Interaction.Kind.MESSAGE,
                body=body,
                author=author,
                conversation=conversation,
                address=address,
                status=TIMELINE_STATUS[status],
                payload={"template": template_code, "purpose": purpose},
                announce=announce,
            )
            message = OutboundMessage.objects.create(
                contact=contact,
                conversation=conversation,
                channel=channel,
                address=address,
                body=body,
                template_code=template_code,
                language=language,
                purpose=purpose,
                status=status,
                dedupe_key=dedupe_key or None,
                interaction=interaction,
                author=author,
                error_code=suppressed[0] if suppressed else "",
                error_message=suppressed[1] if suppressed else "",
            )
            if suppressed:
                Interaction.objects.filter(pk=interaction.pk).update(
                    error_code=suppressed[0], error_message=suppressed[1]
                )
            else:
                # robust: a broker outage must not fail the caller's request; the row stays
                # pending and outbound_requeue_pending picks it up.
                transaction.on_commit(lambda: _schedule_delivery(message.pk), robust=True)
    except IntegrityError:
        # The same event raced us to the dedupe key: theirs is the one message.
        existing = dedupe_key and OutboundMessage.objects.filter(dedupe_key=dedupe_key).first()
        if not existing:
            raise
        return existing
    return message


def _schedule_delivery(message_id: int) -> None:
    from .tasks import outbox_kick

    # Not a task per row: a drainer picks up every due row (see ``outbox_kick``).
    outbox_kick()


def reply_send(*, conversation: Conversation, author: User, body: str) -> OutboundMessage:
    """An agent answers a conversation, on the channel and address the citizen used."""
    if not (body or "").strip():
        raise ValidationFailed(_("Write a reply before sending."), details={"body": ["empty"]})
    try:
        channel_type_get(conversation.channel)
    except LookupError as exc:
        raise ValidationFailed(
            _("Replies cannot be sent on %(channel)s.") % {"channel": conversation.channel},
            details={"channel": ["no adapter"]},
        ) from exc
    return message_send(
        contact=contact_live(conversation.contact),
        channel=conversation.channel,
        address=conversation.address or None,
        body=body,
        purpose=OutboundMessage.Purpose.REPLY,
        conversation=conversation,
        author=author,
    )


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
