"""What Twilio keeps of a citizen: its copies of their messages and voice recordings.

Erasing a citizen asks Twilio to delete its copies too, after the erasure has committed,
through a task that may run twice (a copy already gone counts as deleted).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from twilio.base.exceptions import TwilioRestException

from channels_app.models import OutboundMessage
from crm.models import Contact, Interaction
from crm.personal_data import Holder, register_holder

from .client import twilio_client, twilio_configured

logger = logging.getLogger(__name__)

# Twilio's id prefixes: SM/MM a message, RE a recording.
MESSAGE_PREFIXES = ("SM", "MM")


def twilio_copies(contact: Contact) -> dict[str, list[str]]:
    """The Twilio ids of the citizen's messages (both ways) and voice recordings."""
    messages = set(
        Interaction.objects.filter(contact=contact, provider_message_id__isnull=False)
        .filter(Q(provider_message_id__startswith="SM") | Q(provider_message_id__startswith="MM"))
        .values_list("provider_message_id", flat=True)
    )
    messages |= set(
        OutboundMessage.objects.filter(contact=contact, provider_message_id__isnull=False)
        .exclude(transport="local")
        .values_list("provider_message_id", flat=True)
    )
    recordings = {
        payload.get("recording_sid")
        for payload in Interaction.objects.filter(
            contact=contact, kind=Interaction.Kind.VOICEMAIL
        ).values_list("payload", flat=True)
        if isinstance(payload, dict) and payload.get("recording_sid")
    }
    return {
        "messages": sorted(m for m in messages if m.startswith(MESSAGE_PREFIXES)),
        "recordings": sorted(recordings),
    }


def export_twilio(contact: Contact) -> dict:
    return twilio_copies(contact)


def erase_twilio(contact: Contact) -> int:
    copies = twilio_copies(contact)
    count = len(copies["messages"]) + len(copies["recordings"])
    if count and twilio_configured():
        transaction.on_commit(
            lambda: twilio_copies_delete.delay(copies["messages"], copies["recordings"])
        )
    return count


def _delete(resource) -> bool:
    try:
        resource.delete()
    except TwilioRestException as exc:
        if exc.status == 404:
            return True  # already gone: a second run, or Twilio's own retention
        raise
    return True


@shared_task(
    name="sms.personal_data.twilio_copies_delete",
    autoretry_for=(TwilioRestException, OSError),
    retry_backoff=60,
    max_retries=10,
)
def twilio_copies_delete(
    message_sids: list[str], recording_sids: list[str], call_sids: list[str] | None = None
) -> int:
    """Delete Twilio's copies of an erased citizen's messages, recordings and call logs."""
    client = twilio_client()
    deleted = 0
    for sid in recording_sids:
        deleted += _delete(client.recordings(sid))
    for sid in call_sids or []:
        deleted += _delete(client.calls(sid))
    for sid in message_sids:
        deleted += _delete(client.messages(sid))
    logger.info("erasure: %s Twilio copies deleted", deleted)
    return deleted


def register_twilio_holder() -> None:
    # First: the ids are read before the interactions' payloads are blanked.
    register_holder(Holder("twilio_copies", export_twilio, erase_twilio, order=1))
