"""What the hub does with a citizen's message on a text channel, in a worker.

``inbound_handle`` stores the message (``crm.services.inbound_message_record``), runs the
channel's keyword if any, and sends the answer through the outbox, so a keyword answer is an
outbound message with delivery status like every other text. A channel's
``ChannelType.inbound_process`` calls it for each stored webhook delivery
(``channels_app.intake``); the hub owns the transaction around it.

Running it again for the same provider id changes nothing: the stored message is found by its
id, and its kept answer (``InboundReply``) says the keyword already ran.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.utils import timezone

from crm.models import Contact, Identity
from crm.services import InboundResult, inbound_message_record

from .commands import HELP, MESSAGE, START, CommandContext, command_execute
from .models import InboundReply, OutboundMessage
from .outbound import message_send
from .registry import ChannelType, ParsedCommand, channel_type_get

logger = logging.getLogger(__name__)

# What an opted-out citizen may still get an answer to.
ALLOWED_WHEN_OPTED_OUT = {START, HELP}


@dataclass(frozen=True)
class InboundOutcome:
    result: InboundResult
    command: str
    reply: OutboundMessage | None  # the answer's outbox row, None when nothing is answered

    @property
    def duplicate(self) -> bool:
        return self.result.duplicate


def inbound_handle(
    *,
    channel: str,
    address: str,
    body: str,
    provider_message_id: str,
    payload: dict | None = None,
    occurred_at: dt.datetime | None = None,
) -> InboundOutcome:
    """Store what the citizen sent, answer their keyword through the outbox.

    ``address`` is normalised for the channel's identity scheme by the adapter. Call it inside
    a transaction: the message, the keyword's effects and the answer commit together.
    """
    channel_type = channel_type_get(channel)
    command = _command_of(channel_type, body)
    result = inbound_message_record(
        channel=channel,
        scheme=channel_type.identity_scheme,
        address=address,
        body=body,
        provider_message_id=provider_message_id,
        payload=payload,
        occurred_at=occurred_at,
        # Keywords are self-service; only free text needs an agent.
        open_conversation=command is None,
    )
    stored = InboundReply.objects.filter(inbound=result.interaction).first()
    if stored is not None:
        reply = None
        if stored.reply_interaction_id:
            reply = OutboundMessage.objects.filter(
                interaction_id=stored.reply_interaction_id
            ).first()
        return InboundOutcome(result, stored.command, reply)
    name, reply_text = _answer(command, result, channel, channel_type.identity_scheme)
    reply = None
    if reply_text:
        reply = message_send(
            contact=result.contact,
            channel=channel,
            address=result.interaction.address,
            body=reply_text,
            language=result.contact.language,
            # The hub decided to answer (see ``_answer``): not an unsolicited notification.
            purpose=OutboundMessage.Purpose.KEYWORD,
            conversation=result.conversation,
            dedupe_key=f"inbound-reply:{result.interaction.pk}",
            # The citizen's message already tells listeners this thread changed.
            announce=False,
        )
    InboundReply.objects.create(
        inbound=result.interaction,
        command=name,
        reply_text=reply_text or "",
        reply_interaction=reply.interaction if reply else None,
    )
    return InboundOutcome(result, name, reply)


def _command_of(channel_type: ChannelType, body: str) -> ParsedCommand | None:
    try:
        return channel_type.parse_command(body)
    except Exception:
        # Parsing must never cost us the message itself: it goes to the agents as free text.
        logger.exception("could not parse an inbound %s message", channel_type.slug)
        return None


def _answer(
    command: ParsedCommand | None, result: InboundResult, channel: str, scheme: str
) -> tuple[str, str | None]:
    contact = _learn_language(result.contact, command)
    ctx = CommandContext(
        contact=contact,
        channel=channel,
        scheme=scheme,
        address=result.interaction.address,
        language=contact.language,
        interaction=result.interaction,
        conversation=result.conversation,
    )
    if (command is None or command.name not in ALLOWED_WHEN_OPTED_OUT) and _opted_out_of(
        scheme, ctx.address
    ):
        # They asked us to stay quiet; the message is still in the agents' inbox.
        return (command.name if command else MESSAGE), None
    return command_execute(command, ctx)


def _learn_language(contact: Contact, command: ParsedCommand | None) -> Contact:
    """A citizen whose language we do not know yet is answered in the keyword's language."""
    if command is not None and command.language and not contact.preferred_language:
        contact.preferred_language = command.language
        contact.save(update_fields=["preferred_language", "updated_at"])
    return contact


def _opted_out_of(scheme: str, address: str) -> bool:
    return Identity.objects.filter(
        scheme=scheme, value=address, opted_out_at__lte=timezone.now()
    ).exists()
