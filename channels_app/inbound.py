"""The single entry from any channel into the CRM.

A channel adapter checks the provider's signature, normalises the sender's address and calls
``inbound_receive``. The message is stored first (``crm.services.inbound_message_record``),
then the channel's keyword, if any, is run, and the reply is kept with the message so that a
provider retrying the webhook gets exactly the same answer and nothing happens twice.

The answer runs in the message's own transaction, behind a savepoint: one commit per webhook
(the commit's WAL flush is most of a webhook's database time), and a keyword that fails
rolls back to the stored message, which is then answered with the error text.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from crm.models import Contact, Identity, Interaction
from crm.services import InboundResult, inbound_message_record, interaction_record

from .commands import HELP, MESSAGE, START, CommandContext, command_execute
from .models import InboundReply
from .registry import ChannelType, ParsedCommand, channel_type_get
from .texts import text_render

logger = logging.getLogger(__name__)

# What an opted-out citizen may still get an answer to.
ALLOWED_WHEN_OPTED_OUT = {START, HELP}


@dataclass(frozen=True)
class InboundOutcome:
    result: InboundResult
    command: str
    reply_text: str
    response: str  # the webhook body to return, e.g. TwiML

    @property
    def duplicate(self) -> bool:
        return self.result.duplicate


def inbound_receive(
    *,
    channel: str,
    address: str,
    body: str,
    provider_message_id: str | None,
    payload: dict | None = None,
    occurred_at: dt.datetime | None = None,
) -> InboundOutcome:
    """Store what the citizen sent, answer their keyword, return the webhook response."""
    channel_type = channel_type_get(channel)
    try:
        command = channel_type.parse_command(body)
    except Exception:
        # Parsing must never cost us the message itself.
        logger.exception("could not parse an inbound %s message", channel)
        command = None
    answered: list[InboundOutcome] = []

    def answer(result: InboundResult) -> None:
        # In the message's own transaction: a new message is answered with one commit.
        name, reply_text = _answer(command, result, channel, channel_type.identity_scheme)
        answered.append(_reply_store(result, channel_type, channel, name, reply_text))

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
        on_stored=answer,
    )
    if answered:  # only ever set for a message stored just now
        return answered[0]
    # A retried webhook, or answering failed after the message was stored (it was logged).
    with transaction.atomic():
        # Serialises two deliveries of one message; the second finds the first's reply.
        Interaction.objects.select_for_update().filter(pk=result.interaction.pk).first()
        stored = InboundReply.objects.filter(inbound=result.interaction).first()
        if stored is not None:
            return InboundOutcome(result, stored.command, stored.reply_text, stored.response)
        name = command.name if command else MESSAGE
        opted_out = _opted_out_of(channel_type.identity_scheme, address)
        reply_text = None if opted_out else text_render("error", result.contact.language)
        return _reply_store(result, channel_type, channel, name, reply_text)


def _reply_store(
    result: InboundResult,
    channel_type: ChannelType,
    channel: str,
    name: str,
    reply_text: str | None,
) -> InboundOutcome:
    """Keep the answer with the message, so a retried webhook gets exactly the same."""
    reply_interaction = None
    if reply_text:
        reply_interaction = interaction_record(
            contact=result.contact,
            channel=channel,
            direction=Interaction.Direction.OUTBOUND,
            kind=Interaction.Kind.MESSAGE,
            body=reply_text,
            conversation=result.conversation,
            address=result.interaction.address,
            status=Interaction.Status.SENT,
            payload={"in_reply_to": result.interaction.pk, "command": name},
            # The inbound message's own event already tells listeners this thread changed.
            announce=False,
        )
    response = channel_type.render_reply(reply_text)
    InboundReply.objects.create(
        inbound=result.interaction,
        command=name,
        reply_text=reply_text or "",
        response=response,
        reply_interaction=reply_interaction,
    )
    return InboundOutcome(result, name, reply_text or "", response)


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
    # A failure here rolls back to the savepoint ``inbound_message_record`` holds; the
    # message stays stored and ``inbound_receive`` answers with the error text.
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
