"""The voice channel as the hub sees it: a notification is a phone call that plays the text.

Only a citizen whose preferred channel is voice (a landline, someone who cannot read) is
called; for everyone else SMS and the other channels come first.
"""

from __future__ import annotations

import datetime as dt

import phonenumbers
import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.twiml.voice_response import VoiceResponse

from channels_app.models import OutboundMessage
from channels_app.registry import (
    AmbiguousSendError,
    ChannelType,
    PermanentSendError,
    SendResult,
    TemporarySendError,
)
from crm.models import Channel, Contact, Identity
from sms.client import twilio_client, twilio_configured
from sms.sending import LOCAL_DELIVERY, twilio_sender

from .links import public_url

# Twilio's call statuses -> the outbox's, for a notification call.
CALL_STATUS_MAP = {
    "queued": OutboundMessage.Status.QUEUED,
    "initiated": OutboundMessage.Status.QUEUED,
    "ringing": OutboundMessage.Status.SENT,
    "in-progress": OutboundMessage.Status.SENT,
    "completed": OutboundMessage.Status.DELIVERED,
}
# Nobody picked up: worth calling again later.
UNANSWERED = {"busy", "no-answer", "failed"}


class VoiceChannel(ChannelType):
    slug = Channel.VOICE
    identity_scheme = Identity.Scheme.PHONE

    def can_deliver(self, address: str) -> bool:
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(address, None))
        except phonenumbers.NumberParseException:
            return False

    def address_for(self, contact: Contact) -> str | None:
        # A call rings out loud: only for those who chose it.
        if contact.preferred_channel != Channel.VOICE:
            return None
        return super().address_for(contact)

    def send(self, message: OutboundMessage) -> SendResult:
        if message.purpose == OutboundMessage.Purpose.REPLY:
            # A typed answer read out by a machine is no way to answer a caller.
            raise PermanentSendError(
                "voice-reply", "A phone call is answered by calling back, not by a typed reply."
            )
        sender = twilio_sender()
        if sender is None:
            return LOCAL_DELIVERY
        try:
            created = twilio_client().calls.create(
                to=message.address,
                from_=sender,
                url=public_url("ivr:twilio-notify", message=message.pk),
                status_callback=public_url("ivr:twilio-status"),
            )
        except TwilioRestException as exc:
            status = int(exc.status or 0)
            text = str(getattr(exc, "msg", "") or exc)[:255]
            if status == 429 or status >= 500:
                raise TemporarySendError(str(exc.code or status), text) from exc
            raise PermanentSendError(str(exc.code or status), text) from exc
        except requests.ReadTimeout as exc:
            raise AmbiguousSendError("timeout", str(exc)[:255]) from exc
        except (requests.RequestException, TwilioException) as exc:
            raise TemporarySendError("network", str(exc)[:255]) from exc
        return SendResult(
            status=CALL_STATUS_MAP.get(created.status or "", OutboundMessage.Status.QUEUED),
            provider_message_id=created.sid,
            transport=OutboundMessage.Transport.TWILIO,
        )

    def reconcile(self, message: OutboundMessage) -> SendResult | None:
        """A call to this number placed since the message was claimed, if Twilio has one."""
        if not twilio_configured():
            return None
        since = message.claimed_at - dt.timedelta(minutes=1)
        for call in twilio_client().calls.list(
            to=message.address, from_=settings.TWILIO_FROM_NUMBER, start_time_after=since, limit=5
        ):
            return SendResult(
                status=CALL_STATUS_MAP.get(call.status or "", OutboundMessage.Status.QUEUED),
                provider_message_id=call.sid,
                transport=OutboundMessage.Transport.TWILIO,
            )
        return None

    def render_reply(self, text: str | None) -> str:

        response = VoiceResponse()
        if text:
            response.say(text)
        return str(response)
