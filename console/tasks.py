"""The console's reactions to domain events, run off the request path.

Each reaction is safe to run twice: auto-assignment only touches a conversation that still
has no assignee, and a repeated push only makes a browser re-fetch a fragment.
"""

from __future__ import annotations

import logging

from celery import shared_task

from crm.models import Conversation, Interaction

from . import live
from .deadlines import breach_event
from .services import conversation_auto_assign

logger = logging.getLogger(__name__)


def _on_interaction(*, contact_id: int, conversation_id: int | None, direction: str) -> None:
    if conversation_id and direction == Interaction.Direction.INBOUND:
        conversation = (
            Conversation.objects.select_related("contact__address_unit")
            .filter(pk=conversation_id, assignee__isnull=True)
            .first()
        )
        if conversation is not None:
            # A new (or returning) citizen waits: give the thread to the least-loaded agent.
            conversation_auto_assign(conversation=conversation)
    if conversation_id:
        live.conversation_event(conversation_id, "message")
    else:
        live.contact_event(contact_id, "timeline")


_REACTIONS = {
    "interaction": _on_interaction,
    "conversation": lambda *, conversation_id: live.conversation_event(
        conversation_id, "conversation"
    ),
    "contact": lambda *, contact_id, kind: live.contact_event(contact_id, kind),
    "case": lambda *, case_id: live.case_event(case_id, "case"),
    "deadline": breach_event,
    "assigned": live.assigned_event,
}


@shared_task(
    ignore_result=True, autoretry_for=(Exception,), retry_backoff=5, max_retries=5, acks_late=True
)
def console_react(event: str, data: dict) -> None:
    reaction = _REACTIONS.get(event)
    if reaction is None:
        logger.error("console: no reaction for event %r", event)
        return
    reaction(**data)
