"""Listeners on the domain events (connected in ConsoleConfig.ready)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from cases.events import case_created, case_transitioned
from channels_app.events import callback_requested
from crm.events import contacts_merged, conversation_changed, interaction_recorded
from crm.models import Conversation, Interaction

from . import live
from .services import conversation_auto_assign

logger = logging.getLogger(__name__)


@receiver(interaction_recorded, dispatch_uid="console.interaction_recorded")
def on_interaction(sender, *, interaction_id, contact_id, conversation_id, direction, **kw):
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


@receiver(conversation_changed, dispatch_uid="console.conversation_changed")
def on_conversation_changed(sender, *, conversation_id, **kw):
    live.conversation_event(conversation_id, "conversation")


@receiver(contacts_merged, dispatch_uid="console.contacts_merged")
def on_contacts_merged(sender, *, survivor_id, **kw):
    live.contact_event(survivor_id, "timeline")


@receiver(case_created, dispatch_uid="console.case_created")
def on_case_created(sender, *, case_id, **kw):
    live.case_event(case_id, "case")


@receiver(case_transitioned, dispatch_uid="console.case_transitioned")
def on_case_transitioned(sender, *, case_id, **kw):
    live.case_event(case_id, "case")


@receiver(callback_requested, dispatch_uid="console.callback_requested")
def on_callback_requested(sender, *, contact_id, **kw):
    live.contact_event(contact_id, "callback")
