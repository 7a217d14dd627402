"""The outbound path: decide to send (an outbox row), deliver it after commit, track delivery.

Every message to a citizen, whether a case notification or an agent's reply, goes through
``message_send`` so that opt-out, consent, retries and delivery status apply to all of them.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases.models import Case
from crm.errors import ValidationFailed
from crm.models import Contact, Conversation, Interaction, User
from crm.services import contact_live, interaction_record

from .models import OutboundMessage
from .registry import channel_type_get
from .status import (
    TIMELINE_STATUS,
    suppression_reason,
)
from .tasks import outbox_kick
from .texts import text_render

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status


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
    options: dict | None = None,
    case: Case | None = None,
) -> OutboundMessage:
    """Put one message in the outbox and deliver it after commit.

    Either ``body`` or ``template_code`` (rendered in ``language``, by default the contact's).
    With a ``dedupe_key`` already used, the existing row is returned and nothing is sent again.
    ``announce=False``: no ``interaction_recorded`` of its own (see ``interaction_record``).
    ``options`` is what the channel sends besides the text (Telegram: ``reply_markup``).
    ``case``: the case the message is about (listed on the case page, whoever received it).
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
                payload={
                    "template": template_code,
                    "purpose": purpose,
                    **({"case_id": case.pk} if case is not None else {}),
                },
                announce=announce,
            )
            message = OutboundMessage.objects.create(
                contact=contact,
                conversation=conversation,
                channel=channel,
                address=address,
                body=body,
                options=options or {},
                template_code=template_code,
                language=language,
                purpose=purpose,
                status=status,
                dedupe_key=dedupe_key or None,
                interaction=interaction,
                author=author,
                case=case,
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
                transaction.on_commit(outbox_kick, robust=True)
    except IntegrityError:
        # The same event raced us to the dedupe key: theirs is the one message.
        existing = dedupe_key and OutboundMessage.objects.filter(dedupe_key=dedupe_key).first()
        if not existing:
            raise
        return existing
    return message


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
