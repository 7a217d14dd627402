"""The SMS channel as the hub sees it: sending through Twilio, keywords, TwiML replies."""

from __future__ import annotations

import datetime as dt
import logging
import re

import phonenumbers
import requests
from django.conf import settings
from twilio.base.exceptions import (
    TwilioException,
    TwilioRestException,
    TwilioServiceException,
)

from channels_app.inbound import inbound_handle
from channels_app.models import InboundDelivery, OutboundMessage
from channels_app.registry import (
    AmbiguousSendError,
    ChannelType,
    InboundRejected,
    ParsedCommand,
    PermanentSendError,
    SendError,
    SendResult,
    TemporarySendError,
)
from crm.models import Identity
from crm.phones import PhoneError, normalize_phone

from .client import status_callback_url, twilio_client, twilio_configured
from .keywords import keyword_parse

logger = logging.getLogger(__name__)

# Twilio REST error codes that will never succeed for this number as is
# (https://www.twilio.com/docs/api/errors); the text is what agents read on the timeline.
PERMANENT_ERRORS = {
    21211: "Invalid phone number.",
    21408: "Sending to this country or region is not enabled on the Twilio account.",
    21610: "The citizen unsubscribed (replied STOP) from our number at the carrier.",
    21612: "Twilio cannot route a message to this number.",
    21614: "The number is not a mobile number.",
    21617: "The message is too long.",
    21606: "Our sender number cannot send SMS.",
    21660: "Our sender number does not belong to the Twilio account.",
}
# Delivery errors reported by status callbacks.
DELIVERY_ERRORS = {
    30003: "Unreachable handset (switched off or out of coverage).",
    30004: "Message blocked by the recipient or the carrier.",
    30005: "Unknown destination number.",
    30006: "Landline or unreachable carrier.",
    30007: "Filtered by the carrier as spam.",
    30008: "Unknown delivery error.",
}
OPT_OUT_ERRORS = {21610}
# How many of a number's latest messages reconciliation reads back from Twilio.
RECONCILE_LOOKBACK = 20

# A sender Twilio can give us: ASCII digits, optionally + and separators. Anything else (a
# short code, letters, full-width digits) is not a citizen we could answer, nor a contact.
SENDER_SHAPE = re.compile(r"\+?[0-9][0-9 ()-]{5,19}", re.ASCII)

# Twilio's message statuses -> the outbox's.
STATUS_MAP = {
    "accepted": OutboundMessage.Status.QUEUED,
    "scheduled": OutboundMessage.Status.QUEUED,
    "queued": OutboundMessage.Status.QUEUED,
    "sending": OutboundMessage.Status.QUEUED,
    "sent": OutboundMessage.Status.SENT,
    "delivered": OutboundMessage.Status.DELIVERED,
    "read": OutboundMessage.Status.DELIVERED,
    "undelivered": OutboundMessage.Status.UNDELIVERED,
    "failed": OutboundMessage.Status.FAILED,
    "canceled": OutboundMessage.Status.FAILED,
}


def error_text(code: int | str | None, fallback: str = "") -> str:
    try:
        number = int(code) if code not in (None, "") else None
    except (TypeError, ValueError):
        number = None
    if number is None:
        return fallback
    return PERMANENT_ERRORS.get(number) or DELIVERY_ERRORS.get(number) or fallback


def sms_sender(raw: str) -> str:
    """The sender of an inbound SMS in E.164, or ``InboundRejected`` saying why not."""
    text = (raw or "").strip()
    if not text:
        raise InboundRejected("The message has no sender (empty From).")
    if not SENDER_SHAPE.fullmatch(text):
        raise InboundRejected(f"The sender {text[:40]!r} is not a phone number.")
    if text.startswith("00"):
        text = "+" + text[2:]  # the international prefix most countries dial
    try:
        return normalize_phone(text)
    except PhoneError as exc:
        raise InboundRejected(str(exc)) from exc


def _result(resource) -> SendResult:
    return SendResult(
        status=STATUS_MAP.get(resource.status or "", OutboundMessage.Status.QUEUED),
        provider_message_id=resource.sid,
        transport=OutboundMessage.Transport.TWILIO,
    )


def _classify(exc: TwilioRestException | TwilioServiceException) -> SendError:
    """Rate limits and Twilio's own outages pass; a refused number or account setting stays."""
    provider_text = getattr(exc, "msg", None) or getattr(exc, "detail", None) or ""
    provider_text = provider_text or getattr(exc, "title", "") or ""
    code = str(exc.code or exc.status)
    text = error_text(exc.code, str(provider_text))
    status = int(exc.status or 0)
    if status == 429 or status >= 500:
        return TemporarySendError(code, text)
    return PermanentSendError(code, text, opted_out=exc.code in OPT_OUT_ERRORS)


class SmsChannel(ChannelType):
    slug = "sms"
    identity_scheme = Identity.Scheme.PHONE

    def can_deliver(self, address: str) -> bool:
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(address, None))
        except phonenumbers.NumberParseException:
            return False

    def send(self, message: OutboundMessage) -> SendResult:
        if not twilio_configured():
            # Embedded default: the outbox row is the message; nothing leaves the machine.
            return SendResult(
                status=OutboundMessage.Status.DELIVERED,
                transport=OutboundMessage.Transport.LOCAL,
            )
        if not settings.TWILIO_FROM_NUMBER:
            raise PermanentSendError("config", "TWILIO_FROM_NUMBER is not set.")
        try:
            created = twilio_client().messages.create(
                to=message.address,
                from_=settings.TWILIO_FROM_NUMBER,
                body=message.body,
                status_callback=status_callback_url(),
            )
        except (TwilioRestException, TwilioServiceException) as exc:
            raise _classify(exc) from exc
        except requests.ReadTimeout as exc:
            # Twilio may have taken it and we missed the answer: check, don't resend.
            raise AmbiguousSendError("timeout", str(exc)[:255]) from exc
        except (requests.RequestException, TwilioException) as exc:
            raise TemporarySendError("network", str(exc)[:255]) from exc
        return _result(created)

    def reconcile(self, message: OutboundMessage) -> SendResult | None:
        """Find the message in Twilio's log: same number, same text, since it was claimed."""
        if not twilio_configured():
            return None  # the local outbox never left the machine
        since = message.claimed_at - dt.timedelta(minutes=1)
        for candidate in twilio_client().messages.list(
            to=message.address, from_=settings.TWILIO_FROM_NUMBER, limit=RECONCILE_LOOKBACK
        ):
            # Newest first: anything older than the claim is an earlier message.
            if candidate.date_created and candidate.date_created < since:
                break
            if candidate.body == message.body:
                return _result(candidate)
        return None

    def inbound_process(self, delivery: InboundDelivery) -> None:
        data = delivery.payload
        outcome = inbound_handle(
            channel=self.slug,
            address=sms_sender(data.get("From", "")),
            body=data.get("Body", ""),
            provider_message_id=delivery.provider_id,
            payload=data,
            occurred_at=delivery.received_at,
        )
        delivery.interaction = outcome.result.interaction

    def parse_command(self, text: str) -> ParsedCommand | None:
        return keyword_parse(text)
