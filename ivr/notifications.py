"""Case notifications by phone: what the call says, and calling again when nobody answered."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from twilio.twiml.voice_response import VoiceResponse

from channels_app.models import OutboundMessage
from channels_app.status import TIMELINE_STATUS, delivery_status_record
from channels_app.tasks import outbox_kick
from crm.models import Interaction

from .channel import CALL_STATUS_MAP, UNANSWERED
from .flow import spoken_case_number
from .prompts import Speaker, catalogue

logger = logging.getLogger(__name__)

_CASE_NUMBER = re.compile(r"\b\d{4}-\d{3,}\b")


def notification_twiml(*, message_id: int) -> str:
    """The notification in the citizen's language: who calls, which request, its new status."""
    message = OutboundMessage.objects.get(pk=message_id, channel="voice")
    speaker = Speaker(message.language)
    response = VoiceResponse()
    status = message.template_code.removeprefix("case_status_")
    number = _CASE_NUMBER.search(message.body)
    speaker.prompt(response, "notify_intro")
    if number:
        speaker.number(response, spoken_case_number(number.group()))
    if status and status != "changed" and f"status_{status}" in _status_keys():
        speaker.prompt(response, "case_status_intro")
        speaker.prompt(response, f"status_{status}")
    elif speaker.language in ("ru", "en"):
        response.say(message.body)
    speaker.prompt(response, "notify_outro")
    response.hangup()
    return str(response)


def _status_keys() -> set[str]:

    return {key for key in catalogue() if key.startswith("status_")}


def notification_call_ended(*, call_sid: str, call_status: str) -> OutboundMessage | None:
    """A notification call's result: answered is delivered, unanswered is tried again later."""
    if not call_sid:
        return None
    if call_status not in UNANSWERED:
        mapped = CALL_STATUS_MAP.get(call_status)
        if mapped is None:
            if call_status == "canceled":
                mapped = OutboundMessage.Status.FAILED
            else:
                return None
        return delivery_status_record(channel="voice", provider_message_id=call_sid, status=mapped)
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(channel="voice", provider_message_id=call_sid)
            .first()
        )
        if message is None:
            logger.warning("unanswered call %s matches no notification", call_sid)
            return None
        text = _("Call not answered (%(status)s).") % {"status": call_status}
        if message.attempts < settings.IVR_NOTIFY_CALL_ATTEMPTS:
            # Back to the outbox: the drain calls again once the wait is over. The call's sid
            # is dropped so the next call's sid is recorded in its place.
            message.status = OutboundMessage.Status.PENDING
            message.provider_message_id = None
            message.next_attempt_at = timezone.now() + dt.timedelta(
                minutes=settings.IVR_NOTIFY_RETRY_MINUTES
            )
        else:
            message.status = OutboundMessage.Status.UNDELIVERED
        message.error_code = call_status[:20]
        message.error_message = text
        message.status_changed_at = timezone.now()
        message.save()
        if message.interaction_id:
            Interaction.objects.filter(pk=message.interaction_id).update(
                status=TIMELINE_STATUS[message.status],
                error_code=call_status[:20],
                error_message=text,
            )
        if message.status == OutboundMessage.Status.PENDING:
            transaction.on_commit(_kick, robust=True)
    return message


def _kick() -> None:

    outbox_kick()
